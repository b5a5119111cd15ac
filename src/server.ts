import { EventEmitter } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { answer, defaultHandler } from './answer.js'
import { Connection } from './connection.js'
import { asksToClose } from './connection-header.js'
import { KeepAliveKitError } from './errors.js'
import { Interner } from './interner.js'
import { listen } from './listen.js'
import { trackLiveServer } from './msw/live-servers.js'
import { type ResolvedOptions, resolveOptions } from './options.js'
import type {
  CloseReason,
  Fault,
  RecordedConnection,
  RecordedRequest,
  RequestHandler,
  TestServerOptions,
} from './types.js'
import { trackRecordingServer } from './verdicts/journal.js'

/** What a test server emits, for tests that wait on events instead of sleeping. */
export interface TestServerEvents {
  /** A client connected. */
  connection: [connection: RecordedConnection]
  /** A request's headers arrived; emitted before the handler runs. */
  request: [request: RecordedRequest]
  /** A connection closed; `closedBy` and `closeReason` are set. */
  connectionClose: [connection: RecordedConnection]
}

/** A recording HTTP/1.1 server on loopback. Create one with `createTestServer()`. */
export interface TestServer extends EventEmitter<TestServerEvents>, AsyncDisposable {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string
  readonly port: number
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

const single = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(', ') : value

/** Node's parse errors, answered the way node would answer them itself. */
const statusFor = (code: string | undefined): string =>
  code === 'HPE_HEADER_OVERFLOW'
    ? '431 Request Header Fields Too Large'
    : code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? '408 Request Timeout'
      : '400 Bad Request'

class RecordingServer extends EventEmitter<TestServerEvents> implements TestServer {
  readonly #http: Server
  readonly #options: ResolvedOptions
  readonly #handler: RequestHandler
  readonly #bySocket = new WeakMap<Socket, Connection>()
  readonly #open = new Set<Connection>()
  readonly #interner = new Interner()
  #requests: RecordedRequest[] = []
  #connections: Connection[] = []
  #nextConnectionId = 1
  #closing: Promise<void> | undefined
  #failNextReused: 'no-response' | 'reset' | undefined
  url = ''
  port = 0

  constructor(options: ResolvedOptions, handler: RequestHandler) {
    super()
    this.#options = options
    this.#handler = handler
    this.#http = createServer({ keepAliveTimeout: 0 }, this.#onRequest)
    this.#http.on('connection', this.#onConnection)
    this.#http.on('clientError', this.#onClientError)
    trackLiveServer(this.#http)
  }

  get requests(): readonly RecordedRequest[] {
    return this.#requests
  }

  get connections(): readonly RecordedConnection[] {
    return this.#connections
  }

  get openConnections(): readonly RecordedConnection[] {
    return this.#connections.filter((connection) => connection.isOpen)
  }

  async listen(): Promise<void> {
    const { port, url } = await listen(this.#http, this.#options.host, this.#options.ports)
    this.port = port
    this.url = url
  }

  urlFor(path: string): string {
    if (/^[a-z][a-z\d+.-]*:/i.test(path))
      throw new KeepAliveKitError(
        `urlFor() takes a path such as '/users?id=1', got the URL ${JSON.stringify(path)}.`,
      )
    return `${this.url}${path.startsWith('/') ? '' : '/'}${path}`
  }

  clear(): void {
    this.#requests = []
    this.#connections = this.#connections.filter((connection) => connection.isOpen)
  }

  async closeIdleConnections(): Promise<void> {
    const idle = [...this.#open].filter((connection) => connection.isIdle)
    await Promise.all(idle.map((connection) => connection.destroy('server-closed')))
  }

  async closeClientConnections(): Promise<void> {
    await Promise.all([...this.#open].map((connection) => connection.destroy('server-closed')))
  }

  close(): Promise<void> {
    this.#closing ??= Promise.all([
      new Promise<void>((resolve) => this.#http.close(() => resolve())),
      this.closeClientConnections(),
    ]).then(() => undefined)
    return this.#closing
  }

  failNextReusedRequest(fault: 'no-response' | 'reset' = 'no-response'): void {
    if (fault !== 'no-response' && fault !== 'reset')
      throw new KeepAliveKitError(
        `failNextReusedRequest() takes 'no-response' or 'reset', got ${JSON.stringify(fault) ?? String(fault)}.`,
      )
    this.#failNextReused = fault
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  readonly #onConnection = (socket: Socket): void => {
    const connection = new Connection(this.#nextConnectionId++, socket, this.#onConnectionClose)
    this.#bySocket.set(socket, connection)
    this.#open.add(connection)
    this.#connections.push(connection)
    // A client that connects and never sends a request is idle from the start.
    connection.startIdleClock(this.#options.idleTimeout)
    this.emit('connection', connection)
  }

  readonly #onConnectionClose = (connection: Connection): void => {
    this.#open.delete(connection)
    this.emit('connectionClose', connection)
  }

  readonly #onClientError = (error: NodeJS.ErrnoException, socket: Socket): void => {
    const connection = this.#bySocket.get(socket)
    if (connection === undefined) return void socket.destroy()
    if (error.code === 'ECONNRESET') return void connection.destroy('client-reset', error)
    connection.reject(statusFor(error.code), error)
  }

  readonly #onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const connection = this.#bySocket.get(req.socket)
    if (connection === undefined) return void req.socket.destroy()
    const indexOnConnection = connection.requestCount
    const connectionHeader = req.headers.connection
    const request: RecordedRequest = {
      index: this.#requests.length,
      connectionId: connection.id,
      indexOnConnection,
      reusedConnection: indexOnConnection > 0,
      remoteAddress: connection.remoteAddress,
      remotePort: connection.remotePort,
      httpVersion: req.httpVersion,
      method: req.method ?? '',
      url: this.#interner.string(req.url ?? ''),
      headers: this.#interner.headers(req),
      connectionHeader,
      keepAliveHeader: single(req.headers['keep-alive']),
      receivedAt: performance.now(),
      respondedAt: undefined,
    }
    this.#requests.push(request)
    connection.requestStarted(res)
    const closing = this.#closeReason(req, indexOnConnection + 1)
    if (closing !== undefined) {
      connection.willClose(closing)
      res.setHeader('Connection', 'close')
    } else if (this.#options.hintSeconds !== undefined) {
      res.setHeader('Keep-Alive', `timeout=${this.#options.hintSeconds}`)
    }
    res.once('finish', () => {
      // Set once, here: the record is read-only to users.
      ;(request as { respondedAt: number | undefined }).respondedAt = performance.now()
      connection.responseFinished(res, this.#options.idleTimeout)
    })
    this.emit('request', request)
    answer(req, res, connection, this.#handler, () => this.#faultFor(request))
  }

  #faultFor(request: RecordedRequest): Fault | undefined {
    const oneShot = this.#failNextReused
    if (oneShot !== undefined && request.reusedConnection) {
      this.#failNextReused = undefined
      return oneShot
    }
    return this.#options.fault?.(request)
  }

  /** Why the server closes after answering this request, or `undefined` to keep it alive. */
  #closeReason(req: IncomingMessage, requestsOnConnection: number): CloseReason | undefined {
    if (asksToClose(req.httpVersion, req.headers.connection)) return 'client-asked'
    if (!this.#options.keepAlive) return 'keep-alive-disabled'
    if (requestsOnConnection >= this.#options.maxRequestsPerConnection) return 'max-requests'
    return undefined
  }
}

/**
 * Starts a real HTTP/1.1 server on loopback that records every connection and every request.
 * Its keep-alive behaviour is set by the options; see docs/server.md.
 *
 * @example
 * await using server = await createTestServer({ idleTimeout: 200 })
 * await fetch(server.url).then((res) => res.text())
 * await fetch(server.url).then((res) => res.text())
 * server.requests.map((request) => request.connectionId) // [1, 1] or [1, 2]
 */
export async function createTestServer(options?: TestServerOptions): Promise<TestServer> {
  const resolved = resolveOptions(options)
  const handler =
    resolved.handlers === undefined
      ? (resolved.handler ?? defaultHandler)
      : await mswHandler(resolved.handlers)
  const server = new RecordingServer(resolved, handler)
  await server.listen()
  trackRecordingServer(server)
  return server
}

async function mswHandler(handlers: readonly unknown[]): Promise<RequestHandler> {
  const { createMswHandler } = await import('./msw/handler.js')
  return createMswHandler(handlers)
}
