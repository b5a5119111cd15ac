import type { RecordedRequest } from '../types.js'
import { MinHeap } from './heap.js'
import type { Journal } from './journal.js'
import { idleUntil, type Tables } from './usage.js'

/** The timeline of each connection used, by slot, for the sweep. */
export interface Timeline {
  readonly openedAt: Float64Array
  readonly idleUntil: Float64Array
  readonly closedAt: Float64Array
  /** By request: 1 + the index of the next request on its connection; 0 for its last. */
  readonly following: Int32Array
  /** The slots in the order their connections opened (by the server's accept when known). */
  readonly order: Int32Array
}

export function timelineOf(journal: Journal, tables: Tables, order: Int32Array): Timeline {
  const { requests } = journal
  const { slots, first, last, lastResponse } = tables
  const openedAt = new Float64Array(slots.size)
  const until = new Float64Array(slots.size)
  const closedAt = new Float64Array(slots.size)
  for (const slot of order) {
    const record = journal.connection(slots.idOf(slot))
    const firstRequest = requests[(first[slot] as number) - 1] as RecordedRequest
    openedAt[slot] = record?.openedAt ?? firstRequest.receivedAt
    closedAt[slot] = record?.closedAt ?? Number.POSITIVE_INFINITY
    const lastRequest = requests[last[slot] as number] as RecordedRequest
    until[slot] = idleUntil(record, lastRequest, lastResponse[slot] as number)
  }
  const following = new Int32Array(requests.length)
  const previous = new Int32Array(slots.size)
  for (let i = 0; i < requests.length; i++) {
    const slot = slots.slotOf((requests[i] as RecordedRequest).connectionId)
    const before = previous[slot] as number
    if (before > 0) following[before - 1] = i + 1
    previous[slot] = i + 1
  }
  const opening = Int32Array.from(order)
  for (let i = 1; i < opening.length; i++)
    if (
      (openedAt[opening[i] as number] as number) < (openedAt[opening[i - 1] as number] as number)
    ) {
      opening.sort((a, b) => (openedAt[a] as number) - (openedAt[b] as number))
      break
    }
  return { openedAt, idleUntil: until, closedAt, following, order: opening }
}

/** Whether some of the ascending `times` falls in [from, until). */
export function within(times: readonly number[], from: number, until: number): boolean {
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
export function sweep(
  requests: readonly RecordedRequest[],
  tables: Tables,
  timeline: Timeline,
): { opened: number; idle: number }[] {
  const { slots, first, last, lastResponse } = tables
  const { openedAt, idleUntil, closedAt, following, order } = timeline
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
      if (first[on] === next + 1) {
        if (state[on] === 1) opening--
        state[on] = 2
      }
      // Unanswered: busy until it closed, or, for a last response the server ended that never
      // finished being written, until it was ended (`lastResponse`, see usageOf).
      const done =
        request.respondedAt ??
        Math.min(
          closedAt[on] as number,
          last[on] === next ? (lastResponse[on] as number) : Infinity,
        )
      if (done === Number.POSITIVE_INFINITY) foreverBusy++
      else inFlight.push(done)
      // Its last request: from its last response until it closed, the connection sat idle.
      const from = lastResponse[on] as number
      if (last[on] === next && from < (idleUntil[on] as number)) pendingIdle.push(from, on)
      const after = (following[next] as number) - 1
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
