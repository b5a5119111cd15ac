import { hasToken } from '../connection-header.js'
import { MatcherUsageError } from '../errors.js'
import { describeValue, type Subject } from '../subject.js'
import type { RecordedRequest } from '../types.js'
import { columnsOf } from './columns.js'
import { journalOf } from './journal.js'
import { countIds } from './pattern.js'
import type { Verdict } from './types.js'
import { plural, some } from './wording.js'

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
  const { requests } = journalOf(subject, usage)
  const columns = columnsOf(requests)
  const { length, connectionHeader, indexOnConnection } = columns
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
  // The indexes of the first few requests that miss, and how many do: a summary names 8.
  const missing: number[] = []
  let missed = 0
  let reused = 0
  // Headers repeat: each distinct one is judged once.
  let seen: string | undefined
  let fits = false
  for (let i = 0; i < length; i++) {
    const header = connectionHeader[i]
    if (header !== seen || i === 0) {
      seen = header
      fits = matches(header)
    }
    if (!fits && missed++ < 8) missing.push((requests[i] as RecordedRequest).index)
    if ((indexOnConnection[i] as number) > 0) reused++
  }
  const wanted =
    expected === undefined
      ? 'a Connection header'
      : expected instanceof RegExp
        ? `a Connection header matching ${String(expected)}`
        : `a Connection header listing ${JSON.stringify(token)}`
  const listed =
    missed > 8 ? `${missing.slice(0, 8).join(', ')} and ${missed - 8} more` : some(missing)
  const summary =
    missed === 0
      ? `${length === 1 ? 'the request' : `all ${length} requests`} sent ${wanted}`
      : `${plural(missed, 'request')} of ${length} did not send ${wanted} (#${listed.replaceAll(', ', ', #')})`
  const counts = { requests: length, connections: countIds(columns.connectionId), reused }
  return { pass: missed === 0, summary, requests, findings: [], counts }
}
