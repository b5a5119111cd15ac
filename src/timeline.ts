import { alignColumns } from './align.js'
import { Connection } from './connection.js'
import { closeOf } from './connection-end.js'
import type { RecordedConnection, RecordedRequest } from './types.js'
import { type Journal, journalOfRequests } from './verdicts/journal.js'
import type { Finding } from './verdicts/types.js'
import { plural } from './verdicts/wording.js'

/** How many lines a timeline shows before it elides the middle. */
const head = 12
const tail = 6

/** Over TLS: the protocol, the TLS version, and whether the handshake resumed a session. */
const secured = (request: RecordedRequest, journal: Journal): string[] => {
  const connection = journal.connection(request.connectionId)
  if (connection?.tls === undefined) return []
  const { version, resumed } = connection.tls
  return [`${connection.protocol} ${version} ${resumed ? 'resumed' : 'full handshake'}`]
}

const versionOf = (request: RecordedRequest): string =>
  request.streamId !== undefined
    ? `  h2 stream ${request.streamId}`
    : request.httpVersion === '1.1'
      ? ''
      : `  HTTP/${request.httpVersion}`

const requestColumns = (request: RecordedRequest, journal: Journal): string[] =>
  [
    `#${request.index}`,
    // HTTP/1.1 is the rule and goes unsaid; HTTP/1.0, which closes by default, is shown, and so
    // is HTTP/2 (an h2 stream carries its id).
    `${request.method} ${request.url}${versionOf(request)}`,
    `conn ${request.connectionId}`,
    `${request.remoteAddress}:${request.remotePort}`,
    ...secured(request, journal),
    // HTTP/2 has no Connection header at all, so its absence says nothing there.
    request.connectionHeader === undefined
      ? request.streamId === undefined
        ? '(no Connection header)'
        : ''
      : `Connection: ${request.connectionHeader}`,
  ].filter((column) => column !== '')

/**
 * One request as one line: index, method and path, connection id, remote address and port, over
 * TLS the protocol, TLS version and whether the session was resumed, and the `Connection` header. The CLI prints these as requests arrive.
 */
export function formatRequest(request: RecordedRequest): string {
  return requestColumns(request, journalOfRequests([request])).join('  ')
}

/**
 * The request timeline that matcher failures, errors and the CLI print: one aligned line per
 * request, indented by two spaces; the middle of a long journal is elided.
 *
 * @example
 * console.log(formatTimeline(server.requests))
 * //   #0  GET /  conn 1  127.0.0.1:55238  Connection: keep-alive
 * //   #1  GET /  conn 1  127.0.0.1:55238  Connection: keep-alive
 */
export function formatTimeline(requests: readonly RecordedRequest[]): string {
  const shown =
    requests.length > head + tail + 1
      ? [...requests.slice(0, head), ...requests.slice(-tail)]
      : requests
  const journal = journalOfRequests(requests)
  const rows = shown.map((request) => requestColumns(request, journal))
  const lines = alignColumns(rows).map((line) => `  ${line}`)
  if (shown.length < requests.length)
    lines.splice(head, 0, `  … ${requests.length - shown.length} more requests …`)
  return lines.join('\n')
}

/**
 * One connection as one line: id, client address, how many requests it carried and, once closed,
 * who closed it and why.
 */
export function formatConnection(connection: RecordedConnection): string {
  const count = `${plural(connection.requestCount, 'request')}${connection.maxInFlight > 1 ? ` (up to ${connection.maxInFlight} at once)` : ''}`
  const state = connection.closedAt === undefined ? 'open' : `closed ${closeOf(connection, true)}`
  const tls =
    connection.tls === undefined
      ? ''
      : `  ${connection.protocol} ${connection.tls.version} ${connection.tls.resumed ? 'resumed' : 'full handshake'}`
  return `conn ${connection.id}  ${connection.remoteAddress}:${connection.remotePort}  ${count}${tls}  ${state}`
}

/** `1–3, 5`: ids in order, runs of consecutive ones as ranges. */
const idRanges = (ids: readonly number[]): string => {
  const runs: [number, number][] = []
  for (const id of ids) {
    const last = runs.at(-1)
    if (last !== undefined && last[1] === id - 1) last[1] = id
    else runs.push([id, id])
  }
  return runs.map(([from, to]) => (from === to ? `${from}` : `${from}–${to}`)).join(', ')
}

/** How many opener lines a message shows; the rest are counted. */
const openerLines = 12

/**
 * Who opened each connection whose client ran in this process, one line per distinct opener
 * (connections opened by the same code share it), under a heading; empty when none was seen.
 * Where no code of the user's was on the stack, the line says what it fell back to: the request
 * that first used the connection, or the test that was running.
 */
export function formatOpeners(connections: readonly RecordedConnection[]): string {
  const byNote = new Map<string, number[]>()
  for (const connection of connections) {
    const note = connection instanceof Connection ? connection.openerNote : undefined
    if (note === undefined) continue
    const ids = byNote.get(note)
    if (ids === undefined) byNote.set(note, [connection.id])
    else ids.push(connection.id)
  }
  if (byNote.size === 0) return ''
  const rows = [...byNote].map(([note, ids]) => [`conn ${idRanges(ids)}`, note])
  const lines = alignColumns(rows.slice(0, openerLines)).map((line) => `  ${line}`)
  if (rows.length > lines.length) lines.push(`  … ${rows.length - lines.length} more openers …`)
  return ['Connections opened in this process:', ...lines].join('\n')
}

/** The heading over a verdict's findings, in every report. */
export const findingsHeading = 'What the server recorded'

/**
 * The recorded facts behind a verdict, one per line, under a heading; empty when there are none.
 *
 * @example
 * formatFindings(verdict.findings)
 * // 'What the server recorded:\n  - the client sent Connection: close on all 5 requests, …'
 */
export function formatFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return ''
  return [`${findingsHeading}:`, ...findings.map((finding) => `  - ${finding.text}`)].join('\n')
}

const ms = (value: number, origin: number): string => `+${(value - origin).toFixed(1)} ms`

/**
 * How each connection ended, one aligned line each: id, requests carried, when it opened and
 * closed (ms after `origin`, by default the first connection's opening), who closed it and why.
 * `note(connection)` can replace the ending, as `check` does for connections its client left open.
 */
export function formatConnectionEnds(
  connections: readonly RecordedConnection[],
  note: (connection: RecordedConnection) => string | undefined = () => undefined,
  origin = connections[0]?.openedAt ?? 0,
): string {
  const rows = connections.map((connection) => {
    const ending =
      note(connection) ??
      (connection.closedAt === undefined
        ? 'open'
        : `closed ${ms(connection.closedAt, origin)} ${closeOf(connection, true)}`)
    return [
      `conn ${connection.id}`,
      plural(connection.requestCount, 'request'),
      `opened ${ms(connection.openedAt, origin)}`,
      ending,
    ]
  })
  return alignColumns(rows)
    .map((line) => `  ${line}`)
    .join('\n')
}
