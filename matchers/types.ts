import type { ReuseConnectionOptions } from './to-reuse-connection.js'

/**
 * The matchers as a runner sees them, for the `declare module` blocks of the setup entries.
 * `R` is what a matcher call returns: `void`, or a promise after `.resolves`/`.rejects`. This is
 * what an editor shows on hover, so each matcher's rule is said here, once; its file holds the
 * code and docs/matchers.md the failure output.
 *
 * @example
 * declare module 'vitest' {
 *   interface Matchers<R, T> extends KeepAliveMatchers<R> {}
 * }
 */
export interface KeepAliveMatchers<R = unknown> {
  /**
   * Passes when some request reused a connection and no connection was a missed reuse: opened
   * while another sat idle that the client then left unused for good (a burst, with others
   * opening or busy, is not). `{ maxConnections: n }` also bounds the connections used;
   * `{ protocol: 'h2' }` also requires every request to have travelled over that protocol. Rule and failure output in detail: docs/matchers.md.
   *
   * @example
   * expect(server).toReuseConnection({ maxConnections: 1 })
   */
  toReuseConnection(options?: ReuseConnectionOptions): R
  /**
   * Passes when every request was the first on its connection: a new socket per request. Rule and failure output in detail: docs/matchers.md.
   *
   * @example
   * expect(server).toOpenNewSocketPerRequest()
   */
  toOpenNewSocketPerRequest(): R
  /**
   * Passes when the requests used exactly `n` distinct connections. Rule and failure output in detail: docs/matchers.md.
   *
   * @example
   * expect(server).toUseConnections(2)
   */
  toUseConnections(n: number): R
  /**
   * Passes when the requests used at most `n` distinct connections. Rule and failure output in detail: docs/matchers.md.
   *
   * @example
   * expect(server).toUseAtMostConnections(2)
   */
  toUseAtMostConnections(n: number): R
  /**
   * Passes when every request sent a `Connection` header; given a token, one that lists it
   * (case-insensitive); given a RegExp, one that matches it. Rule and failure output in detail: docs/matchers.md.
   *
   * @example
   * expect(server).toSendConnectionHeader('close')
   */
  toSendConnectionHeader(expected?: string | RegExp): R
  /**
   * Passes when the server has exactly `n` connections open now. Takes the server itself. Rule and failure output in detail: docs/matchers.md.
   *
   * @example
   * expect(server).toHaveOpenConnections(0)
   */
  toHaveOpenConnections(n: number): R
  /**
   * Passes when every TLS connection that carried the requests, except the first, resumed a TLS
   * session. Needs a `tls: true` server and at least two TLS connections. Rule and failure output in detail: docs/matchers.md.
   *
   * @example
   * expect(server).toResumeTlsSession()
   */
  toResumeTlsSession(): R
}
