import { countConnections, usesConnections } from '../src/verdicts.js'
import { hint, judge, type MatcherContext, type MatcherResult, timelineResult } from './context.js'

/**
 * Passes when the requests used exactly `n` distinct connections, told apart by the server's
 * own numbering (remote ports repeat, so never by port).
 *
 * @example
 * await Promise.all([get(server.url), get(server.url)])
 * expect(server).toUseConnections(2)
 */
export function toUseConnections(
  this: MatcherContext,
  received: unknown,
  n: number,
): MatcherResult {
  const verdict = judge(toUseConnections, () => usesConnections(received as never, n))
  // The counts feed the runner's diff; only a failing positive assertion shows one, and only it
  // pays for the count.
  const diff =
    verdict.pass || this.isNot
      ? undefined
      : { actual: countConnections(verdict.requests), expected: n }
  return timelineResult(
    hint(this, 'toUseConnections', received, String(n)),
    verdict,
    diff,
    received,
  )
}
