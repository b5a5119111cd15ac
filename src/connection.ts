import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { claimOpener, type Opener, openerNote } from './openers.js'
import { tcpSocketOf } from './tls/front.js'
import type { CloseReason, FaultName, RecordedConnection, TlsDetails } from './types.js'

// Lets `injectFault(res, …)` find the record of the connection a response travels on.
const bySocket = new WeakMap<Socket, Connection>()

/**
 * When the server ended the last response on `record` that never finished being written (see
 * `Connection.unfinishedSince`); `undefined` when none, and for a record a server did not make.
 */
export const unfinishedSince = (record: RecordedConnection | undefined): number | undefined =>
  record instanceof Connection ? record.unfinishedSince : undefined

/** The record of the test-server connection `socket` belongs to, if any. */
export const connectionOf = (socket: Socket): Connection | undefined => bySocket.get(socket)

/** What a connection tells its server, and the server's idle timeout; one object per server. */
export interface ConnectionHooks {
  /** The socket closed. */
  readonly closed: (connection: Connection) => void
  /**
   * `response`, to the request the server recorded as `index`, has gone out (its `finish`),
   * before the connection's own bookkeeping.
   */
  readonly answered: (response: ServerResponse, index: number) => void
  /** How long a connection with nothing in flight stays open, in ms (`0`: until closed). */
  readonly idleTimeout: number
}

/**
 * The live record of one connection. Its public fields are the `RecordedConnection` users read;
 * the socket and the bookkeeping stay private so records compare and print as plain data.
 */
export class Connection implements RecordedConnection {
  closedAt: number | undefined = undefined
  requestCount = 0
  closedBy: 'client' | 'server' | undefined = undefined
  closeReason: CloseReason | undefined = undefined
  error: string | undefined = undefined
  fault: FaultName | undefined = undefined
  protocol: 'http/1.1' | 'h2' | undefined = undefined
  tls: TlsDetails | undefined = undefined
  maxInFlight = 0
  declare resetStreams?: number[]
  /** How an HTTP/2 session ends at once (GOAWAY, then the socket); HTTP/1.1 destroys the socket. */
  endSession: (() => void) | undefined = undefined
  readonly remoteAddress: string
  readonly remotePort: number
  readonly openedAt = performance.now()
  readonly #socket: Socket
  readonly #closed: Promise<void>
  #closingBecause: CloseReason | undefined
  #closingError: Error | undefined
  /**
   * Responses to requests on this connection that have not finished yet, in arrival order, and
   * the index of each one's request. Arrays, not a Map: a Map that empties after every request
   * reallocates its table each time (the hot path under load); these hold one or two.
   */
  readonly #inFlight: ServerResponse[] = []
  readonly #inFlightIndexes: number[] = []
  readonly #hooks: ConnectionHooks
  /**
   * The `finish` and (HTTP/2) `close` listeners of every response on this connection: one
   * function each per connection, not a closure per request (the hot path under load).
   */
  readonly #onFinish: (this: ServerResponse) => void
  readonly #onStreamClose: (this: ServerResponse) => void
  #opener: Opener | undefined
  /** Method and target of the first request it carried, for `openerNote`. */
  #firstUse: string | undefined
  /** The last response the server ended here that node could not finish writing at once. */
  #ended: ServerResponse | undefined
  #endedAt = 0

  constructor(
    readonly id: number,
    socket: Socket,
    hooks: ConnectionHooks,
  ) {
    this.#socket = socket
    this.#hooks = hooks
    const connection = this
    this.#onFinish = function (this: ServerResponse) {
      connection.#answered(this)
    }
    this.#onStreamClose = function (this: ServerResponse) {
      connection.#streamClosed(this)
    }
    bySocket.set(socket, this)
    this.remoteAddress = socket.remoteAddress ?? ''
    this.remotePort = socket.remotePort ?? 0
    const stopClaim = claimOpener(socket.remotePort, socket.localPort, (opener) => {
      this.#opener = opener
    })
    this.#closed = new Promise((resolve) => {
      // Prepended: node's own 'end' handler answers the client's FIN with the server's, and a
      // listener added after it would see the server's FIN first and blame the server.
      socket.prependListener('end', () => this.blame('client', 'client-closed'))
      socket.prependListener('error', (error: NodeJS.ErrnoException) => {
        const reset = error.code === 'ECONNRESET' || error.code === 'EPIPE'
        this.blame(reset ? 'client' : 'server', reset ? 'client-reset' : 'error', error)
      })
      socket.prependListener('timeout', () => void this.destroy('idle-timeout'))
      socket.once('close', () => {
        stopClaim()
        // Neither the client's FIN nor its reset came first, so our side destroyed the socket
        // (a handler calling res.socket.destroy(), node's own timeouts).
        this.blame('server', 'server-closed')
        this.closedAt = performance.now()
        hooks.closed(this)
        resolve()
      })
    })
  }

  /** Read from the stack on first access; see openers.ts. */
  get openedBy(): string | undefined {
    return this.#opener?.frame()
  }

  /** Who opened it, as the timeline words it (see `openerNote`); `undefined` for another process. */
  get openerNote(): string | undefined {
    return openerNote(this.#opener, this.#firstUse, this.requestCount)
  }

  get isOpen(): boolean {
    return this.closedAt === undefined
  }

  get isIdle(): boolean {
    return this.#inFlight.length === 0
  }

  /** Resolves once the socket has closed. */
  get closed(): Promise<void> {
    return this.#closed
  }

  /**
   * Whether a request that arrives now is taken. Not once the server has decided to close: a
   * request pipelined behind the one whose answer closes the connection, or behind a fault.
   */
  get takesRequests(): boolean {
    return (
      this.#closingBecause === undefined &&
      this.closedBy === undefined &&
      this.fault === undefined &&
      this.#socket.writable
    )
  }

  /**
   * The request the server recorded as `index` arrived, to be answered by `response` (none for a
   * refused CONNECT): the idle clock stops until its response is sent, and the server hears when
   * it is (`hooks.answered`).
   */
  requestStarted(response: ServerResponse | undefined, index: number): void {
    if (response !== undefined) {
      this.#inFlight.push(response)
      this.#inFlightIndexes.push(index)
      response.on('finish', this.#onFinish)
      // An HTTP/2 stream a fault reset never finishes its response: its close ends it instead.
      if ('stream' in response) response.on('close', this.#onStreamClose)
      if (this.#firstUse === undefined && response.req !== undefined)
        this.#firstUse = `${response.req.method} ${response.req.url}`
    }
    if (this.#inFlight.length > this.maxInFlight) this.maxInFlight = this.#inFlight.length
    this.requestCount++
    this.#socket.setTimeout(0)
  }

  /**
   * A response was sent. Starts the idle clock, or, when node has already ended the socket after
   * a last response, records that the server closed it and why.
   */
  #answered(response: ServerResponse): void {
    const index = this.#take(response)
    if (index !== undefined) this.#hooks.answered(response, index)
    if (response === this.#ended) this.#ended = undefined
    if (this.#socket.writableEnded)
      this.blame('server', this.#closingBecause ?? 'server-closed', this.#closingError)
    else if (this.#inFlight.length === 0) this.startIdleClock(this.#hooks.idleTimeout)
  }

  /** An HTTP/2 stream closed; if it ended without its response finishing, it is no longer in flight. */
  #streamClosed(response: ServerResponse): void {
    if (this.#take(response) !== undefined && this.#inFlight.length === 0)
      this.startIdleClock(this.#hooks.idleTimeout)
  }

  /** Takes `response` out of those in flight: its request's index, `undefined` if not there. */
  #take(response: ServerResponse): number | undefined {
    const at = this.#inFlight.indexOf(response)
    if (at === -1) return undefined
    const index = this.#inFlightIndexes[at]
    // The usual one is the only one, or the oldest: pop and shift make no array, splice does.
    if (at === this.#inFlight.length - 1) {
      this.#inFlight.pop()
      this.#inFlightIndexes.pop()
    } else if (at === 0) {
      this.#inFlight.shift()
      this.#inFlightIndexes.shift()
    } else {
      this.#inFlight.splice(at, 1)
      this.#inFlightIndexes.splice(at, 1)
    }
    return index
  }

  /**
   * When the server ended the last response it ended here, if node never finished writing it
   * (the client did not read all of it): the server had answered; only the client's reading was
   * left. `undefined` when every ended response finished (HTTP/1.1 only).
   */
  get unfinishedSince(): number | undefined {
    return this.#ended === undefined ? undefined : this.#endedAt
  }

  /** The handler ended `response`, and node could not write all of it at once (see response.ts). */
  endedUnfinished(response: ServerResponse): void {
    if (response === this.#ended) return
    this.#ended = response
    this.#endedAt = performance.now()
  }

  /** The responses that have not finished yet, in arrival order. */
  get responsesInFlight(): readonly ServerResponse[] {
    return this.#inFlight
  }

  /** Runs `act` once every answer in flight on this connection has gone out (at once if none). */
  afterAnswers(act: () => void): void {
    let left = this.#inFlight.length
    if (left === 0) return void act()
    for (const response of this.#inFlight)
      response.once('finish', () => {
        if (--left === 0) act()
      })
  }

  /** Remembers why the server will close after the response in flight; takes no more requests. */
  willClose(reason: CloseReason, error?: Error): void {
    if (this.#closingBecause !== undefined) return
    this.#closingBecause = reason
    this.#closingError = error
  }

  /**
   * Closes the connection after `ms` without traffic (`0`: never). A socket timeout rather than
   * node's keepAliveTimeout, which fires a second late; its listener is prepended so the close is
   * recorded before node's own timeout handler destroys the socket.
   */
  startIdleClock(ms: number): void {
    this.#socket.setTimeout(ms)
  }

  /** Records who closed first and why; the first call wins. */
  blame(by: 'client' | 'server', reason: CloseReason, error?: Error): void {
    if (this.closedBy !== undefined) return
    this.closedBy = by
    // A client that said `Connection: close` and then hung up did what it announced.
    this.closeReason =
      by === 'client' && this.#closingBecause === 'client-asked' ? 'client-asked' : reason
    const code = error !== undefined && 'code' in error ? error.code : undefined
    if (error) this.error = code ? `${code}: ${error.message}` : error.message
  }

  /** Records that `fault` is closing the connection, unless something closed it first. */
  injected(fault: FaultName): void {
    if (this.closedBy !== undefined) return
    this.fault = fault
    this.blame('server', 'server-closed')
  }

  /** Resets the TCP connection (RST) now, under TLS and HTTP/2 too, recording `fault`. */
  reset(fault: FaultName): void {
    this.injected(fault)
    tcpSocketOf(this.#socket).resetAndDestroy()
  }

  /**
   * Records that a fault reset HTTP/2 stream `streamId` (RST_STREAM): the connection stays open,
   * so `fault` stays for the faults that close it. Defined from the first such reset only, so
   * records of other connections keep their shape.
   */
  streamReset(streamId: number): void {
    if (this.resetStreams === undefined) this.resetStreams = [streamId]
    else this.resetStreams.push(streamId)
  }

  /** Closes the connection from the server's side now, recording why. */
  destroy(reason: CloseReason, error?: NodeJS.ErrnoException): Promise<void> {
    this.blame('server', reason, error)
    if (this.endSession === undefined) this.#socket.destroy()
    else this.endSession()
    return this.#closed
  }

  /** Why the server will close after the responses in flight, if it has decided to. */
  get closingBecause(): CloseReason | undefined {
    return this.#closingBecause
  }
}
