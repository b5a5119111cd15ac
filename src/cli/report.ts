import { hasToken } from '../connection-header.js'
import { formatTimeline } from '../timeline.js'
import type { RecordedRequest } from '../types.js'
import type { Verdict } from '../verdicts.js'
import type { Flags } from './args.js'
import type { CommandOutcome } from './command.js'
import type { Expectation } from './expectation.js'
import { printLine, requestJson } from './output.js'

/**
 * Everything a finished `check` knows.
 *
 * @example
 * const report: Report = { command, url: server.url, expectation, outcome, requests, verdict }
 */
export interface Report {
  readonly command: readonly string[]
  readonly url: string
  readonly expectation: Expectation
  readonly outcome: CommandOutcome
  readonly requests: readonly RecordedRequest[]
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

/** Likely reasons a client did not reuse its connections, from what the server saw. */
function hints(report: Report, flags: Flags): string[] {
  const found: string[] = []
  const { requests } = report
  if (requests.some((request) => hasToken(request.connectionHeader, 'close')))
    found.push('the client sent `Connection: close`: its keep-alive is switched off.')
  if (flags['no-keep-alive'])
    found.push(
      'the server ran with --no-keep-alive, so it closed each connection after one answer.',
    )
  if (flags['max-requests'] !== undefined)
    found.push(`the server closed each connection after --max-requests ${flags['max-requests']}.`)
  if (found.length === 0 && requests.every((request) => !request.reusedConnection))
    found.push(
      'every request opened its own connection. One process per request (as in `sh -c "curl {url}; curl {url}"`) can never reuse one; several requests from one client can.',
    )
  return found
}

/**
 * Prints the report of `check` as text: the timeline on stdout, then the verdict, or why there
 * is none (a failed command goes to stderr).
 *
 * @example
 * printTextReport(report, flags)
 */
export function printTextReport(report: Report, flags: Flags): void {
  const { requests, verdict, expectation } = report
  if (requests.length > 0) {
    printLine(
      `keepalive-kit check: ${requests.length} request${requests.length === 1 ? '' : 's'} from \`${commandLine(report.command)}\` to ${report.url}`,
    )
    printLine(formatTimeline(requests))
    printLine('')
  }
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
  if (!verdict.pass) for (const hint of hints(report, flags)) printLine(`  hint: ${hint}`)
}

/**
 * Prints the report of `check` as one JSON object on stdout. `outcome` is `pass`, `fail`,
 * `no-requests` or `command-failed`.
 *
 * @example
 * printJsonReport(report) // {"outcome":"pass","expect":"reuse",...}
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
    command: report.command,
    url: report.url,
    commandResult: report.outcome,
    requests: report.requests.map(requestJson),
  })
}
