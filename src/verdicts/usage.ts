import { asksToClose } from '../connection-header.js'
import type { CloseReason, RecordedRequest } from '../types.js'
import { MinHeap } from './heap.js'
import type { Journal } from './journal.js'
import { type Slots, slotsOf } from './slots.js'

/** What the requests did with their connections, over the server's one clock. */
export interface Usage {
  /** Distinct connections the requests used, by id, in the order they opened. */
  readonly ids: Float64Array
  /** Requests that travelled on a connection that had carried one before. */
  readonly reused: number
  /**
   * Missed reuses: connections opened while another sat idle (its last response written) that
   * the client then never used again, each with one such idle connection. Ascending.
   */
  readonly missed: readonly { readonly opened: number; readonly idle: number }[]
  /** The idle connections the client left for good while it opened a new one. Ascending. */
  readonly abandoned: readonly number[]
  /** How many requests each connection carried within the requests judged, by id. */
  carried(id: number): number
}

/** A close the last response announced or a fault forced: the client had nothing to reuse. */
const announced: ReadonlySet<CloseReason> = new Set([
  'client-asked',
  'keep-alive-disabled',
  'max-requests',
])

/** Per connection, gathered in one pass over the requests. */
interface Tables {
  readonly slots: Slots
  readonly first: Int32Array
  readonly last: Int32Array
  readonly count: Uint32Array
  /** By request: the index of the next request on its connection, -1 for its last. */
  readonly following: Int32Array
  /** When its last response finished; `Infinity` while one is unanswered. */
  readonly lastResponse: Float64Array
  readonly reused: number
  /** How many connections the requests used. */
  readonly used: number
}

function tablesOf(requests: readonly RecordedRequest[]): Tables {
  const slots = slotsOf(requests)
  const first = new Int32Array(slots.size).fill(-1)
  const last = new Int32Array(slots.size)
  const count = new Uint32Array(slots.size)
  const lastResponse = new Float64Array(slots.size)
  const following = new Int32Array(requests.length).fill(-1)
  let reused = 0
  let used = 0
  for (let i = 0; i < requests.length; i++) {
    const request = requests[i] as RecordedRequest
    const slot = slots.slotOf(request.connectionId)
    if (first[slot] === -1) {
      first[slot] = i
      used++
    } else following[last[slot] as number] = i
    last[slot] = i
    count[slot] = (count[slot] as number) + 1
    const done = request.respondedAt ?? Number.POSITIVE_INFINITY
    if (done > (lastResponse[slot] as number)) lastResponse[slot] = done
    if (request.reusedConnection) reused++
  }
  return { slots, first, last, count, following, lastResponse, reused, used }
}

/** The connections used, in the order they opened (by the server's accept when it is known). */
function openingOrder(tables: Tables, openedAt: Float64Array): Int32Array {
  const order = new Int32Array(tables.used)
  let at = 0
  for (let slot = 0; slot < tables.slots.size; slot++)
    if (tables.first[slot] !== -1) order[at++] = slot
  for (let i = 1; i < order.length; i++)
    if ((openedAt[order[i] as number] as number) < (openedAt[order[i - 1] as number] as number))
      return order.sort((a, b) => (openedAt[a] as number) - (openedAt[b] as number))
  return order
}

/**
 * Follows the server's timeline and finds the missed reuses: a connection opened while others
 * sat idle, none of which the client ever used again. A connection opened while another was
 * still opening (accepted, no request yet) or had a request in flight belongs to a burst and is
 * never a missed reuse; nor is one opened while the client still had an idle connection it came
 * back to later (undici opens one more socket when its free ones are not yet marked free: 1,2,1,2
 * and a burst followed by 6,1,2,1,2). A connection whose close was announced (`Connection: close`,
 * keep-alive off, max requests) or forced by a fault was never idle. No clock threshold: only
 * the order of events on the server's one clock.
 *
 * @example
 * usageOf(journalOf(server, 'toReuseConnection()')).missed // [] for 1,2,1,2,1
 */
export function usageOf(journal: Journal): Usage {
  const { requests } = journal
  const tables = tablesOf(requests)
  const { slots, first, last, count, lastResponse } = tables
  const size = slots.size
  const openedAt = new Float64Array(size)
  /** End of the idle window: when it closed, `Infinity` while open, the window's start if none. */
  const idleUntil = new Float64Array(size)
  /** When an unanswered request stopped being in flight: its connection's close. */
  const closedAt = new Float64Array(size)
  let windows = 0
  for (let slot = 0; slot < size; slot++) {
    const at = first[slot] as number
    if (at === -1) continue
    const record = journal.connection(slots.idOf(slot))
    const lastRequest = requests[last[slot] as number] as RecordedRequest
    openedAt[slot] = record?.openedAt ?? (requests[at] as RecordedRequest).receivedAt
    closedAt[slot] = record?.closedAt ?? Number.POSITIVE_INFINITY
    const never =
      asksToClose(lastRequest.httpVersion, lastRequest.connectionHeader) ||
      record?.fault !== undefined ||
      (record?.closeReason !== undefined && announced.has(record.closeReason))
    idleUntil[slot] = never ? (lastResponse[slot] as number) : (closedAt[slot] as number)
    if ((lastResponse[slot] as number) < (idleUntil[slot] as number)) windows++
  }
  const order = openingOrder(tables, openedAt)
  // No connection ever sat idle for good (every close announced, or one connection): nothing
  // to miss, and a million `Connection: close` requests need no sweep.
  const missed: { opened: number; idle: number }[] =
    windows === 0 || order.length < 2
      ? []
      : sweep(requests, tables, order, openedAt, idleUntil, closedAt)
  const times = missed.map((miss) => openedAt[slots.slotOf(miss.opened)] as number)
  const abandoned: number[] = []
  if (times.length > 0)
    for (const slot of order)
      if (within(times, lastResponse[slot] as number, idleUntil[slot] as number))
        abandoned.push(slots.idOf(slot))
  return {
    ids: Float64Array.from(order, (slot) => slots.idOf(slot)),
    reused: tables.reused,
    missed,
    abandoned: abandoned.sort((a, b) => a - b),
    carried: (id) => {
      const slot = slots.slotOf(id)
      return slot >= 0 && slot < size ? (count[slot] as number) : 0
    },
  }
}

/** Whether some of the ascending `times` falls in [from, until). */
function within(times: readonly number[], from: number, until: number): boolean {
  let low = 0
  let high = times.length
  while (low < high) {
    const middle = (low + high) >> 1
    if ((times[middle] as number) < from) low = middle + 1
    else high = middle
  }
  return low < times.length && (times[low] as number) < until
}

/** The sweep over the timeline: each opening is checked against what was idle, opening or busy. */
function sweep(
  requests: readonly RecordedRequest[],
  tables: Tables,
  order: Int32Array,
  openedAt: Float64Array,
  idleUntil: Float64Array,
  closedAt: Float64Array,
): { opened: number; idle: number }[] {
  const { slots, first, last, following, lastResponse } = tables
  // 0 not seen, 1 opened and waiting for its first request, 2 carried one.
  const state = new Uint8Array(slots.size)
  const inFlight = new MinHeap()
  const pendingIdle = new MinHeap()
  const idle = new MinHeap()
  const pendingReturn = new MinHeap()
  // Connections idle now that carry another request later, keyed by when it arrives.
  const returning = new MinHeap()
  let opening = 0
  let foreverBusy = 0
  let foreverIdle = -1
  let foreverIdleCount = 0
  let next = 0
  let opened = 0
  const missed: { opened: number; idle: number }[] = []
  for (const slot of order) {
    const now = openedAt[slot] as number
    for (; next < requests.length; next++) {
      const request = requests[next] as RecordedRequest
      if (request.receivedAt > now) break
      const on = slots.slotOf(request.connectionId)
      if (first[on] === next) {
        if (state[on] === 1) opening--
        state[on] = 2
      }
      const done = request.respondedAt ?? (closedAt[on] as number)
      if (done === Number.POSITIVE_INFINITY) foreverBusy++
      else inFlight.push(done)
      // Its last request: from its last response until it closed, the connection sat idle.
      const from = lastResponse[on] as number
      if (last[on] === next && from < (idleUntil[on] as number)) pendingIdle.push(from, on)
      const after = following[next] as number
      if (after !== -1) pendingReturn.push(done, (requests[after] as RecordedRequest).receivedAt)
    }
    for (; opened < order.length; opened++) {
      const other = order[opened] as number
      if ((openedAt[other] as number) > now) break
      if (state[other] === 0) {
        state[other] = 1
        opening++
      }
    }
    while (inFlight.min <= now) inFlight.pop()
    while (pendingIdle.min <= now) {
      const on = pendingIdle.pop()
      const until = idleUntil[on] as number
      if (until === Number.POSITIVE_INFINITY) {
        foreverIdle = on
        foreverIdleCount++
      } else idle.push(until, on)
    }
    while (idle.min <= now) idle.pop()
    if (idle.size + foreverIdleCount === 0) continue
    while (pendingReturn.min <= now) returning.push(pendingReturn.pop())
    while (returning.min <= now) returning.pop()
    if (returning.size > 0) continue
    // The opening connection itself is counted once, as opening or as busy.
    if (opening + inFlight.size + foreverBusy >= 2) continue
    const left = idle.size > 0 ? idle.minValue : foreverIdle
    missed.push({ opened: slots.idOf(slot), idle: slots.idOf(left) })
  }
  return missed
}
