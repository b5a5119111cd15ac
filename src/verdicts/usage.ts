import { unfinishedSince } from '../connection.js'
import type { CloseReason, RecordedConnection } from '../types.js'
import { type Columns, columnsOf } from './columns.js'
import type { Journal } from './journal.js'
import * as scratch from './scratch.js'
import { denseSlots, type Slots, slotsOf } from './slots.js'
import { sweep, timelineOf, within } from './sweep.js'

/** What the requests did with their connections, over the server's one clock. */
export interface Usage {
  /** The columns of the requests judged. */
  readonly columns: Columns
  /** How many distinct connections the requests used. */
  readonly used: number
  /** Requests that travelled on a connection that had carried one before. */
  readonly reused: number
  /**
   * Missed reuses: connections opened while others sat idle (last response written) none of
   * which the client used again, each with one such idle connection. Ascending.
   */
  readonly missed: readonly { readonly opened: number; readonly idle: number }[]
  /** The idle connections the client left for good while it opened a new one. Ascending. */
  readonly abandoned: readonly number[]
  /**
   * The connections the client left for good while it opened a new one, whose last response the
   * server had ended but never finished writing (the client did not read all of it), each with
   * the index of that request in the requests judged. Ascending by id.
   */
  readonly unfinished: readonly { readonly id: number; readonly request: number }[]
  /** How the connections used ended, from their records, read when first asked for. */
  readonly endings: Endings
}

/** The connections used whose records tell how they ended, by kind. */
export interface Endings {
  /** Closed by the client after one request, before the last request arrived. */
  clientClosed: number[]
  /** Whether a connection opened after one of `clientClosed` closed. */
  reopened: boolean
  reset: number[]
  /** Closed by the server: by close reason, or `fault <name>`. */
  byServer: Map<string, number[]>
}

/** A close the last response announced: the client had nothing to reuse. */
const announced: ReadonlySet<CloseReason | undefined> = new Set<CloseReason | undefined>([
  'client-asked',
  'keep-alive-disabled',
  'max-requests',
])

/** Per connection, gathered in the one pass every verdict makes over the requests' columns. */
export interface Tables {
  readonly slots: Slots
  /** By slot: 1 + the index of its first request; 0 for an id no request used. */
  readonly first: Int32Array
  /** By slot: the index of its last request (meaningless where `first` is 0). */
  readonly last: Int32Array
  /** When its last response finished; `Infinity` while one is unanswered. */
  readonly lastResponse: Float64Array
  readonly reused: number
  /** How many connections the requests used. */
  readonly used: number
}

/**
 * The per-connection tables in one pass over the columns. `known` is the id range of the
 * server's connection records, when they are all there, which spares a pass to find it; an id
 * outside it (no server records such a journal) falls back to that pass. `reused`, when the
 * caller counted it already, spares reading that column again.
 */
function tablesOf(columns: Columns, known: Slots | undefined, counted: number | undefined): Tables {
  const { length, connectionId, indexOnConnection, respondedAt } = columns
  const slots = known ?? slotsOf(connectionId)
  const { size, lowest } = slots
  const first = scratch.int32('first', size)
  // Written for every slot used before it is read: not zeroed.
  const last = scratch.int32('last', size, false)
  const lastResponse = scratch.float64('lastResponse', size)
  const dense = !Number.isNaN(lowest)
  let used = 0
  for (let i = 0; i < length; i++) {
    const id = connectionId[i] as number
    const on = dense ? (id - lowest) | 0 : slots.slotOf(id)
    if (on < 0 || on >= size) return tablesOf(columns, undefined, counted)
    if (first[on] === 0) {
      first[on] = i + 1
      used++
    }
    last[on] = i
    const responded = respondedAt[i] as number
    // NaN: unanswered, busy until further notice.
    const done = Number.isNaN(responded) ? Number.POSITIVE_INFINITY : responded
    if (done > (lastResponse[on] as number)) lastResponse[on] = done
  }
  let reused = counted ?? 0
  if (counted === undefined)
    for (let i = 0; i < length; i++) if ((indexOnConnection[i] as number) > 0) reused++
  return { slots, first, last, lastResponse, reused, used }
}

/** The slots of the server's connection records when the journal is its whole journal. */
function knownSlots(journal: Journal, length: number): Slots | undefined {
  const all = journal.connections
  const lowest = all?.[0]?.id
  const highest = all?.at(-1)?.id
  if (lowest === undefined || highest === undefined || highest < lowest) return undefined
  return denseSlots(lowest, highest, length)
}

/**
 * When the server ended the response to request `at`, the last its connection ever carried, if
 * node never finished writing it (the client did not read all of it): from then on the server
 * had nothing left to do on that connection. `undefined` otherwise, or when the record is unknown.
 */
function unfinishedEnd(
  record: RecordedConnection | undefined,
  columns: Columns,
  at: number,
): number | undefined {
  const responded = columns.respondedAt[at] as number
  if (!Number.isNaN(responded) || record === undefined) return undefined
  if (record.requestCount !== (columns.indexOnConnection[at] as number) + 1) return undefined
  const since = unfinishedSince(record)
  return since !== undefined && since >= (columns.receivedAt[at] as number) ? since : undefined
}

/**
 * Until when a connection sat idle after its last response: its close, `Infinity` while open,
 * or its last response itself (no window) when the close was announced (`lastAsksToClose`: by
 * its last request) or forced by a fault.
 */
export function idleUntil(
  record: RecordedConnection | undefined,
  lastAsksToClose: boolean,
  lastResponse: number,
): number {
  if (lastAsksToClose || record?.fault !== undefined || announced.has(record?.closeReason))
    return lastResponse
  return record?.closedAt ?? Number.POSITIVE_INFINITY
}

/** Files a closed connection under how it ended. */
function noteEnding(
  endings: Endings & { firstClose: number },
  record: RecordedConnection,
  id: number,
  single: boolean,
  lastArrival: number,
): void {
  const reason = record.fault ? `fault ${record.fault}` : (record.closeReason as string)
  // Closed after one request while the client went on sending: not the goodbye of an exit.
  const early = (record.closedAt ?? Number.POSITIVE_INFINITY) < lastArrival
  if (reason === 'client-closed') {
    if (single && early) {
      endings.clientClosed.push(id)
      endings.firstClose = Math.min(endings.firstClose, record.closedAt ?? 0)
    }
  } else if (reason === 'client-reset') endings.reset.push(id)
  else if (reason !== 'client-asked') {
    const ids = endings.byServer.get(reason)
    if (ids) ids.push(id)
    else endings.byServer.set(reason, [id])
  }
}

/** The ids of the `connectionId` column once each, ascending. */
function distinctIds(connectionId: Float64Array): number[] {
  const slots = slotsOf(connectionId)
  const seen = new Uint8Array(slots.size)
  for (const id of connectionId) seen[slots.slotOf(id)] = 1
  const ids: number[] = []
  for (let slot = 0; slot < slots.size; slot++) if (seen[slot] === 1) ids.push(slots.idOf(slot))
  // Sparse ids take their slots in the order they were first seen.
  return Number.isNaN(slots.lowest) ? ids.sort((a, b) => a - b) : ids
}

/** How the connections used ended, from their records: read for findings only, when asked. */
function endingsOf(journal: Journal, columns: Columns): Endings {
  const endings: Endings & { firstClose: number } = {
    clientClosed: [],
    reopened: false,
    reset: [],
    byServer: new Map(),
    firstClose: Number.POSITIVE_INFINITY,
  }
  const { length, connectionId, receivedAt } = columns
  const lastArrival = length === 0 ? 0 : (receivedAt[length - 1] as number)
  let lastOpened = Number.NEGATIVE_INFINITY
  for (const id of distinctIds(connectionId)) {
    const record = journal.connection(id)
    if (record === undefined) continue
    if (record.closeReason !== undefined)
      // The record's count, not the slice's: a slice can hold one request of a longer connection.
      noteEnding(endings, record, id, record.requestCount === 1, lastArrival)
    if (record.openedAt > lastOpened) lastOpened = record.openedAt
  }
  endings.reopened = endings.firstClose < lastOpened
  const { firstClose: _, ...found } = endings
  return found
}

/**
 * Follows the server's timeline and finds the missed reuses: a connection opened while others
 * sat idle, none of which the client ever used again. A connection opened while another was
 * still opening (accepted, no request yet) or had a request in flight belongs to a burst and is
 * never a missed reuse; nor is one opened while the client still had an idle connection it came
 * back to later (undici opens one more socket when its free ones are not yet marked free: 1,2,1,2
 * and a burst followed by 6,1,2,1,2). A connection whose close was announced (`Connection: close`,
 * keep-alive off, max requests) or forced by a fault was never idle. No clock threshold: only
 * the order of events on the server's one clock. Reads the requests' columns, never the objects.
 */
export function usageOf(
  journal: Journal,
  columns = columnsOf(journal.requests),
  reused?: number,
): Usage {
  const tables = tablesOf(columns, knownSlots(journal, columns.length), reused)
  const { slots, first, last, lastResponse } = tables
  const { asksToClose } = columns
  const order = scratch.int32('order', tables.used, false)
  let at = 0
  // A first look at each connection: could it have sat idle for good?
  let windows = 0
  // By slot: 1 when its last response never finished being written (see `unfinishedEnd`).
  let stalled: Uint8Array | undefined
  for (let slot = 0; slot < slots.size; slot++) {
    if (first[slot] === 0) continue
    order[at++] = slot
    const lastIndex = last[slot] as number
    let record: RecordedConnection | undefined
    if (lastResponse[slot] === Number.POSITIVE_INFINITY) {
      record = journal.connection(slots.idOf(slot))
      // The server ended it and only the writing was left: its connection was left from then.
      const ended = unfinishedEnd(record, columns, lastIndex)
      if (ended !== undefined) {
        lastResponse[slot] = ended
        stalled ??= new Uint8Array(slots.size)
        stalled[slot] = 1
      }
    }
    // A close its last request announced leaves no window, whatever the record says.
    if (asksToClose[lastIndex] === 1) continue
    record ??= journal.connection(slots.idOf(slot))
    const from = lastResponse[slot] as number
    if (from < idleUntil(record, false, from)) windows++
  }
  let missed: Usage['missed'] = []
  const abandoned: number[] = []
  const unfinished: { id: number; request: number }[] = []
  // Every close announced (a million `Connection: close` requests), or one connection: no sweep.
  if (windows > 0 && order.length > 1) {
    const timeline = timelineOf(journal, columns, tables, order)
    missed = sweep(columns, tables, timeline)
    const times = missed.map((miss) => timeline.openedAt[slots.slotOf(miss.opened)] as number)
    if (times.length > 0)
      for (const slot of order)
        if (within(times, lastResponse[slot] as number, timeline.idleUntil[slot] as number)) {
          if (stalled?.[slot] === 1)
            unfinished.push({ id: slots.idOf(slot), request: last[slot] as number })
          else abandoned.push(slots.idOf(slot))
        }
  }
  let endings: Endings | undefined
  return {
    columns,
    used: tables.used,
    reused: tables.reused,
    missed,
    abandoned,
    unfinished,
    get endings() {
      endings ??= endingsOf(journal, columns)
      return endings
    },
  }
}
