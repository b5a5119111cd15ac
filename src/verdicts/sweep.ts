import type { Columns } from './columns.js'
import { MinHeap } from './heap.js'
import type { Journal } from './journal.js'
import * as scratch from './scratch.js'
import { idleUntil, type Tables } from './usage.js'

/** The timeline of each connection used, by slot, for the sweep. */
export interface Timeline {
  readonly openedAt: Float64Array
  readonly idleUntil: Float64Array
  readonly closedAt: Float64Array
  /** The slots in the order their connections opened (by the server's accept when known). */
  readonly order: Int32Array
  /** How many requests, from the first, arrived by the last opening: the sweep reads no more. */
  readonly visited: number
  /**
   * By request, for the first `visited`: when the next request on its connection arrived,
   * `Infinity` when after the last opening, `NaN` when none did.
   */
  readonly returnsAt: Float64Array
}

export function timelineOf(
  journal: Journal,
  columns: Columns,
  tables: Tables,
  order: Int32Array,
): Timeline {
  const { receivedAt, asksToClose } = columns
  const { slots, first, last, lastResponse } = tables
  const openedAt = scratch.float64('openedAt', slots.size)
  const until = scratch.float64('idleUntil', slots.size)
  const closedAt = scratch.float64('closedAt', slots.size)
  for (const slot of order) {
    const record = journal.connection(slots.idOf(slot))
    const lastIndex = last[slot] as number
    openedAt[slot] = record?.openedAt ?? (receivedAt[(first[slot] as number) - 1] as number)
    closedAt[slot] = record?.closedAt ?? Number.POSITIVE_INFINITY
    until[slot] = idleUntil(record, asksToClose[lastIndex] === 1, lastResponse[slot] as number)
  }
  const opening = scratch.int32('opening', order.length)
  opening.set(order)
  for (let i = 1; i < opening.length; i++)
    if (
      (openedAt[opening[i] as number] as number) < (openedAt[opening[i - 1] as number] as number)
    ) {
      opening.sort((a, b) => (openedAt[a] as number) - (openedAt[b] as number))
      break
    }
  // The sweep stops at the last opening: a long journal on a pool is read only up to there.
  const lastOpening = openedAt[opening[opening.length - 1] as number] as number
  let visited = 0
  while (visited < columns.length && (receivedAt[visited] as number) <= lastOpening) visited++
  const returnsAt = scratch.float64('returnsAt', visited)
  // By slot: 1 + the index of the next request on it seen walking back, 0 when none yet.
  const next = scratch.int32('next', slots.size)
  const { connectionId } = columns
  for (let i = visited - 1; i >= 0; i--) {
    const on = slots.slotOf(connectionId[i] as number)
    const after = next[on] as number
    returnsAt[i] =
      after > 0
        ? (receivedAt[after - 1] as number)
        : (last[on] as number) > i
          ? Number.POSITIVE_INFINITY
          : Number.NaN
    next[on] = i + 1
  }
  return { openedAt, idleUntil: until, closedAt, order: opening, visited, returnsAt }
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
  columns: Columns,
  tables: Tables,
  timeline: Timeline,
): { opened: number; idle: number }[] {
  const { receivedAt, respondedAt, connectionId } = columns
  const { slots, first, last, lastResponse } = tables
  const { openedAt, idleUntil, closedAt, order, visited, returnsAt } = timeline
  // 0 not seen, 1 opened and waiting for its first request, 2 carried one.
  const state = scratch.uint8('state', slots.size)
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
    for (; next < visited; next++) {
      if ((receivedAt[next] as number) > now) break
      const on = slots.slotOf(connectionId[next] as number)
      if (first[on] === next + 1) {
        if (state[on] === 1) opening--
        state[on] = 2
      }
      const responded = respondedAt[next] as number
      // Unanswered: busy until it closed, or, for a last response the server ended that never
      // finished being written, until it was ended (`lastResponse`, see usageOf).
      const done = !Number.isNaN(responded)
        ? responded
        : Math.min(
            closedAt[on] as number,
            last[on] === next ? (lastResponse[on] as number) : Number.POSITIVE_INFINITY,
          )
      if (done === Number.POSITIVE_INFINITY) foreverBusy++
      else inFlight.push(done)
      // Its last request: from its last response until it closed, the connection sat idle.
      const from = lastResponse[on] as number
      if (last[on] === next && from < (idleUntil[on] as number)) pendingIdle.push(from, on)
      const returns = returnsAt[next] as number
      if (!Number.isNaN(returns)) pendingReturn.push(done, returns)
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
