import { EventEmitter } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Server as NetServer, Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { answer, defaultHandler } from './answer.js'
import { Connection, type ConnectionHooks } from './connection.js'
import { asksToClose } from './connection-header.js'
import { KeepAliveKitError } from './errors.js'
import { handlersHandler } from './handlers-option.js'
import { Interner } from './interner.js'
import { RequestStore } from './journal/store.js'
import { viewOf } from './journal/view.js'
import { listen } from './listen.js'
import { trackLiveServer } from './live-servers.js'
import { watchClientSockets } from './openers.js'
import { type ResolvedOptions, resolveOptions } from './options.js'
import { closeReason } from './record.js'
import { lacksHost, missingHost, refuseConnect, rejectUnparsed, statusFor } from './refusals.js'
import { RecordedResponse } from './response.js'
import { tell } from './tell.js'
import type { TestServer, TestServerEvents } from './test-server.js'
import { tlsFront } from './tls/front.js'
import { closeSessionAfter, h2ConnectionOf, h2Engine, streamIdOf } from './tls/h2.js'
import { h2cFront } from './tls/h2c.js'
import type {
  Fault,
  RecordedConnection,
  RecordedRequest,
  RequestHandler,
  TestServerOptions,
} from './types.js'
import { trackRecordingServer } from './verdicts/journal.js'

export type { TestServer, TestServerEvents } from './test-server.js'

class RecordingServer extends EventEmitter<TestServerEvents> implements TestServer {
  readonly #http: Server
  /** What listens: `#http` itself in clear text, a TLS front that feeds it otherwise. */
  readonly #front: NetServer
  readonly #options: ResolvedOptions
  readonly #handler: RequestHandler
  readonly #bySocket = new WeakMap<Socket, Connection>()
  readonly #open = new Set<Connection>()
  readonly #interner = new Interner()
  #store: RequestStore
  /** The store of each response in flight when clear() started a new one: its answer goes there. */
  #storeBefore: WeakMap<ServerResponse, RequestStore> | undefined
  /** `server.requests`: made when first read (most servers in a suite are read once, late). */
  #requests: readonly RecordedRequest[] | undefined
  readonly #hooks: ConnectionHooks
  #connections: Connection[] = []
  #nextConnectionId = 1
  #closing: Promise<void> | undefined
  #failNextReused: 'no-response' | 'reset' | undefined
  url = ''
  port = 0
  readonly ca: string | undefined

  constructor(options: ResolvedOptions, handler: RequestHandler) {
    super()
    this.#options = options
    this.#handler = handler
    this.#store = new RequestStore(options.journal, this.#interner)
    this.#hooks = {
      closed: this.#onConnectionClose,
      answered: this.#onAnswered,
      idleTimeout: options.idleTimeout,
    }
    // requireHostHeader: false so a request without Host is recorded before it is refused.
    this.#http = createServer(
      { keepAliveTimeout: 0, requireHostHeader: false, ServerResponse: RecordedResponse },
      this.#onRequest,
    )
    this.#http.on('clientError', this.#onClientError)
    // Node answers these itself, with no 'request' event; listening records them first.
    this.#http.on('checkExpectation', this.#onUnmetExpectation)
    this.#http.on('connect', this.#onConnect)
    this.ca = options.tls?.ca
    const h2 = options.http2 ? h2Engine(this.#onRequest) : undefined
    if (options.tls !== undefined)
      this.#front = tlsFront(this.#http, options.tls.context, this.#onConnection, h2)
    else if (h2 !== undefined) this.#front = h2cFront(this.#http, this.#onConnection, h2)
    else this.#front = this.#http.on('connection', this.#onConnection)
    trackLiveServer(this.#front, options.tls ? 'https:' : 'http:')
  }

  get requests(): readonly RecordedRequest[] {
    this.#requests ??= viewOf(this.#store)
    return this.#requests
  }

  get connections(): readonly RecordedConnection[] {
    return this.#connections
  }

  get openConnections(): readonly RecordedConnection[] {
    return this.#connections.filter((connection) => connection.isOpen)
  }

  async listen(): Promise<void> {
    const { host, ports, tls } = this.#options
    const { port, url } = await listen(this.#front, host, ports, tls ? 'https' : 'http')
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
    // A new store: a view read before clear() keeps what it showed, as an array would.
    for (const connection of this.#open)
      for (const response of connection.responsesInFlight) {
        this.#storeBefore ??= new WeakMap()
        this.#storeBefore.set(response, this.#store)
      }
    this.#store = new RequestStore(this.#options.journal, this.#interner)
    this.#requests = undefined
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
      new Promise<void>((resolve) => this.#front.close(() => resolve())),
      // With none open (the usual end of a test) there is nothing to wait for.
      this.#open.size === 0 ? undefined : this.closeClientConnections(),
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

  readonly #onConnection = (socket: Socket): Connection => {
    const connection = new Connection(this.#nextConnectionId++, socket, this.#hooks)
    this.#bySocket.set(socket, connection)
    this.#open.add(connection)
    this.#connections.push(connection)
    // A client that connects and never sends a request is idle from the start.
    connection.startIdleClock(this.#options.idleTimeout)
    tell(this, 'connection', connection)
    return connection
  }

  readonly #onConnectionClose = (connection: Connection): void => {
    this.#open.delete(connection)
    tell(this, 'connectionClose', connection)
  }

  /** `response`, to request `index`, has gone out. */
  readonly #onAnswered = (response: ServerResponse, index: number): void => {
    const store = this.#storeBefore?.get(response) ?? this.#store
    store.responded(index, performance.now())
  }

  readonly #onClientError = (error: NodeJS.ErrnoException, socket: Socket): void => {
    const connection = this.#bySocket.get(socket)
    if (connection === undefined) return void socket.destroy()
    if (error.code === 'ECONNRESET') return void connection.destroy('client-reset', error)
    rejectUnparsed(connection, socket, statusFor(error.code), error)
  }

  readonly #onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const connection = this.#record(req, res)
    if (connection === undefined) return
    const request = this.#announce()
    if (lacksHost(req)) return void res.writeHead(400).end()
    answer(req, res, connection, this.#handler, this.#faultFor, request)
  }

  /** `Expect:` other than `100-continue`: recorded, then answered 417 as node would, no handler. */
  readonly #onUnmetExpectation = (req: IncomingMessage, res: ServerResponse): void => {
    if (this.#record(req, res) === undefined) return
    this.#announce()
    res.writeHead(lacksHost(req) ? 400 : 417).end()
  }

  /** A proxy request: recorded, then refused (see `refuseConnect`). */
  readonly #onConnect = (req: IncomingMessage, socket: Socket): void => {
    const connection = this.#record(req, undefined)
    if (connection === undefined) return
    this.#announce()
    refuseConnect(req, socket, connection)
  }

  /**
   * Records a request node parsed and sets the headers that say whether its connection stays
   * open; returns the connection it came on. `undefined` when there is nothing to record: a
   * socket we do not know, or a request pipelined after the server decided to close its
   * connection, which HTTP says the server must not process (RFC 9112 §9.6): it is neither
   * recorded, counted nor answered.
   */
  #record(req: IncomingMessage, res: ServerResponse | undefined): Connection | undefined {
    // HTTP/2's first: an HTTP/2 request's `socket` is a Proxy made on first read, per stream.
    const connection = h2ConnectionOf(req) ?? this.#bySocket.get(req.socket)
    if (connection === undefined) return void req.socket.destroy()
    const streamId = streamIdOf(req)
    // HTTP/2 answers every stream opened before its GOAWAY; only HTTP/1.1 stops taking requests.
    if (streamId === undefined && !connection.takesRequests) return void req.resume()
    // HTTP/2 has no Connection header: a client ends a session by closing it, not by asking.
    // (An `HTTP/2.0` request line over HTTP/1 is not HTTP/2, and closes as HTTP/1.0 would.)
    const asks = streamId === undefined && asksToClose(req.httpVersion, req.headers.connection)
    const index = this.#store.record(req, connection, streamId, asks)
    if (connection.tls === undefined) connection.protocol ??= 'http/1.1'
    connection.requestStarted(res, index)
    if (res === undefined) return connection
    const closing = closeReason(req, asks, connection.requestCount, this.#options)
    if (closing !== undefined) {
      connection.willClose(closing, closing === 'error' ? missingHost : undefined)
      if (streamId === undefined) res.setHeader('Connection', 'close')
      else closeSessionAfter(req as never, () => connection.blame('server', closing))
    } else if (this.#options.hintSeconds !== undefined && streamId === undefined) {
      res.setHeader('Keep-Alive', `timeout=${this.#options.hintSeconds}`)
    }
    return connection
  }

  /**
   * The record of the request just recorded, told to `'request'` listeners; made only when a
   * listener or a fault picker reads it (recording makes none: this runs per request).
   */
  #announce(): RecordedRequest | undefined {
    const listening = this.listenerCount('request') > 0
    if (!listening && this.#options.fault === undefined && this.#failNextReused === undefined)
      return undefined
    const request = this.#store.latest()
    if (listening) tell(this, 'request', request)
    return request
  }

  /** One function per server, not a closure per request. */
  readonly #faultFor = (request: RecordedRequest): Fault | undefined => {
    const oneShot = this.#failNextReused
    if (oneShot !== undefined && request.reusedConnection) {
      this.#failNextReused = undefined
      return oneShot
    }
    return this.#options.fault?.(request)
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
      : await handlersHandler(resolved.handlers)
  const server = new RecordingServer(resolved, handler)
  // From the first server on, record which code in this process opens each client socket.
  watchClientSockets()
  await server.listen()
  trackRecordingServer(server)
  return server
}
