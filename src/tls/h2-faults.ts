import { constants, type Http2ServerResponse } from 'node:http2'
import type { Connection } from '../connection.js'
import { delayUnlessClosed } from '../delay.js'
import { KeepAliveKitError } from '../errors.js'
import type { Fault } from '../types.js'
import { closeSessionAfter, h2ConnectionOf } from './h2.js'

/**
 * Puts `fault` on an HTTP/2 response. The wire form of each (docs/faults.md):
 * - `'no-response'`: GOAWAY naming this stream as the last one taken (it may have been
 *   processed, as after a FIN on HTTP/1.1), then the TCP connection closed, unanswered;
 * - `'reset'`: the TCP connection reset (RST), the same as on HTTP/1.1: the whole session dies;
 * - `'close-after-response'`: the response, then GOAWAY and a full close of the connection;
 * - `{ partialBody: n }`: the headers with the full `content-length`, `n` bytes of the body,
 *   then RST_STREAM (`INTERNAL_ERROR`) on that stream alone; the session stays open;
 * - `{ delay: ms }`: resolves `ms` later, or as soon as the stream closes.
 */
export async function h2Fault(res: Http2ServerResponse, fault: Fault): Promise<void> {
  const connection = h2ConnectionOf(res.req)
  const stream = res.stream
  if (fault === 'no-response') {
    connection?.injected('no-response')
    const session = stream.session
    session?.goaway(constants.NGHTTP2_NO_ERROR, stream.id)
    session?.destroy()
  } else if (fault === 'reset') {
    connection?.reset('reset')
  } else if (fault === 'close-after-response') {
    closeSessionAfter(res.req, () => connection?.injected('close-after-response'))
  } else if ('delay' in fault) {
    await delayUnlessClosed(res.stream, fault.delay)
  } else {
    truncate(res, connection, fault.partialBody)
  }
}

/**
 * Takes over the response: what the handler writes is collected, and when it ends, the headers
 * go out with the full `content-length`, then the first `limit` bytes of the body, then
 * RST_STREAM. The response never ends (no END_STREAM), so the client cannot take it as whole.
 */
function truncate(
  res: Http2ServerResponse,
  connection: Connection | undefined,
  limit: number,
): void {
  if (res.headersSent)
    throw new KeepAliveKitError(
      'Failed to inject { partialBody }: the response has already been sent. Inject the fault before the handler writes anything.',
    )
  const stream = res.stream
  const chunks: Buffer[] = []
  const collect = (chunk: unknown, encoding: unknown): void => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return
    chunks.push(
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : Buffer.from(chunk as Uint8Array),
    )
  }
  const writeHead = res.writeHead.bind(res)
  const write = res.write.bind(res)
  let headers: Record<string, unknown> = {}
  res.writeHead = ((code: number, ...rest: unknown[]) => {
    res.statusCode = code
    const last = rest[rest.length - 1]
    if (typeof last === 'object' && last !== null) headers = pairs(last)
    return res
  }) as Http2ServerResponse['writeHead']
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    collect(chunk, rest[0])
    return true
  }) as Http2ServerResponse['write']
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    collect(chunk, rest[0])
    const body = Buffer.concat(chunks)
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value as string)
    res.setHeader('content-length', body.length)
    writeHead(res.statusCode)
    const sent = res.req.method === 'HEAD' ? Buffer.alloc(0) : body.subarray(0, limit)
    const reset = (): void => {
      if (stream.id !== undefined) connection?.streamReset(stream.id)
      stream.close(constants.NGHTTP2_INTERNAL_ERROR)
    }
    // writeHead has sent the HEADERS frame; the RST_STREAM follows the bytes written.
    if (sent.length === 0) reset()
    else write(sent, () => reset())
    return res
  }) as Http2ServerResponse['end']
}

/** writeHead's headers, given as an object or as a flat `[name, value, …]` list. */
function pairs(headers: object): Record<string, unknown> {
  if (!Array.isArray(headers)) return { ...headers }
  const out: Record<string, unknown> = {}
  for (let i = 0; i + 1 < headers.length; i += 2) out[String(headers[i])] = headers[i + 1]
  return out
}
