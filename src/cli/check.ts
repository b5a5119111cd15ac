import { awaitBurst } from '../burst.js'
import { resolveOptions } from '../options.js'
import type { TestServer } from '../server.js'
import { writeCaFiles } from '../tls/ca-files.js'
import type { TestServerOptions } from '../types.js'
import {
  type Flags,
  journalName,
  parseFlags,
  serverFlags,
  serverOptions,
  UsageError,
} from './args.js'
import { runCommand } from './command.js'
import { type Expectation, parseExpectation } from './expectation.js'
import { checkHelp } from './help.js'
import { checkPage, writeHtml } from './html.js'
import { keptOf } from './kept.js'
import {
  exitCodes,
  outcomeOf,
  printJsonReport,
  printTextReport,
  type Report,
  type ServerInEffect,
} from './report.js'
import { startServer } from './server-flags.js'

const flags = {
  ...serverFlags,
  expect: { type: 'string' },
  timeout: { type: 'string' },
  'await-burst': { type: 'string' },
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

/** A whole number flag of at least `min`; `fallback` when absent; `takes` says what it takes. */
const wholeFlag = (given: Flags, name: string, min: number, fallback: number, takes: string) => {
  const value = given[name]
  if (value === undefined) return fallback
  const n = Number(value)
  if (
    typeof value !== 'string' ||
    !/^\d+$/.test(value.trim()) ||
    !Number.isSafeInteger(n) ||
    n < min
  )
    throw new UsageError('check', `--${name} takes ${takes}, got ${JSON.stringify(value)}.`)
  return n
}

/** Runs the command, notes which connections it left open, then stops the server. */
async function runAgainst(server: TestServer, command: string[], timeout: number) {
  // Over TLS the command trusts the test CA through the variables clients read, no flag needed.
  const trust = server.ca === undefined ? undefined : await writeCaFiles(server.ca)
  try {
    const outcome = await runCommand(command, server.url, timeout, trust?.env)
    // Every request was recorded before its response was sent, so the client has seen them all.
    const openAtExit = new Set(server.openConnections.map((connection) => connection.id))
    return { outcome, openAtExit }
  } finally {
    await Promise.all([server.close(), trust?.remove()])
  }
}

/** The server options `check` ran with, every default filled in, for the JSON report. */
function serverInEffect(given: Flags, burst: number | undefined): ServerInEffect {
  const options = serverOptions('check', given)
  const resolved = resolveOptions(options)
  return {
    keepAlive: resolved.keepAlive,
    idleTimeout: resolved.idleTimeout,
    maxRequestsPerConnection: Number.isFinite(resolved.maxRequestsPerConnection)
      ? resolved.maxRequestsPerConnection
      : null,
    keepAliveHint: resolved.hintSeconds ?? null,
    awaitBurst: burst ?? null,
    tls: resolved.tls !== undefined,
    http2: resolved.http2,
    journal: journalName(options.journal),
    recordHeaders: resolved.journal.headers,
  }
}

/** `--journal counts` keeps no order of requests: only the expectations that counts settle. */
function checkJudgeable(expectation: Expectation, options: TestServerOptions): void {
  if (options.journal !== 'counts' || expectation.judgesCounts) return
  throw new UsageError(
    'check',
    `--expect ${expectation.name} needs the order of the requests, and --journal counts keeps no request records. With --journal counts, use --expect new-socket-per-request, connections=N or at-most=N; for ${expectation.name}, keep the last requests with --journal last=N.`,
  )
}

/**
 * `keepalive-kit check`: runs a command against a recording server and judges its connection
 * reuse. Resolves to the exit code: 0 pass, 1 fail or no request, 2 usage, 3 command failed.
 */
export async function check(argv: readonly string[]): Promise<number> {
  const { own, command } = splitCommand(argv)
  const given = parseFlags('check', own, flags, `Put the command after --, as in \`${example}\`.`)
  if (given.help) {
    process.stdout.write(checkHelp)
    return 0
  }
  const expectation = parseExpectation(typeof given.expect === 'string' ? given.expect : 'reuse')
  const timeout = wholeFlag(given, 'timeout', 0, 0, 'a whole number of milliseconds (0 = no limit)')
  const burst =
    given['await-burst'] === undefined
      ? undefined
      : wholeFlag(
          given,
          'await-burst',
          1,
          1,
          'a whole number of at least 1: how many requests your client sends at once',
        )
  if (command.length === 0 || command[0] === '')
    throw new UsageError(
      'check',
      `no command to run. Put the client's command after --, as in \`${example}\`.`,
    )
  checkJudgeable(expectation, serverOptions('check', given))
  const server = await startServer('check', given, burst ? { handler: awaitBurst(burst) } : {})
  const { outcome, openAtExit } = await runAgainst(server, command, timeout)
  const inEffect = serverInEffect(given, burst)
  const kept = keptOf(server, inEffect.journal)
  // With --journal counts or last=N, server.requests holds fewer than were recorded, or none.
  const verdict = kept.recorded > 0 ? expectation.judge(server) : undefined
  const report: Report = {
    command,
    url: server.url,
    expectation,
    outcome,
    requests: server.requests,
    connections: server.connections,
    openAtExit,
    server: inEffect,
    kept,
    verdict,
  }
  if (given.json === true) printJsonReport(report)
  else printTextReport(report)
  if (typeof given.html === 'string') writeHtml('check', given.html, checkPage(report))
  return exitCodes[outcomeOf(report)]
}
