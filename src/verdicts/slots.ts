import type { RecordedRequest } from '../types.js'

/**
 * A dense index for the connection ids of some requests. Ids on one server are dense (1, 2, 3, …),
 * so the slot is `id - lowest` and per-connection tables are typed arrays; a hand-built journal
 * with ids far apart gets a Map instead. Either way one pass: verdicts run over a million requests.
 */
export interface Slots {
  /** How many slots the tables need (some may be unused when ids are sparse). */
  readonly size: number
  slotOf(id: number): number
  idOf(slot: number): number
}

/** The slots of the connection ids in `requests`. */
export function slotsOf(requests: readonly RecordedRequest[]): Slots {
  const [lowest, highest] = idRange(requests)
  const span = highest - lowest + 1
  if (span <= 4 * requests.length + 1024)
    return { size: span, slotOf: (id) => id - lowest, idOf: (slot) => slot + lowest }
  const bySlot: number[] = []
  const byId = new Map<number, number>()
  for (const { connectionId: id } of requests)
    if (!byId.has(id)) {
      byId.set(id, bySlot.length)
      bySlot.push(id)
    }
  return {
    size: bySlot.length,
    slotOf: (id) => byId.get(id) ?? -1,
    idOf: (slot) => bySlot[slot] ?? 0,
  }
}

/** The lowest and highest connection id in `requests`, in one pass. */
export function idRange(requests: readonly RecordedRequest[]): [lowest: number, highest: number] {
  let lowest = Number.POSITIVE_INFINITY
  let highest = Number.NEGATIVE_INFINITY
  for (const { connectionId: id } of requests) {
    if (id < lowest) lowest = id
    if (id > highest) highest = id
  }
  return [lowest, highest]
}
