import type { ReuseConnectionOptions } from './to-reuse-connection.js'

/**
 * The matchers as a runner sees them, for the `declare module` blocks of the setup entries.
 * `R` is what a matcher call returns: `void`, or a promise after `.resolves`/`.rejects`.
 *
 * @example
 * declare module 'vitest' {
 *   interface Matchers<R, T> extends KeepAliveMatchers<R> {}
 * }
 */
export interface KeepAliveMatchers<R = unknown> {
  /**
   * Passes when the requests reused their connections: some request travelled on a connection
   * that had carried one before, and no connection opened while others sat idle that the client
   * never used again (a burst, with others opening or busy, is excused).
   * `{ maxConnections: n }` also bounds how many connections were used; `{ protocol: 'h2' }`
   * (or `'http/1.1'`) also requires every request to have travelled over that protocol.
   *
   * @example
   * expect(server).toReuseConnection({ maxConnections: 1 })
   */
  toReuseConnection(options?: ReuseConnectionOptions): R
  /**
   * Passes when every request was the first on its connection: a new socket per request.
   *
   * @example
   * expect(server).toOpenNewSocketPerRequest()
   */
  toOpenNewSocketPerRequest(): R
  /**
   * Passes when the requests used exactly `n` distinct connections.
   *
   * @example
   * expect(server).toUseConnections(2)
   */
  toUseConnections(n: number): R
  /**
   * Passes when the requests used at most `n` distinct connections.
   *
   * @example
   * expect(server).toUseAtMostConnections(2)
   */
  toUseAtMostConnections(n: number): R
  /**
   * Passes when every request sent a `Connection` header; given a token, one that lists it
   * (case-insensitive); given a RegExp, one that matches it.
   *
   * @example
   * expect(server).toSendConnectionHeader('close')
   */
  toSendConnectionHeader(expected?: string | RegExp): R
  /**
   * Passes when the server has exactly `n` connections open now. Takes the server itself.
   *
   * @example
   * expect(server).toHaveOpenConnections(0)
   */
  toHaveOpenConnections(n: number): R
  /**
   * Passes when every TLS connection that carried the requests, except the first, resumed a TLS
   * session. Needs a `tls: true` server and at least two TLS connections.
   *
   * @example
   * expect(server).toResumeTlsSession()
   */
  toResumeTlsSession(): R
}
