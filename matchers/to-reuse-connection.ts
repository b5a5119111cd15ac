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
 * The `toReuseConnection` matcher, for `expect.extend` in any runner. Its rule is on `KeepAliveMatchers`
 * (matchers/types.ts), which is what an editor shows on `expect(…).toReuseConnection`; its failure output
 * is in docs/matchers.md.
 *
 * @example
 * expect.extend({ toReuseConnection })
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
