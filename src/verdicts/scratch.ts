/**
 * Work space for the verdicts' per-connection tables, kept from one verdict to the next while
 * the heap keeps it (held weakly, so an idle process gives it back). A verdict over a million
 * connections needs some 20 MB of typed arrays; allocated anew for each verdict, that memory
 * made V8 collect the whole heap, a journal of a million records with it, every few verdicts.
 * Verdicts are synchronous and never nest, and nothing a verdict returns points into this space.
 */
const held = new Map<string, WeakRef<ArrayBuffer>>()

function space(name: string, bytes: number): ArrayBuffer {
  const kept = held.get(name)?.deref()
  if (kept !== undefined && kept.byteLength >= bytes) return kept
  const made = new ArrayBuffer(Math.max(bytes, 4096))
  held.set(name, new WeakRef(made))
  return made
}

/** An `Int32Array` of `length` for the work named `name`, zeroed unless `zeroed` is false. */
export function int32(name: string, length: number, zeroed = true): Int32Array {
  const array = new Int32Array(space(name, length * 4), 0, length)
  return zeroed ? array.fill(0) : array
}

/** A `Float64Array` of `length` for the work named `name`, zeroed. */
export const float64 = (name: string, length: number): Float64Array =>
  new Float64Array(space(name, length * 8), 0, length).fill(0)

/** A `Uint8Array` of `length` for the work named `name`, zeroed. */
export const uint8 = (name: string, length: number): Uint8Array =>
  new Uint8Array(space(name, length), 0, length).fill(0)
