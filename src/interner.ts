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

  string(value: string): string {
    const known = this.#strings.get(value)
    if (known !== undefined) return known
    if (this.#strings.size < maxEntries) this.#strings.set(value, value)
    return value
  }

  headers(req: IncomingMessage): Readonly<IncomingHttpHeaders> {
    const key = req.rawHeaders.join('\n')
    const known = this.#headers.get(key)
    if (known !== undefined) return known
    const headers = Object.freeze({ ...req.headers })
    if (this.#headers.size < maxEntries) this.#headers.set(key, headers)
    return headers
  }
}
