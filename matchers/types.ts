import type { toHaveOpenConnections } from './to-have-open-connections.js'
import type { toOpenNewSocketPerRequest } from './to-open-new-socket-per-request.js'
import type { toResumeTlsSession } from './to-resume-tls-session.js'
import type { ReuseConnectionOptions, toReuseConnection } from './to-reuse-connection.js'
import type { toSendConnectionHeader } from './to-send-connection-header.js'
import type { toUseAtMostConnections } from './to-use-at-most-connections.js'
import type { toUseConnections } from './to-use-connections.js'

/**
 * The matchers as a runner sees them, for the `declare module` blocks of the setup entries.
 * `R` is what a matcher call returns: `void`, or a promise after `.resolves`/`.rejects`. Each
 * matcher's prose lives in its own file, linked from its member here.
 *
 * @example
 * declare module 'vitest' {
 *   interface Matchers<R, T> extends KeepAliveMatchers<R> {}
 * }
 */
export interface KeepAliveMatchers<R = unknown> {
  /** Its rule and failure output: {@link toReuseConnection} (docs/matchers.md). */
  toReuseConnection(options?: ReuseConnectionOptions): R
  /** Its rule and failure output: {@link toOpenNewSocketPerRequest} (docs/matchers.md). */
  toOpenNewSocketPerRequest(): R
  /** Its rule and failure output: {@link toUseConnections} (docs/matchers.md). */
  toUseConnections(n: number): R
  /** Its rule and failure output: {@link toUseAtMostConnections} (docs/matchers.md). */
  toUseAtMostConnections(n: number): R
  /** Its rule and failure output: {@link toSendConnectionHeader} (docs/matchers.md). */
  toSendConnectionHeader(expected?: string | RegExp): R
  /** Its rule and failure output: {@link toHaveOpenConnections} (docs/matchers.md). */
  toHaveOpenConnections(n: number): R
  /** Its rule and failure output: {@link toResumeTlsSession} (docs/matchers.md). */
  toResumeTlsSession(): R
}
