import { hasToken } from '../connection-header.js'
import { MatcherUsageError } from '../errors.js'
import { describeValue, requestsOf, type Subject } from '../subject.js'
import { countConnections } from './pattern.js'
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
  const reused = requests.reduce((sum, request) => sum + (request.reusedConnection ? 1 : 0), 0)
  const counts = { requests: requests.length, connections: countConnections(requests), reused }
  return { pass: missing.length === 0, summary, requests, findings: [], counts }
}
