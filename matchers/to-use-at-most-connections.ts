import { usesAtMostConnections } from '../src/verdicts.js'
import { hint, judge, type MatcherContext, type MatcherResult, timelineResult } from './context.js'

/**
 * Passes when the requests used at most `n` distinct connections: a bound on a pool's size that
 * holds whichever of its sockets the client picked.
 *
 * @example
 * for (let i = 0; i < 5; i++) await fetch(server.url).then((res) => res.text())
 * expect(server).toUseAtMostConnections(2)
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
