import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import { performance } from 'node:perf_hooks'
import type { Connection } from '../connection.js'
import { type HeaderShape, headersOf, type Interner } from '../interner.js'
import type { RecordedRequest } from '../types.js'
import type { Columns } from '../verdicts/columns.js'
import { grown, type TypedColumn, unrolled, unrolledList } from './growth.js'

const single = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(', ') : value

const noHeaders: Readonly<IncomingHttpHeaders> = Object.freeze({})
const firstCapacity = 1024

/** What a journal keeps: every request, the last `keepLast`, or none (counts on connections). */
export interface Keeping {
  /** How many requests it holds at most; `Infinity` for all of them. */
  readonly keepLast: number
  /** Whether records keep their headers (else `headers` is `{}`). */
  readonly headers: boolean
}

// Empty columns shared by every new store until its first request: a server that records none
// (most test servers record a few) allocates none.
const noFloats = new Float64Array(0)
const noCounts = new Uint32Array(0)
const noFlags = new Uint8Array(0)

/**
 * The requests of one server since its last `clear()`, kept as columns: a typed array or a list
 * per field, a slot per request. `RecordedRequest` objects are made when read, and the same
 * object is handed out for a request every time (docs/decisions/0010-a-journal-of-columns.md).
 * With `keepLast` the columns are a ring that overwrites the oldest request.
 */
export class RequestStore {
  readonly #keeping: Keeping
  readonly #interner: Interner
  /** Requests recorded, kept or not. */
  #total = 0
  #capacity = 0
  #connectionId = noFloats
  #indexOnConnection = noCounts
  #receivedAt = noFloats
  #respondedAt = noFloats
  #asksToClose = noFlags
  #connectionHeader: (string | undefined)[] = []
  #method: string[] = []
  #httpVersion: string[] = []
  #url: string[] = []
  #headers: (Readonly<IncomingHttpHeaders> | HeaderShape)[] = []
  // Made when first needed: most journals never see a Keep-Alive header, a request id or h2.
  #keepAliveHeader: (string | undefined)[] | undefined
  #headerValues: (string | readonly string[] | undefined)[] | undefined
  #streamId: Uint32Array | undefined
  /** Made records, by slot; a slot's record is current while its `index` is the slot's. */
  #made: RecordedRequest[] = []
  /** The connections of the kept requests, by id (ids are dense: an array, not a map). */
  readonly #byId: Connection[] = []
  #lastConnection: Connection | undefined
  #lastConnectionHeader: string | undefined
  #lastUrl = ''
  /** With `keepLast: 0`: requests by connection id, and how many reused a connection. */
  readonly #counts = new Map<number, number>()
  #reused = 0
  #columns: { at: number; columns: Columns } | undefined
  /** Bumped by every write, so the columns handed out are rebuilt only after one. */
  #writes = 0

  constructor(keeping: Keeping, interner: Interner) {
    this.#keeping = keeping
    this.#interner = interner
  }

  /** Requests kept: what `server.requests` shows. */
  get length(): number {
    return Math.min(this.#total, this.#keeping.keepLast)
  }

  /** Requests recorded before the kept ones that the journal did not keep. */
  get dropped(): number {
    return this.#total - this.length
  }

  /**
   * Records a request node parsed, before its connection counts it. Makes no `RecordedRequest`:
   * `latest()` does, for the listener or fault picker that reads one (this runs per request).
   * `closes`: whether it asks to close its connection (`asksToClose`, read once by the server).
   * Returns its `index`.
   */
  record(
    req: IncomingMessage,
    connection: Connection,
    streamId: number | undefined,
    closes: boolean,
  ): number {
    const index = this.#total
    if (this.#keeping.keepLast === 0) this.#count(connection)
    const slot = this.#slotFor(index)
    if (connection !== this.#lastConnection) {
      this.#byId[connection.id] = connection
      this.#lastConnection = connection
    }
    const interner = this.#interner
    // node builds this string per request: keep one copy of the usual ones.
    const sent = req.httpVersion
    const httpVersion =
      sent === '1.1' ? '1.1' : sent === '2.0' ? '2.0' : sent === '1.0' ? '1.0' : sent
    const headers = req.headers
    const connectionHeader = headers.connection
    this.#connectionId[slot] = connection.id
    this.#indexOnConnection[slot] = connection.requestCount
    this.#receivedAt[slot] = performance.now()
    this.#respondedAt[slot] = Number.NaN
    this.#asksToClose[slot] = closes ? 1 : 0
    // The same value as the last request's, the usual case, skips the interner's table.
    if (connectionHeader !== this.#lastConnectionHeader)
      this.#lastConnectionHeader =
        connectionHeader === undefined ? undefined : interner.string(connectionHeader)
    this.#connectionHeader[slot] = this.#lastConnectionHeader
    this.#method[slot] = req.method ?? ''
    this.#httpVersion[slot] = httpVersion
    const url = req.url ?? ''
    if (url !== this.#lastUrl) this.#lastUrl = interner.string(url)
    this.#url[slot] = this.#lastUrl
    if (this.#keeping.headers) {
      this.#headers[slot] = interner.headers(req, streamId === undefined)
      const values = interner.values
      if (values !== undefined || this.#headerValues !== undefined) {
        this.#headerValues ??= new Array(this.#capacity)
        this.#headerValues[slot] = values
      }
    }
    const keepAlive = single(headers['keep-alive'])
    if (keepAlive !== undefined || this.#keepAliveHeader !== undefined) {
      this.#keepAliveHeader ??= new Array(this.#capacity)
      this.#keepAliveHeader[slot] = keepAlive
    }
    if (streamId !== undefined || this.#streamId !== undefined) {
      this.#streamId ??= new Uint32Array(this.#capacity)
      this.#streamId[slot] = streamId ?? 0
    }
    this.#total++
    this.#writes++
    return index
  }

  /**
   * The record of the request recorded last, for the `'request'` event and the fault picker:
   * the object `at()` hands out for it later, or, when the journal keeps no request, one made
   * for them alone. Its `respondedAt` is still `undefined`.
   */
  latest(): RecordedRequest {
    return this.#recordOf(this.#total - 1)
  }

  /**
   * What a journal that keeps no request (`keepLast: 0`) counted since it started: requests,
   * requests that reused a connection, and requests by connection id. `undefined` for others.
   */
  get counts():
    | { requests: number; reused: number; byConnection: ReadonlyMap<number, number> }
    | undefined {
    if (this.#keeping.keepLast !== 0) return undefined
    return { requests: this.#total, reused: this.#reused, byConnection: this.#counts }
  }

  #count(connection: Connection): void {
    if (connection.requestCount > 0) this.#reused++
    this.#counts.set(connection.id, (this.#counts.get(connection.id) ?? 0) + 1)
  }

  /** Notes when the response of request `index` finished, if the journal still keeps it. */
  responded(index: number, at: number): void {
    if (index < this.dropped || index >= this.#total) return
    const slot = this.#slotOf(index)
    this.#respondedAt[slot] = at
    this.#writes++
    const made = this.#made[slot]
    // Set once, here: the record is read-only to users.
    if (made?.index === index) (made as { respondedAt: number | undefined }).respondedAt = at
  }

  /** The record of the `i`-th request kept, made on first read and the same object after. */
  at(i: number): RecordedRequest | undefined {
    return i >= 0 && i < this.length ? this.#recordOf(this.dropped + i) : undefined
  }

  #recordOf(index: number): RecordedRequest {
    const slot = this.#slotOf(index)
    const made = this.#made[slot]
    if (made?.index === index) return made
    const record = this.#make(index, slot)
    if (this.length > 0) this.#made[slot] = record
    return record
  }

  /** The kept requests as the columns the verdicts read, without making a record. */
  columns(): Columns {
    if (this.#columns?.at === this.#writes) return this.#columns.columns
    const length = this.length
    const start = length === 0 ? 0 : this.#slotOf(this.dropped)
    const columns: Columns = {
      length,
      connectionId: unrolled(this.#connectionId, start, length),
      indexOnConnection: unrolled(this.#indexOnConnection, start, length),
      receivedAt: unrolled(this.#receivedAt, start, length),
      respondedAt: unrolled(this.#respondedAt, start, length),
      asksToClose: unrolled(this.#asksToClose, start, length),
      connectionHeader: unrolledList(this.#connectionHeader, start, length),
    }
    this.#columns = { at: this.#writes, columns }
    return columns
  }

  #make(index: number, slot: number): RecordedRequest {
    const connectionId = this.#connectionId[slot] as number
    const connection = this.#byId[connectionId] as Connection
    const indexOnConnection = this.#indexOnConnection[slot] as number
    const respondedAt = this.#respondedAt[slot] as number
    const shared = this.#headers[slot]
    const record: RecordedRequest = {
      index,
      connectionId,
      indexOnConnection,
      reusedConnection: indexOnConnection > 0,
      remoteAddress: connection.remoteAddress,
      remotePort: connection.remotePort,
      httpVersion: this.#httpVersion[slot] as string,
      method: this.#method[slot] as string,
      url: this.#url[slot] as string,
      headers: shared === undefined ? noHeaders : headersOf(shared, this.#headerValues?.[slot]),
      connectionHeader: this.#connectionHeader[slot],
      keepAliveHeader: this.#keepAliveHeader?.[slot],
      receivedAt: this.#receivedAt[slot] as number,
      respondedAt: Number.isNaN(respondedAt) ? undefined : respondedAt,
    }
    const streamId = this.#streamId?.[slot] ?? 0
    // Only HTTP/2 records carry a stream id, so HTTP/1.1 records keep their shape.
    return streamId === 0 ? record : { ...record, streamId }
  }

  #slotOf(index: number): number {
    // A journal that keeps no request writes its requests in one slot nobody reads.
    const limit = Math.max(this.#keeping.keepLast, 1)
    return limit === Number.POSITIVE_INFINITY ? index : index % limit
  }

  /** The slot for a new request `index`, growing the columns while the journal may. */
  #slotFor(index: number): number {
    const slot = this.#slotOf(index)
    if (slot >= this.#capacity)
      this.#grow(Math.min(Math.max(this.#keeping.keepLast, 1), 2 * slot || firstCapacity))
    return slot
  }

  #grow(capacity: number): void {
    this.#capacity = capacity
    const typed = <T extends TypedColumn>(column: T): T => grown(column, this.#capacity)
    this.#connectionId = typed(this.#connectionId)
    this.#indexOnConnection = typed(this.#indexOnConnection)
    this.#receivedAt = typed(this.#receivedAt)
    this.#respondedAt = typed(this.#respondedAt)
    this.#asksToClose = typed(this.#asksToClose)
    if (this.#streamId !== undefined) this.#streamId = typed(this.#streamId)
  }
}
