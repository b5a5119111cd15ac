import { opensNewSocketPerRequest } from '../src/verdicts.js'
import { hint, judge, type MatcherContext, type MatcherResult, timelineResult } from './context.js'

/**
 * The `toOpenNewSocketPerRequest` matcher, for `expect.extend` in any runner. Its rule is on `KeepAliveMatchers`
 * (matchers/types.ts), which is what an editor shows on `expect(…).toOpenNewSocketPerRequest`; its failure output
 * is in docs/matchers.md.
 *
 * @example
 * expect.extend({ toOpenNewSocketPerRequest })
 */
export function toOpenNewSocketPerRequest(this: MatcherContext, received: unknown): MatcherResult {
  const verdict = judge(toOpenNewSocketPerRequest, () =>
    opensNewSocketPerRequest(received as never),
  )
  return timelineResult(
    hint(this, 'toOpenNewSocketPerRequest', received),
    verdict,
    undefined,
    received,
  )
}
