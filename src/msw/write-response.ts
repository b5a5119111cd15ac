import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'

/** Headers the test server sets itself to carry out its keep-alive options; a mock never overrides them. */
const serverOwned = new Set(['connection', 'keep-alive'])

/** Statuses and methods whose responses carry no body, whatever the mock returned. */
const bodiless = (req: IncomingMessage, status: number): boolean =>
  req.method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200)

/**
 * Writes a Fetch `Response` to node's response: status, status text, headers (each `Set-Cookie`
 * on its own line) and the body, streamed chunk by chunk with backpressure. A body stream that
 * fails midway destroys the socket, as a real server's crash would; the client sees it truncated.
 */
export async function writeResponse(
  req: IncomingMessage,
  res: ServerResponse,
  response: Response,
): Promise<void> {
  for (const [name, value] of response.headers) {
    if (name === 'set-cookie') continue
    if (serverOwned.has(name) && res.hasHeader(name)) continue
    res.setHeader(name, value)
  }
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('set-cookie', cookies)
  if (response.statusText === '') res.writeHead(response.status)
  else res.writeHead(response.status, response.statusText)
  if (response.body === null || bodiless(req, response.status)) {
    await response.body?.cancel()
    return void res.end()
  }
  // Headers go out before the first chunk, so a client sees a streamed response start at once.
  res.flushHeaders()
  try {
    await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), res)
  } catch {
    // pipeline() has destroyed the socket; the truncated body is the evidence the client gets.
  }
}
