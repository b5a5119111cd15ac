import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'

// Bounds the tables so a client that sends a new header set on every request costs a copy per
// request, not an ever-growing table.
const maxEntries = 1000

/**
 * A header set that differs from an interned one only in the values of some headers, each sent
 * once: a request id, a trace header. A request that fits it keeps the shape and those values
 * alone, not a copy of every header (docs/decisions/0010-a-journal-of-columns.md).
 */
export class HeaderShape {
  constructor(
    readonly base: Readonly<IncomingHttpHeaders>,
    /** Where the values differ in `rawHeaders` (odd positions). */
    readonly positions: readonly number[],
    /** The lower-case names of those headers, as keys of `base`. */
    readonly names: readonly string[],
  ) {}

  /** The headers of a request that kept `values` (one string for one name, else a list). */
  headersWith(values: string | readonly string[]): Readonly<IncomingHttpHeaders> {
    const headers: IncomingHttpHeaders = { ...this.base }
    const { names } = this
    if (typeof values === 'string') headers[names[0] as string] = values
    else for (let i = 0; i < names.length; i++) headers[names[i] as string] = values[i]
    return Object.freeze(headers)
  }
}

/** The headers a record shows for what `Interner.headers` kept. */
export const headersOf = (
  shared: Readonly<IncomingHttpHeaders> | HeaderShape,
  values: string | readonly string[] | undefined,
): Readonly<IncomingHttpHeaders> =>
  shared instanceof HeaderShape ? shared.headersWith(values as string) : shared

/** The base a shape can stand on: an interned set and which of its headers may vary. */
class Base {
  #once: readonly (string | undefined)[] | undefined
  shape: HeaderShape | undefined

  constructor(
    readonly raw: readonly string[],
    readonly headers: Readonly<IncomingHttpHeaders>,
  ) {}

  /** By raw position of a name: its lower-case key when it is sent once, else `undefined`. */
  get once(): readonly (string | undefined)[] {
    this.#once ??= onceNames(this.raw)
    return this.#once
  }
}

/**
 * Shares one frozen copy of equal header sets and equal URLs between recorded requests. Clients
 * send the same headers on every request, so a long journal costs a pointer per request for them
 * instead of a copy; a request that differs from the last set only in some values (a request id)
 * costs those values (docs/performance.md has the figures).
 */
export class Interner {
  readonly #strings = new Map<string, string>()
  readonly #bases = new Map<string, Base>()
  #last: Base | undefined
  #values: string | readonly string[] | undefined

  string(value: string): string {
    const known = this.#strings.get(value)
    if (known !== undefined) return known
    if (this.#strings.size < maxEntries) this.#strings.set(value, value)
    return value
  }

  /**
   * The shared part of a request's headers: an interned set, or a `HeaderShape` whose values
   * `values` then holds until the next call. Only HTTP/1 requests (`shapes`) take shapes: node
   * builds HTTP/2 headers by rules of its own.
   */
  headers(req: IncomingMessage, shapes = true): Readonly<IncomingHttpHeaders> | HeaderShape {
    this.#values = undefined
    // Most requests repeat the previous one's headers exactly: comparing the raw lists item by
    // item is cheaper than building the key (the hot path under keep-alive load).
    const raw = req.rawHeaders
    const last = this.#last
    if (last !== undefined && raw.length === last.raw.length) {
      const differ = differences(raw, last)
      if (differ === 0) return last.headers
      if (shapes && differ > 0) return this.#shaped(req, last)
    }
    const key = raw.join('\n')
    let base = this.#bases.get(key)
    if (base === undefined) {
      base = new Base(raw, Object.freeze({ ...req.headers }))
      if (this.#bases.size < maxEntries) this.#bases.set(key, base)
    }
    this.#last = base
    return base.headers
  }

  /** The values of the shape the last `headers()` call returned, `undefined` after a set. */
  get values(): string | readonly string[] | undefined {
    return this.#values
  }

  #shaped(req: IncomingMessage, last: Base): Readonly<IncomingHttpHeaders> | HeaderShape {
    const raw = req.rawHeaders
    const positions: number[] = []
    for (let i = 1; i < raw.length; i += 2) if (raw[i] !== last.raw[i]) positions.push(i)
    let shape = last.shape
    if (shape === undefined || !samePositions(shape.positions, positions)) {
      const names = positions.map((at) => last.once[at - 1] as string)
      // Node's own headers are the truth: a shape is made only when they read as raw values.
      if (names.some((name, i) => req.headers[name] !== raw[positions[i] as number]))
        return Object.freeze({ ...req.headers })
      shape = new HeaderShape(last.headers, positions, names)
      last.shape = shape
    }
    this.#values =
      positions.length === 1
        ? raw[positions[0] as number]
        : positions.map((at) => raw[at] as string)
    return shape
  }
}

/**
 * How `raw` differs from the base's raw list: 0 when equal, the number of differing values when
 * only values of headers sent once differ, -1 when a name or another value differs.
 */
function differences(raw: readonly string[], base: Base): number {
  const baseRaw = base.raw
  let differ = 0
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i] !== baseRaw[i]) return -1
    if (raw[i + 1] !== baseRaw[i + 1]) {
      if (base.once[i] === undefined) return -1
      differ++
    }
  }
  return differ
}

/** By raw position of each name: its lower-case key when sent once (and not `set-cookie`). */
function onceNames(raw: readonly string[]): (string | undefined)[] {
  const names = raw.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase())
  const once: (string | undefined)[] = []
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string
    const single = name !== 'set-cookie' && names.indexOf(name) === names.lastIndexOf(name)
    once.push(single ? name : undefined, undefined)
  }
  return once
}

function samePositions(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
