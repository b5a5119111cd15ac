import { usesConnections } from '../src/verdicts.js'
import { hint, judge, type MatcherContext, type MatcherResult, timelineResult } from './context.js'

/**
 * The `toUseConnections` matcher, for `expect.extend` in any runner. Its rule is on `KeepAliveMatchers`
 * (matchers/types.ts), which is what an editor shows on `expect(…).toUseConnections`; its failure output
 * is in docs/matchers.md.
 *
 * @example
 * expect.extend({ toUseConnections })
 */
export function toUseConnections(
  this: MatcherContext,
  received: unknown,
  n: number,
): MatcherResult {
  const verdict = judge(toUseConnections, () => usesConnections(received as never, n))
  // The counts feed the runner's diff; only a failing positive assertion shows one.
  const diff =
    verdict.pass || this.isNot ? undefined : { actual: verdict.counts.connections, expected: n }
  return timelineResult(
    hint(this, 'toUseConnections', received, String(n)),
    verdict,
    diff,
    received,
  )
}
