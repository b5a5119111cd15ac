import type { EventEmitter } from 'node:events'
import type { RecordedConnection, RecordedRequest } from './types.js'

/** What a test server emits, for tests that wait on events instead of sleeping. */
export interface TestServerEvents {
  /** A client connected. */
  connection: [connection: RecordedConnection]
  /** A request was recorded (its headers arrived); emitted before the handler runs. */
  request: [request: RecordedRequest]
  /** A connection closed; `closedBy` and `closeReason` are set. */
  connectionClose: [connection: RecordedConnection]
}

/** A recording HTTP/1.1 server on loopback. Create one with `createTestServer()`. */
export interface TestServer extends EventEmitter<TestServerEvents>, AsyncDisposable {
  /** `http://127.0.0.1:PORT` (`https://` with `tls`), no trailing slash. */
  readonly url: string
  readonly port: number
  /** With `tls`, the PEM certificate clients must trust (see docs/tls.md); `undefined` without. */
  readonly ca: string | undefined
  /** Every request since start (or the last `clear()`), in arrival order. Live. */
  readonly requests: readonly RecordedRequest[]
  /** Every connection since start (or the last `clear()`), in opening order. Live. */
  readonly connections: readonly RecordedConnection[]
  /** The connections not yet closed. */
  readonly openConnections: readonly RecordedConnection[]
  /** The URL of `path` on this server: `server.urlFor('/a?b=1')`. */
  urlFor(path: string): string
  /** Forgets the requests and closed connections; open connections stay open and keep their ids. */
  clear(): void
  /** Closes every connection that has no request in flight, now; resolves once they are closed. */
  closeIdleConnections(): Promise<void>
  /** Closes every connection now, in flight or not; resolves once they are closed. */
  closeClientConnections(): Promise<void>
  /** Stops the server and closes every connection. Idempotent; never waits on a client. */
  close(): Promise<void>
  /**
   * One-shot: the next request that arrives on an already-used connection
   * (`indexOnConnection > 0`) gets no answer; its connection is closed (`'no-response'`, FIN) or
   * reset (`'reset'`, RST). The stale-socket race, made deterministic. See docs/faults.md.
   *
   * @example
   * await client.get(server.url) // opens connection 1
   * server.failNextReusedRequest()
   * await client.get(server.url) // sent on connection 1: 'socket hang up'; does your client retry?
   */
  failNextReusedRequest(fault?: 'no-response' | 'reset'): void
}
