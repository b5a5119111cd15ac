import { usesAtMostConnections } from '../src/verdicts.js'
import { hint, judge, type MatcherContext, type MatcherResult, timelineResult } from './context.js'

/**
 * The `toUseAtMostConnections` matcher, for `expect.extend` in any runner. Its rule is on `KeepAliveMatchers`
 * (matchers/types.ts), which is what an editor shows on `expect(…).toUseAtMostConnections`; its failure output
 * is in docs/matchers.md.
 *
 * @example
 * expect.extend({ toUseAtMostConnections })
 */
export function toUseAtMostConnections(
  this: MatcherContext,
  received: unknown,
  n: number,
): MatcherResult {
  const verdict = judge(toUseAtMostConnections, () => usesAtMostConnections(received as never, n))
  return timelineResult(
    hint(this, 'toUseAtMostConnections', received, String(n)),
    verdict,
    undefined,
    received,
  )
}
