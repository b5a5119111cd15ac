import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'

// Bounds the tables so a client that sends a new header value on every request costs a copy
// per request, not an ever-growing table.
const maxEntries = 1000

/**
 * Shares one frozen copy of equal header sets and equal URLs between recorded requests. Clients
 * send the same headers on every request, so a long journal costs a pointer per request for them
 * instead of a copy (docs/performance.md has the figures).
 */
export class Interner {
  readonly #strings = new Map<string, string>()
  readonly #headers = new Map<string, Readonly<IncomingHttpHeaders>>()
  #lastRaw: readonly string[] = []
  #lastHeaders: Readonly<IncomingHttpHeaders> | undefined

  string(value: string): string {
    const known = this.#strings.get(value)
    if (known !== undefined) return known
    if (this.#strings.size < maxEntries) this.#strings.set(value, value)
    return value
  }

  headers(req: IncomingMessage): Readonly<IncomingHttpHeaders> {
    // Most requests repeat the previous one's headers exactly: comparing the raw lists item by
    // item is cheaper than building the key (the hot path under keep-alive load).
    const raw = req.rawHeaders
    if (this.#lastHeaders !== undefined && sameItems(raw, this.#lastRaw)) return this.#lastHeaders
    const key = raw.join('\n')
    const headers = this.#headers.get(key) ?? Object.freeze({ ...req.headers })
    if (this.#headers.size < maxEntries) this.#headers.set(key, headers)
    this.#lastRaw = raw
    this.#lastHeaders = headers
    return headers
  }
}

function sameItems(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
