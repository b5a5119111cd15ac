import { formatConnectionEnds, formatFindings, formatTimeline } from '../timeline.js'
import type { RecordedConnection, RecordedRequest } from '../types.js'
import type { Verdict } from '../verdicts.js'
import type { CommandOutcome } from './command.js'
import type { Expectation } from './expectation.js'
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
  /** `undefined` when no request arrived. */
  readonly verdict: Verdict | undefined
}

const shellWord = (word: string): string =>
  /^[\w@%+=:,./{}-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`

/** The command as a shell line on one line: a script passed with `-c` must not flood the report. */
const commandLine = (command: readonly string[]): string => {
  const line = command.map(shellWord).join(' ').replace(/\s+/g, ' ')
  return line.length > 80 ? `${line.slice(0, 79)}…` : line
}

/** Why the command failed, or `undefined` when it exited 0. */
function commandFailure(report: Report): string | undefined {
  const { outcome } = report
  const name = report.command[0] ?? ''
  switch (outcome.kind) {
    case 'not-started':
      return outcome.code === 'ENOENT'
        ? `command not found: ${name}. Is it installed and on PATH?`
        : `could not start ${name}: ${outcome.message}.`
    case 'signalled':
      return `the command was killed by ${outcome.signal}.`
    case 'timed-out':
      return `the command did not exit within --timeout ${outcome.timeout} ms and was stopped. Raise --timeout, or check that the client does not wait for more input.`
    case 'exited':
      return outcome.code === 0
        ? undefined
        : `the command exited with code ${outcome.code}. Its output, if any, is above; fix the command and run again.`
  }
}

const noRequest = (url: string): string =>
  `keepalive-kit check: no request reached the test server at ${url}, so there is nothing to judge. Likely causes:
  - the command does not use the server's URL: put {url} in its arguments (quoted in a shell), or read KEEPALIVE_URL from its environment;
  - the client went through a proxy that ignores NO_PROXY (the server is on ${new URL(url).hostname});
  - the client failed before sending a request but still exited 0.`

/** The connection lines: how each ended, or that the command left it open. */
const connectionEnds = (report: Report): string =>
  formatConnectionEnds(report.connections, (connection) =>
    report.openAtExit.has(connection.id)
      ? 'still open when the command exited (check then stopped the server)'
      : undefined,
  )

/**
 * Prints the report of `check` as text: the timeline and how each connection ended on stdout,
 * then the verdict and the recorded facts behind it, or why there is none (a failed command
 * goes to stderr).
 */
export function printTextReport(report: Report): void {
  const { requests, verdict, expectation } = report
  if (requests.length > 0) {
    printLine(
      `keepalive-kit check: ${requests.length} request${requests.length === 1 ? '' : 's'} from \`${commandLine(report.command)}\` to ${report.url}`,
    )
    printLine(formatTimeline(requests))
  }
  if (report.connections.length > 0) {
    printLine(requests.length > 0 ? 'Connections:' : 'keepalive-kit check: connections opened:')
    printLine(connectionEnds(report))
  }
  if (requests.length > 0 || report.connections.length > 0) printLine('')
  const failure = commandFailure(report)
  if (failure !== undefined) {
    process.stderr.write(
      `keepalive-kit: check: ${failure}\n  No verdict: a failed command says nothing about keep-alive (exit code 3).\n  command: ${commandLine(report.command)}\n`,
    )
    return
  }
  if (verdict === undefined) {
    printLine(noRequest(report.url))
    return
  }
  printLine(`${verdict.pass ? 'PASS' : 'FAIL'}  expect ${expectation.name}: ${verdict.summary}`)
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
  printLine({
    outcome:
      failure !== undefined
        ? 'command-failed'
        : verdict === undefined
          ? 'no-requests'
          : verdict.pass
            ? 'pass'
            : 'fail',
    expect: report.expectation.name,
    pass: failure === undefined && verdict?.pass === true,
    summary: failure ?? verdict?.summary ?? 'no request reached the test server',
    findings: verdict?.findings ?? [],
    counts: verdict?.counts ?? {
      requests: report.requests.length,
      connections: report.connections.length,
      reused: 0,
    },
    command: report.command,
    url: report.url,
    server: report.server,
    commandResult: report.outcome,
    requests: report.requests.map(requestJson),
    connections: report.connections.map((connection) => ({
      ...connectionJson(connection),
      openWhenCommandExited: report.openAtExit.has(connection.id),
    })),
  })
}
