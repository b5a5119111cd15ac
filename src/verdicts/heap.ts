/**
 * A binary min-heap of numbers, each with a number riding along. The reuse rule's sweep keeps
 * the responses in flight and the idle windows in these; they stay as small as the client's
 * concurrency, so a journal of a million requests costs a few comparisons per request.
 */
export class MinHeap {
  readonly #keys: number[] = []
  readonly #values: number[] = []

  get size(): number {
    return this.#keys.length
  }

  /** The smallest key, `Infinity` when empty. */
  get min(): number {
    return this.#keys[0] ?? Number.POSITIVE_INFINITY
  }

  /** The value that rides with the smallest key. */
  get minValue(): number {
    return this.#values[0] ?? 0
  }

  push(key: number, value = 0): void {
    const keys = this.#keys
    const values = this.#values
    let at = keys.length
    keys.push(key)
    values.push(value)
    while (at > 0) {
      const up = (at - 1) >> 1
      const parent = keys[up] as number
      if (parent <= key) break
      keys[at] = parent
      values[at] = values[up] as number
      at = up
    }
    keys[at] = key
    values[at] = value
  }

  /** Removes the smallest key; returns its value. */
  pop(): number {
    const keys = this.#keys
    const values = this.#values
    const top = values[0] ?? 0
    const key = keys.pop() as number
    const value = values.pop() as number
    const size = keys.length
    if (size === 0) return top
    let at = 0
    for (;;) {
      let child = 2 * at + 1
      if (child >= size) break
      if (child + 1 < size && (keys[child + 1] as number) < (keys[child] as number)) child++
      if ((keys[child] as number) >= key) break
      keys[at] = keys[child] as number
      values[at] = values[child] as number
      at = child
    }
    keys[at] = key
    values[at] = value
    return top
  }
}
