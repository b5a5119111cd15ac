import { sendsConnectionHeader } from '../src/verdicts.js'
import { hint, judge, type MatcherContext, type MatcherResult, timelineResult } from './context.js'

/**
 * The `toSendConnectionHeader` matcher, for `expect.extend` in any runner. Its rule is on `KeepAliveMatchers`
 * (matchers/types.ts), which is what an editor shows on `expect(…).toSendConnectionHeader`; its failure output
 * is in docs/matchers.md.
 *
 * @example
 * expect.extend({ toSendConnectionHeader })
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
