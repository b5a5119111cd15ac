import type { Protocol } from '../src/tls/protocol.js'
import { reusesConnection } from '../src/verdicts.js'
import { hint, judge, type MatcherContext, type MatcherResult, timelineResult } from './context.js'

/** Options of `toReuseConnection()`. */
export interface ReuseConnectionOptions {
  /** Also require that the requests used at most this many connections (1 is Go's strictness). */
  maxConnections?: number
  /** Also require that every request travelled on a connection that spoke this protocol. */
  protocol?: Protocol
}

/**
 * Passes when the requests reused their connections: some request travelled on a connection
 * that had carried one before, and no connection opened while others sat idle that the client
 * never used again (judged on the server's timeline; a connection opened during a burst, while
 * others were opening or busy, is no missed reuse). A pool that alternates two sockets (fetch,
 * undici: 1,2,1,2) and a burst then reuse (1,2,3,4,5, then 5,5,5) pass; one request per socket
 * (1,2,3) and a socket left busy by an unread body (1,2,2,2) fail. Make a concurrent burst
 * visible with `awaitBurst(n)` (docs/matchers.md). With `{ maxConnections: n }` the requests
 * must also have used at most `n` connections.
 *
 * @example
 * await get(server.url)
 * await get(server.url)
 * expect(server).toReuseConnection({ maxConnections: 1 })
 */
export function toReuseConnection(
  this: MatcherContext,
  received: unknown,
  options?: ReuseConnectionOptions,
): MatcherResult {
  // Called from JavaScript the options can be anything; the verdict says what was wrong.
  const verdict = judge(toReuseConnection, () =>
    reusesConnection(received as never, options as ReuseConnectionOptions),
  )
  const shown = [
    options?.maxConnections === undefined ? '' : `maxConnections: ${options.maxConnections}`,
    options?.protocol === undefined ? '' : `protocol: '${options.protocol}'`,
  ].filter(Boolean)
  const args = shown.length === 0 ? '' : `{ ${shown.join(', ')} }`
  return timelineResult(
    hint(this, 'toReuseConnection', received, args),
    verdict,
    undefined,
    received,
  )
}
