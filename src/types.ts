import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'

/** Why a connection ended. See docs/server.md for when each one is recorded. */
export type CloseReason =
  | 'client-closed'
  | 'client-reset'
  | 'idle-timeout'
  | 'keep-alive-disabled'
  | 'max-requests'
  | 'client-asked'
  | 'server-closed'
  | 'error'
  | 'tls-handshake-failed'

/** What a TLS connection negotiated; see `RecordedConnection.tls`. */
export interface TlsDetails {
  /** The TLS version, such as `'TLSv1.3'`. */
  readonly version: string
  /** The ALPN protocol chosen, `false` when the client offered none. */
  readonly alpn: string | false
  /** Whether the client resumed an earlier TLS session (an abbreviated handshake). */
  readonly resumed: boolean
}

/** A request as the test server received it, recorded before the handler runs. */
export interface RecordedRequest {
  /** 0-based arrival order on this server (since the last `clear()`). */
  readonly index: number
  /** 1-based id of the TCP connection that carried it, given when the socket connected. */
  readonly connectionId: number
  /** 0 for the first request on its connection, 1 for the second, … */
  readonly indexOnConnection: number
  /** `indexOnConnection > 0`: the request travelled on a connection that had carried one before. */
  readonly reusedConnection: boolean
  readonly remoteAddress: string
  readonly remotePort: number
  readonly httpVersion: string
  readonly method: string
  /** The request target as received: path and query (a full URL or `host:port` when sent so). */
  readonly url: string
  /** The request headers as node parsed them (lower-case names). Frozen. */
  readonly headers: Readonly<IncomingHttpHeaders>
  /** The raw `Connection` header, `undefined` when the client sent none. */
  readonly connectionHeader: string | undefined
  /** The raw `Keep-Alive` header, `undefined` when the client sent none. */
  readonly keepAliveHeader: string | undefined
  /** When the request's headers arrived, in ms from `performance.now()`. */
  readonly receivedAt: number
  /** When its response finished (node's `'finish'`), same clock; `undefined` while unanswered or if never answered. */
  readonly respondedAt: number | undefined
  /** The HTTP/2 stream id; absent (`undefined`) on HTTP/1.1. */
  readonly streamId?: number
}

/** A TCP connection the test server accepted. Live: updated as the connection is used and closed. */
export interface RecordedConnection {
  /** 1-based, in the order the connections opened. Never reused on one server. */
  readonly id: number
  readonly remoteAddress: string
  readonly remotePort: number
  /** ms from `performance.now()`. */
  readonly openedAt: number
  /** ms from `performance.now()`; `undefined` while the connection is open. */
  readonly closedAt: number | undefined
  /** How many requests the server took on it (not those pipelined after it decided to close). */
  readonly requestCount: number
  /** Who closed first; `undefined` while the connection is open. */
  readonly closedBy: 'client' | 'server' | undefined
  /** Why it ended; `undefined` while the connection is open. */
  readonly closeReason: CloseReason | undefined
  /** What went wrong, when `closeReason` is `'error'` or `'client-reset'`. */
  readonly error: string | undefined
  /**
   * The fault that made the server close it (see docs/faults.md), `undefined` when none did.
   * Such a connection has `closedBy: 'server'` and `closeReason: 'server-closed'`.
   */
  readonly fault: FaultName | undefined
  /**
   * The code in this process that opened the client end, as `name (file:line)`: the first frame
   * outside node, `node_modules` and keepalive-kit. `undefined` for clients in other processes,
   * and where no such frame was on the stack (a socket opened later from a queue).
   */
  readonly openedBy: string | undefined
  /** What the connection spoke: `'http/1.1'`, or `undefined` until known (a failed handshake, no request yet). */
  readonly protocol: 'http/1.1' | 'h2' | undefined
  /** `undefined` in clear text (and before the handshake completes); else what TLS negotiated. */
  readonly tls: TlsDetails | undefined
  /** The most requests it had in flight at once: HTTP/2 streams open together (or pipelined requests). */
  readonly maxInFlight: number
  /**
   * HTTP/2 only, and only once it happened: the ids of the streams a `{ partialBody }` fault
   * reset (RST_STREAM) while the connection stayed open. See docs/faults.md.
   */
  readonly resetStreams?: readonly number[]
}

/**
 * A misbehaviour the test server can put on a response (see docs/faults.md):
 * - `'close-after-response'`: answer normally, then close (FIN) although the response said
 *   keep-alive, so the client finds its pooled socket closed;
 * - `'no-response'`: close the connection (FIN) without answering;
 * - `'reset'`: reset the connection (RST) without answering;
 * - `{ delay: ms }`: answer `ms` later (the request is still recorded when it arrives);
 * - `{ partialBody: n }`: send the status and headers with the full `Content-Length`, only the
 *   first `n` bytes of the body, then close.
 *
 * Over HTTP/2: `'no-response'` is GOAWAY then a close, `'reset'` resets the TCP connection,
 * `{ partialBody }` resets its stream alone (RST_STREAM); see docs/faults.md.
 */
export type Fault =
  | 'close-after-response'
  | 'no-response'
  | 'reset'
  | { readonly delay: number }
  | { readonly partialBody: number }

/** How `RecordedConnection.fault` names the fault that closed a connection. */
export type FaultName = 'close-after-response' | 'no-response' | 'reset' | 'partial-body'

/** Picks the fault for a request, or `undefined` to answer it normally. */
export type FaultPicker = (request: RecordedRequest) => Fault | undefined

/**
 * Answers a request: node's own request and response objects. What it returns is ignored, but
 * a returned promise that rejects is answered with a 500, like a throw. `unknown` rather than
 * `void | Promise<void>` so a one-liner such as `(req, res) => res.end('x')` type-checks.
 */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => unknown

/** Options of `createTestServer()`. Every one is optional; see docs/server.md. */
export interface TestServerOptions {
  /** Address to bind. Default `'127.0.0.1'`. */
  host?: string
  /** A port, or preferred ports tried in order; any free port when none is free. Default: any. */
  port?: number | readonly number[]
  /** `false`: every response says `Connection: close` and the socket closes after it. Default `true`. */
  keepAlive?: boolean
  /** ms an idle connection may wait for its next request; exact; `0` = never. Default `5000`. */
  idleTimeout?: number
  /** Advertise `Keep-Alive: timeout=N`: `true` for the idle timeout, or a number of seconds. Default `false`. */
  keepAliveHint?: boolean | number
  /** After this many requests on one connection, answer `Connection: close` and close it. */
  maxRequestsPerConnection?: number
  /** Answers each request. Default: `200 ok`. */
  handler?: RequestHandler
  /** msw request handlers that answer instead of `handler` (see docs/msw.md). */
  handlers?: readonly unknown[]
  /**
   * Picks a fault for each request as it arrives, or `undefined` to answer it normally; the
   * request tells its `connectionId` and `indexOnConnection`. See docs/faults.md.
   */
  fault?: FaultPicker
  /**
   * Serve HTTPS: `true` with a certificate made in-process for `localhost`, `127.0.0.1` and
   * `::1` (trust `server.ca`), or `{ key, cert }` in PEM to bring your own. See docs/tls.md.
   */
  tls?: boolean | { readonly key: string | Buffer; readonly cert: string | Buffer }
  /**
   * Also speak HTTP/2: with `tls` by ALPN (`h2`), without it h2c by prior knowledge. HTTP/1.1
   * clients keep working on the same port. See docs/tls.md.
   */
  http2?: boolean
  /**
   * Which requests `server.requests` keeps, for long load runs: `'all'` (the default),
   * `{ keepLast: n }` for the last `n` only, or `'counts'` for none (each connection record still
   * counts its requests). Connection records are always kept whole. See docs/server.md.
   */
  journal?: 'all' | 'counts' | { readonly keepLast: number }
  /** `false`: records keep no headers (`headers` is `{}`), for long runs. Default `true`. */
  recordHeaders?: boolean
}
