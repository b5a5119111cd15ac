import { opensNewSocketPerRequest } from '../src/verdicts.js'
import { hint, judge, type MatcherContext, type MatcherResult, timelineResult } from './context.js'

/**
 * Passes when every request was the first on its connection: the client opened a new socket
 * for each one, as it does with keep-alive switched off (`agent: false`, `Connection: close`).
 * Use it to prove that a "no keep-alive" setting really took effect.
 *
 * @example
 * await get(server.url, { agent: false })
 * await get(server.url, { agent: false })
 * expect(server).toOpenNewSocketPerRequest()
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
