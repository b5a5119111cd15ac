/**
 * The `Connection` header's tokens: one home for reading them, used by the server to decide who
 * ends a connection, by the verdicts and by the CLI. The header is a comma-separated list of
 * case-insensitive tokens (RFC 9110 §7.6.1), so `close-later` is not `close`.
 */

/** What `String.prototype.trim()` removes around an item. */
const isSpace = (code: number): boolean =>
  code === 32 ||
  (code >= 9 && code <= 13) ||
  code === 0xa0 ||
  code === 0x1680 ||
  (code >= 0x2000 && code <= 0x200a) ||
  code === 0x2028 ||
  code === 0x2029 ||
  code === 0x202f ||
  code === 0x205f ||
  code === 0x3000 ||
  code === 0xfeff

/** Whether a `Connection` header lists `token` (lower-case), as a whole token. */
export function hasToken(header: string | undefined, token: string): boolean {
  if (header === undefined) return false
  // Most headers are the one token; splitting only the rest keeps a long journal cheap.
  if (header.length === token.length) return header.toLowerCase() === token
  // Each comma-separated item, trimmed, compared in place: what `split(',')`, `trim()` and
  // `toLowerCase()` per item would decide, without their array and strings (this runs on every
  // request of a client that sends `keep-alive, Upgrade` or the header twice). An ASCII header
  // is compared folding A–Z; any other is lower-cased first, as toLowerCase() would.
  const text = isAscii(header) ? header : header.toLowerCase()
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf(',', start)
    if (end === -1) end = text.length
    let from = start
    let to = end
    while (from < to && isSpace(text.charCodeAt(from))) from++
    while (to > from && isSpace(text.charCodeAt(to - 1))) to--
    if (to - from === token.length && sameFolded(text, from, token)) return true
    start = end + 1
  }
  return false
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false
  return true
}

/** Whether `text` has `token` (lower-case) at `from`, its letters A–Z in either case. */
function sameFolded(text: string, from: number, token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const code = text.charCodeAt(from + i)
    if ((code >= 65 && code <= 90 ? code + 32 : code) !== token.charCodeAt(i)) return false
  }
  return true
}

/**
 * Whether a request ends its connection after its response: HTTP/1.1 keeps the connection
 * unless the header lists `close`; HTTP/1.0 (and 0.9) close unless it lists `keep-alive`.
 */
export function asksToClose(httpVersion: string, header: string | undefined): boolean {
  // The usual header, settled without lower-casing or splitting: this runs on every request.
  if (header === 'keep-alive') return false
  // A client sends the same header on every request: the last answer, when it is the same one.
  if (header === last.header && httpVersion === last.httpVersion) return last.closes
  const closes = httpVersion === '1.1' ? hasToken(header, 'close') : !hasToken(header, 'keep-alive')
  last = { httpVersion, header, closes }
  return closes
}

let last: { httpVersion: string; header: string | undefined; closes: boolean } = {
  httpVersion: '1.1',
  header: undefined,
  closes: false,
}

/**
 * Whether a recorded request ended its connection by what it sent. An HTTP/2 stream (one with a
 * `streamId`) never does: HTTP/2 has no `Connection` header, a client ends a session by closing it.
 */
export const requestAsksToClose = (request: {
  readonly httpVersion: string
  readonly connectionHeader: string | undefined
  readonly streamId?: number | undefined
}): boolean =>
  request.streamId === undefined && asksToClose(request.httpVersion, request.connectionHeader)
