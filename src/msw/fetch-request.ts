import type { IncomingMessage } from 'node:http'

/**
 * The origin the client addressed: its `Host` header, which is also what relative handler
 * paths are resolved against, so `http.get('/user')` matches whatever host name the client used.
 * HTTP/1.0 clients may send no `Host`; the socket's local address stands in then.
 */
export function originOf(req: IncomingMessage): string {
  const host = req.headers.host
  const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'
  if (host !== undefined && host !== '') return `${scheme}://${host}`
  const { localAddress = '127.0.0.1', localPort } = req.socket
  return `${scheme}://${localAddress.includes(':') ? `[${localAddress}]` : localAddress}:${localPort}`
}

/** Whether the request carries a body; node's parser knows from these two headers only. */
const hasBody = (req: IncomingMessage): boolean =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0')

/**
 * The body as a web stream that reads `req` only when the handler pulls. Not `Readable.toWeb()`:
 * that reads ahead and pauses `req` for good once its queue is full, so a body the handler never
 * read could not be drained after the response, and the kept-alive socket would stall.
 */
function bodyOf(req: IncomingMessage): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      pull: (controller) =>
        new Promise<void>((resolve) => {
          if (req.readableEnded) return resolve(controller.close())
          const settle = (action: () => void) => () => {
            req.pause()
            req.off('data', onData).off('end', onEnd).off('error', onError)
            action()
            resolve()
          }
          const onData = (chunk: Buffer): void =>
            settle(() => controller.enqueue(new Uint8Array(chunk)))()
          const onEnd = settle(() => controller.close())
          const onError = (error: Error): void => settle(() => controller.error(error))()
          req.on('data', onData).on('end', onEnd).on('error', onError)
          req.resume()
        }),
    },
    { highWaterMark: 0 },
  )
}

/**
 * The Fetch `Request` msw handlers expect, for a request node parsed: same method, URL, headers
 * (repeated ones appended in order) and, when there is one, the body as a stream, read only as
 * fast as the handler reads it.
 */
export function toFetchRequest(req: IncomingMessage, origin: string, signal: AbortSignal): Request {
  const headers = new Headers()
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string)
  const method = req.method ?? 'GET'
  const body = method !== 'GET' && method !== 'HEAD' && hasBody(req) ? bodyOf(req) : null
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    body,
    signal,
    ...(body === null ? {} : { duplex: 'half' }),
  })
}
