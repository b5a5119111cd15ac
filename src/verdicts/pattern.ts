import { MatcherUsageError } from '../errors.js'
import { checkCount, describeValue, type Subject } from '../subject.js'
import { checkProtocol, onProtocol, type Protocol } from '../tls/protocol.js'
import { type Columns, columnsOf } from './columns.js'
import { fromCounts } from './counts.js'
import { findingsOf } from './findings.js'
import { type Journal, journalOf } from './journal.js'
import { idRange } from './slots.js'
import type { Finding, Verdict } from './types.js'
import { type Usage, usageOf } from './usage.js'
import { notKept, plural, sentence } from './wording.js'

/** What a verdict counts: connections used and requests that reused one. */
interface Tally {
  readonly used: number
  readonly reused: number
}

/**
 * A verdict over the connection pattern: the sentence, the findings and the counts, shared. The
 * sentence and the findings are made when first read (a message, a report), like a matcher's
 * message, and so is the timeline they need (`usage`) when the verdict did not need it to pass
 * or fail: a verdict over a million requests that passes need not sweep them.
 */
function verdictOf(
  journal: Journal,
  usage: () => Usage,
  tally: Tally,
  pass: boolean,
  suffix = '',
): Verdict {
  const { requests } = journal
  let summary: string | undefined
  let findings: readonly Finding[] | undefined
  return {
    pass,
    get summary() {
      summary ??= `${sentence(requests.length, usage(), requests.length === 1 ? requests[0] : undefined)}${suffix}${notKept(requests.length, journal.dropped)}`
      return summary
    },
    requests,
    get findings() {
      findings ??= findingsOf(journal, usage())
      return findings
    },
    counts: { requests: requests.length, connections: tally.used, reused: tally.reused },
  }
}

/** The journal of `subject` and its timeline, followed now. */
function judge(subject: unknown, usage: string): { journal: Journal; found: Usage } {
  const journal = journalOf(subject, usage)
  return { journal, found: usageOf(journal) }
}

/**
 * The journal of `subject` and its counts, read in two passes over its columns; the timeline is
 * followed only if the sentence or the findings are read.
 */
function tallyOf(
  subject: unknown,
  usage: string,
): {
  journal: Journal
  tally: Tally
  found: () => Usage
} {
  const journal = journalOf(subject, usage)
  const columns = columnsOf(journal.requests)
  let found: Usage | undefined
  return {
    journal,
    tally: { used: countIds(columns.connectionId), reused: countReused(columns) },
    found: () => {
      found ??= usageOf(journal, columns)
      return found
    },
  }
}

/** How many requests travelled on a connection that had carried one before. */
function countReused(columns: Columns): number {
  const { indexOnConnection, length } = columns
  let reused = 0
  for (let i = 0; i < length; i++) if ((indexOnConnection[i] as number) > 0) reused++
  return reused
}

/** How many distinct ids the `connectionId` column holds. */
export function countIds(ids: Float64Array): number {
  if (ids.length === 0) return 0
  const [lowest, highest] = idRange(ids)
  if (highest - lowest > 4 * ids.length + 1024) return new Set(ids).size
  const seen = new Uint8Array(highest - lowest + 1)
  let count = 0
  for (let i = 0; i < ids.length; i++) {
    const at = ((ids[i] as number) - lowest) | 0
    if (seen[at] === 0) {
      count++
      seen[at] = 1
    }
  }
  return count
}

/** Says in one sentence what the requests did with their connections. */
export function describePattern(requests: Subject): string {
  const { journal, found } = judge(requests, 'describePattern()')
  return verdictOf(journal, () => found, found, true).summary
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
  const journal = journalOf(subject, usage)
  const columns = columnsOf(journal.requests)
  const spoke = protocol === undefined ? { pass: true, clause: '' } : onProtocol(journal, protocol)
  // No request reused a connection: a fail whatever the timeline says, so it is followed only
  // when the sentence or the findings are read.
  const reused = countReused(columns)
  let timeline: Usage | undefined = reused > 0 ? usageOf(journal, columns, reused) : undefined
  const found = (): Usage => {
    timeline ??= usageOf(journal, columns, reused)
    return timeline
  }
  const tally = { used: timeline?.used ?? countIds(columns.connectionId), reused }
  const used = tally.used
  const reuses = timeline !== undefined && timeline.missed.length === 0
  const fits = max === undefined || used <= max
  // A pool that reused its sockets fails only on the bound: say which bound it would meet.
  const pool = reuses ? ` (if your client keeps a pool, pass { maxConnections: ${used} })` : ''
  const limit =
    max === undefined
      ? ''
      : `; maxConnections is ${max}${fits ? '' : `, so ${plural(used - max, 'connection')} too many${pool}`}`
  return verdictOf(journal, found, tally, reuses && fits && spoke.pass, `${limit}${spoke.clause}`)
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
  const { journal, tally, found } = tallyOf(subject, 'toOpenNewSocketPerRequest()')
  return verdictOf(journal, found, tally, tally.reused === 0)
}

/**
 * The requests used exactly `n` distinct connections.
 *
 * @example
 * usesConnections(server, 2).pass // true for 1,2,1,2
 */
export function usesConnections(subject: Subject, n: number): Verdict {
  const usage = 'toUseConnections(n)'
  const wanted = checkCount(n, usage, 'n')
  const counted = fromCounts(subject, usage, ({ used }) => used === wanted)
  if (counted !== undefined) return counted
  const { journal, tally, found } = tallyOf(subject, usage)
  return verdictOf(journal, found, tally, tally.used === wanted)
}

/**
 * The requests used at most `n` distinct connections.
 *
 * @example
 * usesAtMostConnections(server, 2).pass // true for 1,1,1 and 1,2,1
 */
export function usesAtMostConnections(subject: Subject, n: number): Verdict {
  const usage = 'toUseAtMostConnections(n)'
  const wanted = checkCount(n, usage, 'n')
  const counted = fromCounts(subject, usage, ({ used }) => used <= wanted)
  if (counted !== undefined) return counted
  const { journal, tally, found } = tallyOf(subject, usage)
  return verdictOf(journal, found, tally, tally.used <= wanted)
}
