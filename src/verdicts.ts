import { hasToken } from './connection-header.js'
import { MatcherUsageError } from './errors.js'
import type { TestServer } from './server.js'
import { checkCount, describeValue, requestsOf, type Subject, serverOf } from './subject.js'
import { checkProtocol, onProtocol, type Protocol } from './tls/protocol.js'
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

/** What the requests did with their connections, gathered in one pass. */
interface Usage {
  /** Distinct connections used. */
  connections: number
  /** Requests that travelled on a connection that had carried one before. */
  reused: number
  /** Ids of the connections, other than the newest, that had carried only one request. */
  dropped: number[]
}

/** How many requests each connection had carried by its last request in the subject. */
interface Carried {
  forEach(visit: (count: number, id: number) => void): void
  readonly size: number
}

/**
 * Connection ids on one server are dense (1, 2, 3, …), so a typed array indexed by id is the
 * table; a hand-built journal with sparse ids gets a Map. Either way one pass over the requests:
 * verdicts run over journals of a million requests.
 */
function carriedBy(requests: readonly RecordedRequest[], lowest: number, highest: number): Carried {
  const span = highest - lowest + 1
  if (span > 4 * requests.length + 1024) {
    const table = new Map<number, number>()
    for (const { connectionId: id, indexOnConnection } of requests)
      table.set(id, Math.max(table.get(id) ?? 0, indexOnConnection + 1))
    return table
  }
  const table = new Uint32Array(span)
  let size = 0
  for (const { connectionId: id, indexOnConnection } of requests) {
    const slot = id - lowest
    const known = table[slot] ?? 0
    if (known === 0) size++
    if (known < indexOnConnection + 1) table[slot] = indexOnConnection + 1
  }
  return {
    size,
    forEach: (visit) => {
      for (let slot = 0; slot < span; slot++) {
        const count = table[slot] ?? 0
        if (count > 0) visit(count, slot + lowest)
      }
    },
  }
}

function usageOf(requests: readonly RecordedRequest[]): Usage {
  let reused = 0
  let lowest = Number.POSITIVE_INFINITY
  let newest = 0
  for (const request of requests) {
    const id = request.connectionId
    if (request.reusedConnection) reused++
    if (id > newest) newest = id
    if (id < lowest) lowest = id
  }
  const carried = carriedBy(requests, lowest, newest)
  const dropped: number[] = []
  carried.forEach((count, id) => {
    if (count === 1 && id !== newest) dropped.push(id)
  })
  return { connections: carried.size, reused, dropped: dropped.sort((a, b) => a - b) }
}

/**
 * How many distinct connections the requests used.
 *
 * @example
 * countConnections(server.requests) // 2 for 1,2,1,2,1
 */
export function countConnections(requests: readonly RecordedRequest[]): number {
  return usageOf(requests).connections
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** Lists at most `max` items, then says how many more there were. */
const some = (items: readonly (string | number)[], max = 8): string =>
  items.length > max
    ? `${items.slice(0, max).join(', ')} and ${items.length - max} more`
    : items.join(', ')

/** The likely reason connections carried one request: the client said so, or a body unread. */
function whyDropped(requests: readonly RecordedRequest[], dropped: readonly number[]): string {
  const ids = new Set(dropped)
  const asked = requests.every(
    (request) => !ids.has(request.connectionId) || hasToken(request.connectionHeader, 'close'),
  )
  return asked
    ? 'the client sent Connection: close'
    : 'often a response body left unread, which keeps its socket busy'
}

function sentence(requests: readonly RecordedRequest[], usage: Usage): string {
  const used = `${plural(requests.length, 'request')} used ${plural(usage.connections, 'connection')}`
  const [only] = requests
  if (requests.length === 1 && only !== undefined)
    return only.reusedConnection
      ? `${used}, which had carried ${plural(only.indexOnConnection, 'request')} before it`
      : `${used}, as its first request`
  if (usage.reused === 0) return `${used}; none was reused`
  if (usage.connections === 1) return `${used}; ${plural(usage.reused, 'request')} reused it`
  const { dropped } = usage
  if (dropped.length > 0)
    return `${used}; ${dropped.length === 1 ? 'connection' : 'connections'} ${some(dropped)} carried a single request and ${dropped.length === 1 ? 'was' : 'were'} never used again (${whyDropped(requests, dropped)})`
  return `${used}, each reused`
}

/**
 * Says in one sentence what the requests did with their connections.
 *
 * @example
 * describePattern(server.requests) // '5 requests used 5 connections; none was reused'
 */
export function describePattern(requests: readonly RecordedRequest[]): string {
  return sentence(requests, usageOf(requests))
}

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
  options: { maxConnections?: number; protocol?: Protocol } = {},
): Verdict {
  const usage = 'toReuseConnection()'
  if (typeof options !== 'object' || options === null)
    throw new MatcherUsageError(
      `${usage}: options must be an object such as { maxConnections: 2 }. Received ${describeValue(options)}.`,
    )
  const max =
    options.maxConnections === undefined
      ? undefined
      : checkCount(options.maxConnections, usage, 'maxConnections')
  const protocol = checkProtocol(options.protocol, usage)
  const requests = requestsOf(subject, usage)
  const found = usageOf(requests)
  const spoke = protocol === undefined ? { pass: true, clause: '' } : onProtocol(requests, protocol)
  const reuses = found.reused > 0 && found.dropped.length === 0
  const fits = max === undefined || found.connections <= max
  // A pool that reused every socket fails only on the bound: say which bound it would meet.
  const pool = reuses
    ? ` (if your client keeps a pool, pass { maxConnections: ${found.connections} })`
    : ''
  const limit =
    max === undefined
      ? ''
      : `; maxConnections is ${max}${fits ? '' : `, so ${plural(found.connections - max, 'connection')} too many${pool}`}`
  return {
    pass: reuses && fits && spoke.pass,
    summary: `${sentence(requests, found)}${limit}${spoke.clause}`,
    requests,
  }
}

/**
 * Every request was the first on its connection: a new socket per request.
 *
 * @example
 * opensNewSocketPerRequest(server).pass // true for 1,2,3; false for 1,1,1
 */
export function opensNewSocketPerRequest(subject: Subject): Verdict {
  const requests = requestsOf(subject, 'toOpenNewSocketPerRequest()')
  const found = usageOf(requests)
  return { pass: found.reused === 0, summary: sentence(requests, found), requests }
}

/**
 * The requests used exactly `n` distinct connections.
 *
 * @example
 * usesConnections(server, 2).pass // true for 1,2,1,2
 */
export function usesConnections(subject: Subject, n: number): Verdict {
  const usage = 'toUseConnections(n)'
  const count = checkCount(n, usage, 'n')
  const requests = requestsOf(subject, usage)
  const found = usageOf(requests)
  return { pass: found.connections === count, summary: sentence(requests, found), requests }
}

/**
 * The requests used at most `n` distinct connections.
 *
 * @example
 * usesAtMostConnections(server, 2).pass // true for 1,1,1 and 1,2,1
 */
export function usesAtMostConnections(subject: Subject, n: number): Verdict {
  const usage = 'toUseAtMostConnections(n)'
  const count = checkCount(n, usage, 'n')
  const requests = requestsOf(subject, usage)
  const found = usageOf(requests)
  return { pass: found.connections <= count, summary: sentence(requests, found), requests }
}

/**
 * Every request carried a `Connection` header; with a token, every header lists it
 * (case-insensitive); with a RegExp, every header matches it.
 *
 * @example
 * sendsConnectionHeader(server, 'close').pass // true when every request said Connection: close
 */
export function sendsConnectionHeader(subject: Subject, expected?: string | RegExp): Verdict {
  const usage = 'toSendConnectionHeader()'
  const isToken = typeof expected === 'string' && /^[^\s,]+$/.test(expected.trim())
  if (expected !== undefined && !(expected instanceof RegExp) && !isToken)
    throw new MatcherUsageError(
      `${usage}: expected one token such as 'close' or 'keep-alive', or a RegExp. Received ${describeValue(expected)}.`,
    )
  const requests = requestsOf(subject, usage)
  const token = typeof expected === 'string' ? expected.trim().toLowerCase() : undefined
  const matches = (header: string | undefined): boolean => {
    if (header === undefined) return false
    if (expected instanceof RegExp) {
      // A /g or /y RegExp remembers lastIndex between calls; each header is tested from its start.
      expected.lastIndex = 0
      return expected.test(header)
    }
    return token === undefined || hasToken(header, token)
  }
  const missing: number[] = []
  for (const request of requests)
    if (!matches(request.connectionHeader)) missing.push(request.index)
  const wanted =
    expected === undefined
      ? 'a Connection header'
      : expected instanceof RegExp
        ? `a Connection header matching ${String(expected)}`
        : `a Connection header listing ${JSON.stringify(token)}`
  const summary =
    missing.length === 0
      ? `${requests.length === 1 ? 'the request' : `all ${requests.length} requests`} sent ${wanted}`
      : `${plural(missing.length, 'request')} of ${requests.length} did not send ${wanted} (#${some(missing).replaceAll(', ', ', #')})`
  return { pass: missing.length === 0, summary, requests }
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
  const checked = serverOf(server, usage)
  const count = checkCount(n, usage, 'n', 0)
  const open = checked.openConnections.length
  const total = checked.connections.length
  const summary =
    total === 0
      ? 'no connection was opened'
      : `${open} of ${plural(total, 'connection')} ${open === 1 ? 'is' : 'are'} open`
  return { pass: open === count, summary, requests: checked.requests }
}
