import { MatcherUsageError } from '../errors.js'
import { checkCount, describeValue, type Subject } from '../subject.js'
import { checkProtocol, onProtocol, type Protocol } from '../tls/protocol.js'
import type { RecordedRequest } from '../types.js'
import { fromCounts } from './counts.js'
import { findingsOf } from './findings.js'
import { type Journal, journalOf } from './journal.js'
import { idRange } from './slots.js'
import type { Finding, Verdict } from './types.js'
import { type Usage, usageOf } from './usage.js'
import { notKept, plural, sentence } from './wording.js'

/**
 * A verdict over the connection pattern: the sentence, the findings and the counts, shared. The
 * findings are gathered when first read (a message, a report), like a matcher's message: a
 * verdict over a million requests that passes need not look at every header again.
 */
function verdictOf(journal: Journal, usage: Usage, pass: boolean, suffix = ''): Verdict {
  const { requests } = journal
  let findings: readonly Finding[] | undefined
  return {
    pass,
    summary: `${sentence(requests.length, usage, requests.length === 1 ? requests[0] : undefined)}${suffix}${notKept(requests.length, journal.dropped)}`,
    requests,
    get findings() {
      findings ??= findingsOf(journal, usage)
      return findings
    },
    counts: { requests: requests.length, connections: usage.used, reused: usage.reused },
  }
}

function judge(subject: unknown, usage: string): { journal: Journal; found: Usage } {
  const journal = journalOf(subject, usage)
  return { journal, found: usageOf(journal) }
}

/** How many distinct connections the requests used. */
export function countConnections(requests: readonly RecordedRequest[]): number {
  const [lowest, highest] = idRange(requests)
  if (highest - lowest > 4 * requests.length + 1024)
    return new Set(requests.map((request) => request.connectionId)).size
  const seen = new Uint8Array(highest - lowest + 1)
  let count = 0
  for (const { connectionId: id } of requests) {
    if (seen[id - lowest] === 0) count++
    seen[id - lowest] = 1
  }
  return count
}

/** Says in one sentence what the requests did with their connections. */
export function describePattern(requests: Subject): string {
  const { journal, found } = judge(requests, 'describePattern()')
  return verdictOf(journal, found, true).summary
}

/**
 * The requests reused their connections: some request travelled on a connection that had
 * already carried one, and no connection was a missed reuse (opened while another sat idle that
 * the client then never used again; a connection opened during a burst, while others were still
 * opening or busy, is not one). With `maxConnections`, also at most that many connections.
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
  const { journal, found } = judge(subject, usage)
  const spoke =
    protocol === undefined ? { pass: true, clause: '' } : onProtocol(journal.requests, protocol)
  const used = found.used
  const reuses = found.reused > 0 && found.missed.length === 0
  const fits = max === undefined || used <= max
  // A pool that reused its sockets fails only on the bound: say which bound it would meet.
  const pool = reuses ? ` (if your client keeps a pool, pass { maxConnections: ${used} })` : ''
  const limit =
    max === undefined
      ? ''
      : `; maxConnections is ${max}${fits ? '' : `, so ${plural(used - max, 'connection')} too many${pool}`}`
  return verdictOf(journal, found, reuses && fits && spoke.pass, `${limit}${spoke.clause}`)
}

/**
 * Every request was the first on its connection: a new socket per request.
 *
 * @example
 * opensNewSocketPerRequest(server).pass // true for 1,2,3; false for 1,1,1
 */
export function opensNewSocketPerRequest(subject: Subject): Verdict {
  const counted = fromCounts(subject, 'toOpenNewSocketPerRequest()', ({ reused }) => reused === 0)
  if (counted !== undefined) return counted
  const { journal, found } = judge(subject, 'toOpenNewSocketPerRequest()')
  return verdictOf(journal, found, found.reused === 0)
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
  const counted = fromCounts(subject, usage, ({ used }) => used === count)
  if (counted !== undefined) return counted
  const { journal, found } = judge(subject, usage)
  return verdictOf(journal, found, found.used === count)
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
  const counted = fromCounts(subject, usage, ({ used }) => used <= count)
  if (counted !== undefined) return counted
  const { journal, found } = judge(subject, usage)
  return verdictOf(journal, found, found.used <= count)
}
