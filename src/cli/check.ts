import type { TestServer } from '../server.js'
import { writeCaFiles } from '../tls/ca-files.js'
import type { RecordedRequest } from '../types.js'
import { type Flags, parseFlags, serverFlags, UsageError } from './args.js'
import { type CommandOutcome, runCommand } from './command.js'
import { parseExpectation } from './expectation.js'
import { checkHelp } from './help.js'
import { checkPage, writeHtml } from './html.js'
import { printJsonReport, printTextReport, type Report } from './report.js'
import { startServer } from './server-flags.js'

const flags = {
  ...serverFlags,
  expect: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  html: { type: 'string' },
} as const

const example = 'keepalive-kit check --expect reuse -- curl -s {url} {url} {url}'

/** Splits `check`'s own flags from the command under test, which follows `--`. */
function splitCommand(argv: readonly string[]): { own: string[]; command: string[] } {
  const at = argv.indexOf('--')
  return at === -1
    ? { own: [...argv], command: [] }
    : { own: argv.slice(0, at), command: argv.slice(at + 1) }
}

const timeoutOf = (given: Flags): number => {
  const value = given.timeout
  if (value === undefined) return 0
  const ms = Number(value)
  if (typeof value !== 'string' || !/^\d+$/.test(value.trim()) || !Number.isSafeInteger(ms))
    throw new UsageError(
      'check',
      `--timeout takes a whole number of milliseconds (0 = no limit), got ${JSON.stringify(value)}.`,
    )
  return ms
}

/** The exit code of a finished check: 3 when the command failed, else the verdict's. */
function exitCodeOf(outcome: CommandOutcome, requests: readonly RecordedRequest[], pass: boolean) {
  if (outcome.kind !== 'exited' || outcome.code !== 0) return 3
  return requests.length > 0 && pass ? 0 : 1
}

async function runAgainst(server: TestServer, command: string[], timeout: number) {
  // Over TLS the command trusts the test CA through the variables clients read, no flag needed.
  const trust = server.ca === undefined ? undefined : await writeCaFiles(server.ca)
  try {
    const outcome = await runCommand(command, server.url, timeout, trust?.env)
    // Every request was recorded before its response was sent, so the client has seen them all.
    return { outcome, requests: [...server.requests] }
  } finally {
    await Promise.all([server.close(), trust?.remove()])
  }
}

/**
 * `keepalive-kit check`: runs a command against a recording server and judges its connection
 * reuse. Resolves to the exit code: 0 pass, 1 fail or no request, 2 usage, 3 command failed.
 *
 * @example
 * process.exitCode = await check(['--expect', 'reuse', '--', 'curl', '-s', '{url}', '{url}'])
 */
export async function check(argv: readonly string[]): Promise<number> {
  const { own, command } = splitCommand(argv)
  const given = parseFlags('check', own, flags, `Put the command after --, as in \`${example}\`.`)
  if (given.help) {
    process.stdout.write(checkHelp)
    return 0
  }
  const expectation = parseExpectation(typeof given.expect === 'string' ? given.expect : 'reuse')
  const timeout = timeoutOf(given)
  if (command.length === 0 || command[0] === '')
    throw new UsageError(
      'check',
      `no command to run. Put the client's command after --, as in \`${example}\`.`,
    )
  const server = await startServer('check', given)
  const { outcome, requests } = await runAgainst(server, command, timeout)
  const verdict = requests.length > 0 ? expectation.judge(requests) : undefined
  const report: Report = { command, url: server.url, expectation, outcome, requests, verdict }
  if (given.json === true) printJsonReport(report)
  else printTextReport(report, given)
  if (typeof given.html === 'string')
    writeHtml('check', given.html, checkPage(report, server.connections))
  return exitCodeOf(outcome, requests, verdict?.pass ?? false)
}
