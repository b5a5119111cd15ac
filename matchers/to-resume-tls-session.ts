import { resumesTlsSession } from '../src/tls/resumption.js'
import { hint, judge, type MatcherContext, type MatcherResult, timelineResult } from './context.js'

/**
 * Passes when every TLS connection that carried the requests, except the first, resumed a TLS
 * session instead of making a full handshake: the client keeps its session cache. Needs a server
 * made with `tls: true` and at least two TLS connections (close idle ones between requests).
 *
 * @example
 * const agent = new https.Agent({ keepAlive: true, ca: server.ca })
 * await get(server.url, { agent })
 * await server.closeIdleConnections()
 * await get(server.url, { agent })
 * expect(server).toResumeTlsSession()
 */
export function toResumeTlsSession(this: MatcherContext, received: unknown): MatcherResult {
  const verdict = judge(toResumeTlsSession, () => resumesTlsSession(received as never))
  return timelineResult(hint(this, 'toResumeTlsSession', received), verdict, undefined, received)
}
