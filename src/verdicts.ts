import { MatcherUsageError } from './errors.js'
import type { TestServer } from './server.js'
import { checkCount, describeValue, isTestServer, requestsOf, type Subject } from './subject.js'
import type { RecordedRequest } from './types.js'

/** The outcome of checking recorded requests against one keep-alive expectation. */
export interface Verdict {
  /** Whether the expectation holds. Comes from the data only. */
  readonly pass: boolean
  /** One sentence that says what the requests did, true whether or not the verdict passed. */
  readonly summary: string
  /** The requests judged, for the timeline. */
  readonly requests: readonly RecordedRequest[]
}

interface Carried {
  id: number
  /** How many requests the connection had carried by its last request in the subject. */
  carried: number
  requests: number
}

/** Per connection used by `requests`, in id (= opening) order. */
function connectionsOf(requests: readonly RecordedRequest[]): Carried[] {
  const byId = new Map<number, Carried>()
  for (const request of requests) {
    const entry = byId.get(request.connectionId)
    if (entry === undefined)
      byId.set(request.connectionId, {
        id: request.connectionId,
        carried: request.indexOnConnection + 1,
        requests: 1,
      })
    else {
      entry.carried = Math.max(entry.carried, request.indexOnConnection + 1)
      entry.requests++
    }
  }
  return [...byId.values()].sort((a, b) => a.id - b.id)
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** Says in one sentence what the requests did with their connections. */
export function describePattern(requests: readonly RecordedRequest[]): string {
  const connections = connectionsOf(requests)
  const used = `${plural(requests.length, 'request')} used ${plural(connections.length, 'connection')}`
  const reused = requests.filter((request) => request.reusedConnection).length
  if (reused === 0)
    return connections.length === 1 ? `${used}, as its first request` : `${used}; none was reused`
  if (connections.length === 1) return `${used}; ${plural(reused, 'request')} reused it`
  const dropped = connections.slice(0, -1).filter((connection) => connection.carried === 1)
  if (dropped.length > 0)
    return `${used}; ${dropped.length === 1 ? 'connection' : 'connections'} ${dropped.map((c) => c.id).join(', ')} carried a single request and ${dropped.length === 1 ? 'was' : 'were'} never used again (a response body left unread keeps a socket busy)`
  return `requests alternated over ${plural(connections.length, 'connection')}, each reused: pass \`{ maxConnections: ${connections.length} }\` if your client keeps a pool`
}

const verdict = (
  pass: boolean,
  requests: readonly RecordedRequest[],
  summary = describePattern(requests),
): Verdict => ({
  pass,
  summary,
  requests,
})

/**
 * Some request travelled on a connection that had already carried one, and every connection
 * used, except the newest, carried more than one request; with `maxConnections`, also at most
 * that many connections were used.
 *
 * @example
 * reusesConnection(server).pass // true for 1,1,1 and 1,2,1,2; false for 1,2,3 and 1,2,2
 */
export function reusesConnection(
  subject: Subject,
  options: { maxConnections?: number } = {},
): Verdict {
  const usage = 'toReuseConnection()'
  const requests = requestsOf(subject, usage)
  if (typeof options !== 'object' || options === null)
    throw new MatcherUsageError(
      `${usage}: options must be an object such as { maxConnections: 2 }, got ${describeValue(options)}.`,
    )
  const max =
    options.maxConnections === undefined
      ? Number.POSITIVE_INFINITY
      : checkCount(options.maxConnections, `${usage} maxConnections`)
  const connections = connectionsOf(requests)
  const anyReused = requests.some((request) => request.reusedConnection)
  const olderReused = connections.slice(0, -1).every((connection) => connection.carried > 1)
  return verdict(anyReused && olderReused && connections.length <= max, requests)
}

/**
 * Every request was the first on its connection: a new socket per request.
 *
 * @example
 * opensNewSocketPerRequest(server).pass // true for 1,2,3; false for 1,1,1
 */
export function opensNewSocketPerRequest(subject: Subject): Verdict {
  const requests = requestsOf(subject, 'toOpenNewSocketPerRequest()')
  return verdict(
    requests.every((request) => !request.reusedConnection),
    requests,
  )
}

/**
 * The requests used exactly `n` distinct connections.
 *
 * @example
 * usesConnections(server, 2).pass // true for 1,2,1,2
 */
export function usesConnections(subject: Subject, n: number): Verdict {
  const usage = 'toUseConnections(n)'
  const requests = requestsOf(subject, usage)
  const count = checkCount(n, usage)
  return verdict(connectionsOf(requests).length === count, requests)
}

/**
 * The requests used at most `n` distinct connections.
 *
 * @example
 * usesAtMostConnections(server, 2).pass // true for 1,1,1 and 1,2,1
 */
export function usesAtMostConnections(subject: Subject, n: number): Verdict {
  const usage = 'toUseAtMostConnections(n)'
  const requests = requestsOf(subject, usage)
  const count = checkCount(n, usage)
  return verdict(connectionsOf(requests).length <= count, requests)
}

/** The comma-separated tokens of a `Connection` header, lower-cased. */
const tokens = (header: string): string[] =>
  header.split(',').map((token) => token.trim().toLowerCase())

/**
 * Every request carried a `Connection` header; with a token, every header lists it
 * (case-insensitive); with a RegExp, every header matches it.
 *
 * @example
 * sendsConnectionHeader(server, 'close').pass // true when every request said Connection: close
 */
export function sendsConnectionHeader(subject: Subject, expected?: string | RegExp): Verdict {
  const usage = 'toSendConnectionHeader()'
  const requests = requestsOf(subject, usage)
  if (
    expected !== undefined &&
    !(expected instanceof RegExp) &&
    (typeof expected !== 'string' || expected.trim() === '')
  )
    throw new MatcherUsageError(
      `${usage}: expected a token such as 'close' or a RegExp, got ${describeValue(expected)}.`,
    )
  const matches = (header: string | undefined): boolean =>
    header !== undefined &&
    (expected === undefined ||
      (expected instanceof RegExp
        ? expected.test(header)
        : tokens(header).includes(expected.trim().toLowerCase())))
  const missing = requests.filter((request) => !matches(request.connectionHeader))
  const wanted = expected === undefined ? 'a Connection header' : `Connection: ${String(expected)}`
  const summary =
    missing.length === 0
      ? `all ${plural(requests.length, 'request')} sent ${wanted}`
      : `${plural(missing.length, 'request')} of ${requests.length} did not send ${wanted} (#${missing.map((request) => request.index).join(', #')})`
  return verdict(missing.length === 0, requests, summary)
}

/**
 * The server has exactly `n` connections open now. Takes a server, not requests; a server with
 * no requests is fine here.
 *
 * @example
 * await server.closeIdleConnections()
 * hasOpenConnections(server, 0).pass // true
 */
export function hasOpenConnections(server: TestServer, n: number): Verdict {
  const usage = 'toHaveOpenConnections(n)'
  if (!isTestServer(server))
    throw new MatcherUsageError(
      `${usage}: the received value must be a test server from createTestServer(), got ${describeValue(server)}.`,
    )
  const count = checkCount(n, usage, 0)
  const open = server.openConnections
  const summary = `${plural(open.length, 'connection')} open${open.length > 0 ? ` (${open.map((c) => `conn ${c.id}`).join(', ')})` : ''}`
  return verdict(open.length === count, server.requests, summary)
}
