/** The typed arrays a journal column can be. */
export type TypedColumn = Float64Array | Uint32Array | Uint8Array

/** `column` copied into a new one of `capacity` items (the same kind), rest zero. */
export function grown<T extends TypedColumn>(column: T, capacity: number): T {
  const next = new (column.constructor as new (length: number) => T)(capacity)
  next.set(column)
  return next
}

/** The `length` items of a ring of `capacity` items whose oldest sits at `start`, in order. */
export function unrolled<T extends TypedColumn>(column: T, start: number, length: number): T {
  if (start === 0) return column.subarray(0, length) as T
  const out = new (column.constructor as new (length: number) => T)(length)
  const head = column.subarray(start, Math.min(start + length, column.length))
  out.set(head)
  if (head.length < length) out.set(column.subarray(0, length - head.length), head.length)
  return out
}

/** The same for a plain array column; the column itself when it holds just those items. */
export function unrolledList<T>(column: readonly T[], start: number, length: number): readonly T[] {
  if (start === 0) return column.length === length ? column : column.slice(0, length)
  const head = column.slice(start, Math.min(start + length, column.length))
  return head.length < length ? head.concat(column.slice(0, length - head.length)) : head
}
