import { formatConnectionEnds, formatFindings, formatTimeline } from '../timeline.js'
import type { RecordedConnection, RecordedRequest } from '../types.js'
import { plural } from '../verdicts/wording.js'
import type { Verdict } from '../verdicts.js'
import type { CommandOutcome } from './command.js'
import type { Expectation } from './expectation.js'
import { type Kept, notKeptClause } from './kept.js'
import { connectionJson, printLine, requestJson } from './output.js'

/** The server options `check` ran with, every default filled in (`null`: none). */
export interface ServerInEffect {
  readonly keepAlive: boolean
  readonly idleTimeout: number
  readonly maxRequestsPerConnection: number | null
  /** Seconds advertised in `Keep-Alive: timeout=N`. */
  readonly keepAliveHint: number | null
  /** `--await-burst N`: the first N responses were held until N requests were in flight. */
  readonly awaitBurst: number | null
  /** `--tls`: the server spoke HTTPS with its own test CA. */
  readonly tls: boolean
  /** `--http2`: the server also spoke HTTP/2 (by ALPN with `--tls`, h2c without). */
  readonly http2: boolean
  /** `--journal`: which requests were kept, `all`, `counts` or `last=N`. */
  readonly journal: string
  /** `false` with `--no-record-headers`: every request's `headers` is `{}`. */
  readonly recordHeaders: boolean
}

/** Everything a finished `check` knows. */
export interface Report {
  readonly command: readonly string[]
  readonly url: string
  readonly expectation: Expectation
  readonly outcome: CommandOutcome
  readonly requests: readonly RecordedRequest[]
  readonly connections: readonly RecordedConnection[]
  /** Ids of the connections still open when the command exited; check's stop closed them. */
  readonly openAtExit: ReadonlySet<number>
  readonly server: ServerInEffect
  /** How many requests were recorded, and how many of them `requests` holds. */
  readonly kept: Kept
  /** `undefined` when no request arrived. */
  readonly verdict: Verdict | undefined
}

const shellWord = (word: string): string =>
  /^[\w@%+=:,./{}-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`

/** The command as a shell line on one line: a script passed with `-c` must not flood the report. */
export const commandLine = (command: readonly string[]): string => {
  const line = command.map(shellWord).join(' ').replace(/\s+/g, ' ')
  return line.length > 80 ? `${line.slice(0, 79)}…` : line
}

/** Why the command failed, in a few words and with the fix, or `undefined` when it exited 0. */
function commandFailure(
  report: Pick<Report, 'command' | 'outcome'>,
): { readonly what: string; readonly fix: string } | undefined {
  const { outcome } = report
  const name = report.command[0] ?? ''
  switch (outcome.kind) {
    case 'not-started':
      return outcome.code === 'ENOENT'
        ? { what: `command not found: ${name}`, fix: 'Is it installed and on PATH?' }
        : { what: `could not start ${name}: ${outcome.message}`, fix: '' }
    case 'signalled':
      return { what: `the command was killed by ${outcome.signal}`, fix: '' }
    case 'timed-out':
      return {
        what: `the command did not exit within --timeout ${outcome.timeout} ms and was stopped`,
        fix: 'Raise --timeout, or check that the client does not wait for more input.',
      }
    case 'exited':
      return outcome.code === 0
        ? undefined
        : {
            what: `the command exited with code ${outcome.code}`,
            fix: 'Its output, if any, is above; fix the command and run again.',
          }
  }
}

/** The failure and its fix as the text and JSON reports print it. */
const failureText = (failure: { what: string; fix: string }): string =>
  `${failure.what}.${failure.fix ? ` ${failure.fix}` : ''}`

/** How a finished `check` came out: the one decision its text, JSON, HTML and exit code share. */
export type CheckOutcome = 'pass' | 'fail' | 'no-requests' | 'command-failed'

export function outcomeOf(report: Report): CheckOutcome {
  if (commandFailure(report) !== undefined) return 'command-failed'
  if (report.verdict === undefined) return 'no-requests'
  return report.verdict.pass ? 'pass' : 'fail'
}

/** The exit code of each outcome: 0 pass, 1 fail or no request, 3 the command failed. */
export const exitCodes: Readonly<Record<CheckOutcome, number>> = {
  pass: 0,
  fail: 1,
  'no-requests': 1,
  'command-failed': 3,
}

/** The verdict's line, `PASS  expect reuse: …`, or `undefined` when there is no verdict. */
export function verdictLine(report: Report): string | undefined {
  const { verdict } = report
  if (verdict === undefined || commandFailure(report) !== undefined) return undefined
  return `${verdict.pass ? 'PASS' : 'FAIL'}  expect ${report.expectation.name}: ${verdict.summary}`
}

/** Why there is no verdict, in a few words, or `undefined` when there is one. */
export function noVerdictReason(report: Report): string | undefined {
  const failure = commandFailure(report)
  if (failure !== undefined) return failure.what
  return report.verdict === undefined ? noRequestAt(report.url) : undefined
}

const noRequestAt = (url: string): string => `no request reached the test server at ${url}`

const noRequest = (url: string): string =>
  `keepalive-kit check: ${noRequestAt(url)}, so there is nothing to judge. Likely causes:
  - the command does not use the server's URL: put {url} in its arguments (quoted in a shell), or read KEEPALIVE_URL from its environment;
  - the client went through a proxy that ignores NO_PROXY (the server is on ${new URL(url).hostname});
  - the client failed before sending a request but still exited 0.`

/** Connection lines shown first and last; a load run's thousands between them are counted. */
const connectionsHead = 12
const connectionsTail = 6

/** The connection lines: how each ended, or that the command left it open. */
function connectionEnds(report: Report): string {
  const { connections } = report
  const elided = connections.length > connectionsHead + connectionsTail + 1
  const shown = elided
    ? [...connections.slice(0, connectionsHead), ...connections.slice(-connectionsTail)]
    : connections
  const lines = formatConnectionEnds(
    shown,
    (connection) =>
      report.openAtExit.has(connection.id)
        ? 'still open when the command exited (check then stopped the server)'
        : undefined,
    connections[0]?.openedAt,
  ).split('\n')
  if (elided)
    lines.splice(
      connectionsHead,
      0,
      `  … ${plural(connections.length - shown.length, 'more connection')} (--json lists every one) …`,
    )
  return lines.join('\n')
}

/**
 * Prints the report of `check` as text: the timeline and how each connection ended on stdout,
 * then the verdict and the recorded facts behind it, or why there is none (a failed command
 * goes to stderr).
 */
export function printTextReport(report: Report): void {
  const { requests, verdict, kept } = report
  if (kept.recorded > 0) {
    const notKept = notKeptClause(kept)
    printLine(
      `keepalive-kit check: ${plural(kept.recorded, 'request')} from \`${commandLine(report.command)}\` to ${report.url}${notKept ? `; ${notKept}` : ''}`,
    )
    if (requests.length > 0) printLine(formatTimeline(requests))
  }
  if (report.connections.length > 0) {
    printLine(kept.recorded > 0 ? 'Connections:' : 'keepalive-kit check: connections opened:')
    printLine(connectionEnds(report))
  }
  if (kept.recorded > 0 || report.connections.length > 0) printLine('')
  const failure = commandFailure(report)
  if (failure !== undefined) {
    process.stderr.write(
      `keepalive-kit: check: ${failureText(failure)}\n  No verdict: a failed command says nothing about keep-alive (exit code ${exitCodes['command-failed']}).\n  command: ${commandLine(report.command)}\n`,
    )
    return
  }
  const line = verdictLine(report)
  if (verdict === undefined || line === undefined) {
    printLine(noRequest(report.url))
    return
  }
  printLine(line)
  const findings = formatFindings(verdict.findings)
  if (findings) printLine(findings)
}

/**
 * Prints the report of `check` as one JSON object on stdout. `outcome` is `pass`, `fail`,
 * `no-requests` (the command ran, but no request reached the server) or `command-failed`.
 */
export function printJsonReport(report: Report): void {
  const failure = commandFailure(report)
  const { verdict } = report
  const outcome = outcomeOf(report)
  printLine({
    outcome,
    expect: report.expectation.name,
    pass: outcome === 'pass',
    summary:
      (failure && failureText(failure)) ?? verdict?.summary ?? 'no request reached the test server',
    findings: verdict?.findings ?? [],
    counts: verdict?.counts ?? {
      requests: report.kept.recorded,
      connections: report.connections.length,
      reused: report.kept.reused,
    },
    command: report.command,
    url: report.url,
    server: report.server,
    commandResult: report.outcome,
    requests: report.requests.map(requestJson),
    // `requests` lists the last ones kept; --journal last=N or counts kept no earlier ones.
    requestsNotKept: report.kept.notKept,
    connections: report.connections.map((connection) => ({
      ...connectionJson(connection),
      openWhenCommandExited: report.openAtExit.has(connection.id),
    })),
  })
}
