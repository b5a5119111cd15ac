/**
 * A dense index for the connection ids of some requests. Ids on one server are dense (1, 2, 3, …),
 * so the slot is `id - lowest` and per-connection tables are typed arrays; a hand-built journal
 * with ids far apart gets a Map instead. Either way one pass: verdicts run over a million requests.
 */
export interface Slots {
  /** How many slots the tables need (some may be unused when ids are sparse). */
  readonly size: number
  /** The lowest id when slots are dense (`slot = id - lowest`, an int32 index); `NaN` when they go through a Map. */
  readonly lowest: number
  slotOf(id: number): number
  idOf(slot: number): number
}

/** The slots of the connection ids of some requests (the `connectionId` column). */
export function slotsOf(ids: Float64Array): Slots {
  const [lowest, highest] = idRange(ids)
  const dense = denseSlots(lowest, highest, ids.length)
  if (dense !== undefined) return dense
  const bySlot: number[] = []
  const byId = new Map<number, number>()
  for (const id of ids)
    if (!byId.has(id)) {
      byId.set(id, bySlot.length)
      bySlot.push(id)
    }
  return {
    size: bySlot.length,
    lowest: Number.NaN,
    slotOf: (id) => byId.get(id) ?? -1,
    idOf: (slot) => bySlot[slot] ?? 0,
  }
}

/** Slots `id - lowest` for ids in [lowest, highest], unless too sparse for `count` requests. */
export function denseSlots(lowest: number, highest: number, count: number): Slots | undefined {
  const span = highest - lowest + 1
  if (span > 4 * count + 1024) return undefined
  return { size: span, lowest, slotOf: (id) => (id - lowest) | 0, idOf: (slot) => slot + lowest }
}

/** The lowest and highest connection id in the `connectionId` column, in one pass. */
export function idRange(ids: Float64Array): [lowest: number, highest: number] {
  let lowest = Number.POSITIVE_INFINITY
  let highest = Number.NEGATIVE_INFINITY
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number
    if (id < lowest) lowest = id
    if (id > highest) highest = id
  }
  return [lowest, highest]
}
