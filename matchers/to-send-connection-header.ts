import { sendsConnectionHeader } from '../src/verdicts.js'
import { hint, judge, type MatcherContext, type MatcherResult, timelineResult } from './context.js'

/**
 * Passes when every request carried a `Connection` header; given a token, when every header
 * lists it (`'close'` matches `Connection: Close` and `Connection: TE, close`); given a RegExp,
 * when every header matches it. HTTP/1.1 clients that keep connections alive often send no
 * header at all, so assert `'close'` to prove keep-alive is off, not `'keep-alive'` to prove
 * it is on.
 *
 * @example
 * await get(server.url, { agent: false })
 * expect(server).toSendConnectionHeader('close')
 */
export function toSendConnectionHeader(
  this: MatcherContext,
  received: unknown,
  expected?: string | RegExp,
): MatcherResult {
  const verdict = judge(toSendConnectionHeader, () =>
    sendsConnectionHeader(received as never, expected),
  )
  const args =
    expected === undefined
      ? ''
      : expected instanceof RegExp
        ? String(expected)
        : `'${expected.replaceAll("'", "\\'")}'`
  return timelineResult(
    hint(this, 'toSendConnectionHeader', received, args),
    verdict,
    undefined,
    received,
  )
}
