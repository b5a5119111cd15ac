import { once } from 'node:events'
import type { TestServer } from '../server.js'
import { formatConnection, formatFindings, formatRequest } from '../timeline.js'
import { writeCaFiles } from '../tls/ca-files.js'
import type { TestServerOptions } from '../types.js'
import { fromCounts } from '../verdicts/counts.js'
import { plural } from '../verdicts/wording.js'
import { reusesConnection, type Verdict } from '../verdicts.js'
import { type Flags, journalName, parseFlags, serverFlags, serverOptions } from './args.js'
import { serveHelp } from './help.js'
import { servePage, writeHtml } from './html.js'
import { type Kept, keptOf } from './kept.js'
import { connectionJson, printLine, requestJson } from './output.js'
import { startServer } from './server-flags.js'

const flags = { ...serverFlags, json: { type: 'boolean' }, html: { type: 'string' } } as const

/** Prints each event the moment the server emits it, as text or as JSON lines. */
function logEvents(server: TestServer, json: boolean): void {
  server.on('connection', (connection) =>
    printLine(
      json ? { event: 'connection', ...connectionJson(connection) } : formatConnection(connection),
    ),
  )
  server.on('request', (request) =>
    printLine(json ? { event: 'request', ...requestJson(request) } : `  ${formatRequest(request)}`),
  )
  server.on('connectionClose', (connection) =>
    printLine(
      json
        ? { event: 'connectionClose', ...connectionJson(connection) }
        : formatConnection(connection),
    ),
  )
}

/**
 * The closing summary: counts, then what the requests did with their connections and the
 * recorded facts behind it, in the words of the reuse verdict that matchers and `check` print.
 * Counts come from the connection records, which count every request, kept by the journal or not.
 */
function printSummary(
  server: TestServer,
  verdict: Verdict | undefined,
  kept: Kept,
  json: boolean,
): void {
  const pattern = verdict?.summary ?? 'no request arrived'
  const counted = kept.journal === 'counts'
  if (json) {
    printLine({
      event: 'summary',
      requests: kept.recorded,
      connections: server.connections.length,
      reused: kept.reused,
      pattern,
      // --journal counts keeps no order of requests: the reuse verdict cannot be given.
      reuse: counted ? null : (verdict?.pass ?? false),
      findings: verdict?.findings ?? [],
      journal: kept.journal,
      requestsNotKept: kept.notKept,
    })
    return
  }
  // The verdict's sentence says it all; connections that carried no request are a finding.
  printLine('keepalive-kit serve: stopped.')
  printLine(`  ${pattern}.`)
  if (counted && verdict !== undefined)
    printLine(
      '  --journal counts keeps no request records, so the order of reuse is not judged; run with --journal last=N to judge it over the last N requests.',
    )
  const findings = formatFindings(verdict?.findings ?? [])
  if (findings) printLine(findings)
}

/** The reuse verdict over what the journal kept; over its counts with `--journal counts`. */
function summaryVerdict(server: TestServer, kept: Kept): Verdict | undefined {
  if (kept.recorded === 0) return undefined
  if (kept.journal !== 'counts') return reusesConnection(server)
  return fromCounts(server, 'keepalive-kit serve', (counted) => counted.reused > 0)
}

const describeServer = (flagsGiven: Flags): string => {
  const speaks = flagsGiven.tls
    ? flagsGiven.http2
      ? 'HTTPS with HTTP/2, '
      : 'HTTPS, '
    : flagsGiven.http2
      ? 'h2c and HTTP/1.1, '
      : ''
  if (flagsGiven['no-keep-alive'])
    return `${speaks}keep-alive off: every response closes its connection`
  const idle = flagsGiven['idle-timeout'] ?? '5000'
  const max = flagsGiven['max-requests']
  return `${speaks}keep-alive on, idle timeout ${idle === '0' ? 'none' : `${idle} ms`}${typeof max === 'string' ? `, at most ${max} requests per connection` : ''}`
}

/** What the journal keeps, when `--journal` or `--no-record-headers` bound it; else nothing. */
const describeJournal = (journal: TestServerOptions['journal'], flagsGiven: Flags): string => {
  // With counts there are no records whose headers could be kept.
  const headers =
    flagsGiven['no-record-headers'] === undefined || journal === 'counts' ? '' : 'no headers'
  const kept =
    journal === undefined || journal === 'all'
      ? ''
      : journal === 'counts'
        ? "no request records, only each connection's request count"
        : `the last ${plural(journal.keepLast, 'request')}`
  const what = [kept, headers].filter(Boolean).join(', ')
  return what === '' ? '' : `; keeps ${what}`
}

/**
 * `keepalive-kit serve`: runs a recording server and logs every connection and request until
 * SIGINT or SIGTERM, then prints a summary. Resolves to the exit code.
 */
export async function serve(argv: readonly string[]): Promise<number> {
  const given = parseFlags('serve', argv, flags)
  if (given.help) {
    process.stdout.write(serveHelp)
    return 0
  }
  const json = given.json === true
  const options = serverOptions('serve', given)
  const server = await startServer('serve', given)
  const trust = server.ca === undefined ? undefined : await writeCaFiles(server.ca)
  if (json)
    printLine({
      event: 'listening',
      url: server.url,
      port: server.port,
      ...(trust ? { ca: trust.ca, caBundle: trust.bundle } : {}),
      journal: journalName(options.journal),
      recordHeaders: options.recordHeaders !== false,
    })
  else {
    printLine(`keepalive-kit serve: listening on ${server.url}`)
    if (trust) {
      printLine(`  the test CA: ${trust.ca} (curl --cacert, a client's ca option)`)
      printLine(`  with the usual roots: ${trust.bundle} (SSL_CERT_FILE, NODE_EXTRA_CA_CERTS)`)
    }
    printLine(
      `  ${describeServer(given)}${describeJournal(options.journal, given)}. Press Ctrl-C to stop and see the summary.`,
    )
  }
  logEvents(server, json)
  const stop = new AbortController()
  await Promise.race([
    once(process, 'SIGINT', { signal: stop.signal }),
    once(process, 'SIGTERM', { signal: stop.signal }),
  ])
  stop.abort()
  // Closing logs the connections still open as closed by the server, before the summary.
  await Promise.all([server.close(), trust?.remove()])
  const kept = keptOf(server, journalName(options.journal))
  const verdict = summaryVerdict(server, kept)
  printSummary(server, verdict, kept, json)
  if (typeof given.html === 'string')
    writeHtml(
      'serve',
      given.html,
      servePage(server.url, server.requests, server.connections, verdict, kept),
    )
  return 0
}
