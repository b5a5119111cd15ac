import { type OutgoingHttpHeaders, type ServerResponse, STATUS_CODES } from 'node:http'
import type { Http2ServerResponse } from 'node:http2'
import type { Socket } from 'node:net'
import { connectionOf } from './connection.js'
import { delayUnlessClosed } from './delay.js'
import { KeepAliveKitError } from './errors.js'
import { tcpSocketOf } from './tls/front.js'
import { h2Fault } from './tls/h2-faults.js'
import type { Fault, FaultName } from './types.js'
import { isWhole } from './values.js'

// setTimeout() clamps anything larger to 1 ms, which would answer at once.
const maxDelay = 2 ** 31 - 1

const invalid = (fault: unknown): KeepAliveKitError =>
  new KeepAliveKitError(
    `Failed to inject a fault: expected 'close-after-response', 'no-response', 'reset', { delay: ms } or { partialBody: bytes } with a whole number from 0, got ${JSON.stringify(fault) ?? String(fault)}.`,
  )

/** Throws a `KeepAliveKitError` unless `fault` is one of the `Fault` shapes. */
export function checkFault(fault: unknown): asserts fault is Fault {
  if (fault === 'close-after-response' || fault === 'no-response' || fault === 'reset') return
  if (typeof fault !== 'object' || fault === null) throw invalid(fault)
  const keys = Object.keys(fault)
  const value = Object.values(fault)[0]
  if (keys.length === 1 && keys[0] === 'delay' && isWhole(value, 0, maxDelay)) return
  if (keys.length === 1 && keys[0] === 'partialBody' && isWhole(value, 0, Number.MAX_SAFE_INTEGER))
    return
  throw invalid(fault)
}

/** True for the faults that end the connection without any answer, so no handler runs. */
export const answersNothing = (fault: Fault): boolean =>
  fault === 'no-response' || fault === 'reset'

const record = (socket: Socket, fault: FaultName): void => connectionOf(socket)?.injected(fault)

/**
 * Makes the response `res` misbehave. Call it in a handler before answering; `await` it, then
 * answer as usual (the fault decides what of your answer the client gets):
 * - `'no-response'` closes the connection (FIN) and `'reset'` resets it (RST), as soon as the
 *   answers to requests pipelined before this one have gone out: answer nothing after them;
 * - `'close-after-response'` lets your response go out, then closes the connection although the
 *   response said keep-alive;
 * - `{ partialBody: n }` sends your status and headers with the full `Content-Length`, the first
 *   `n` bytes of your body, then closes;
 * - `{ delay: ms }` resolves `ms` later (or as soon as the connection closes).
 *
 * On a test server the connection's record gets `closedBy: 'server'`,
 * `closeReason: 'server-closed'` and `fault` naming the fault ('delay' closes nothing).
 * Over HTTP/2 each takes HTTP/2's wire form (GOAWAY, a TCP reset, RST_STREAM for
 * `{ partialBody }`, recorded in `resetStreams`); see docs/faults.md.
 * Rejects with a `KeepAliveKitError` when `fault` is not a `Fault`.
 *
 * @example
 * const server = await createTestServer({
 *   handler: async (req, res) => {
 *     if (req.url === '/flaky') return injectFault(res, 'reset')
 *     res.end('ok')
 *   },
 * })
 */
export async function injectFault(res: ServerResponse, fault: Fault): Promise<void> {
  checkFault(fault)
  // HTTP/2 takes the fault on its stream and session; see h2-faults.ts for the wire forms.
  if ('stream' in res) return h2Fault(res as unknown as Http2ServerResponse, fault)
  // res.socket is null while a pipelined response waits its turn; the request's socket is not.
  const socket = res.req.socket
  // Every fault but a delay ends the connection: requests pipelined behind this one are not taken.
  if (typeof fault === 'string' || 'partialBody' in fault)
    connectionOf(socket)?.willClose('server-closed')
  if (fault === 'no-response') {
    onItsTurn(res, () => {
      record(socket, 'no-response')
      // FIN, then let go: a client that keeps its half open must not keep the record open.
      socket.destroySoon()
    })
  } else if (fault === 'reset') {
    onItsTurn(res, () => {
      record(socket, 'reset')
      tcpSocketOf(socket).resetAndDestroy()
    })
  } else if (fault === 'close-after-response') {
    res.once('finish', () => {
      record(socket, 'close-after-response')
      socket.destroySoon()
    })
  } else if ('delay' in fault) {
    await delayUnlessClosed(socket, fault.delay)
  } else {
    truncateBody(res, socket, fault.partialBody)
  }
}

/**
 * Runs `act` once `res` owns the socket. A pipelined response waits behind the answers before
 * it, which a fault on this one must not cut off.
 */
function onItsTurn(res: ServerResponse, act: () => void): void {
  if (res.socket !== null) act()
  else res.once('socket', act)
}

type Callback = (error?: Error | null) => void

/**
 * Takes over the response: what the handler writes is collected, and when it ends, the status,
 * headers and the full Content-Length go out with only the first `limit` bytes of the body, then
 * a FIN. Written raw because node would refuse to end a response shorter than its Content-Length.
 */
function truncateBody(res: ServerResponse, socket: Socket, limit: number): void {
  if (res.headersSent)
    throw new KeepAliveKitError(
      'Failed to inject { partialBody }: the response has already been sent. Inject the fault before the handler writes anything.',
    )
  const chunks: Buffer[] = []
  const collect = (chunk: unknown, encoding: unknown): void => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return
    chunks.push(
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : Buffer.from(chunk as Uint8Array),
    )
  }
  const callbackOf = (args: unknown[]): Callback | undefined =>
    args.find((arg): arg is Callback => typeof arg === 'function')
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    res.statusCode = status
    if (typeof rest[0] === 'string') res.statusMessage = rest.shift() as string
    setHeaders(res, rest[0])
    return res
  }) as ServerResponse['writeHead']
  res.flushHeaders = () => {}
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    collect(chunk, rest[0])
    callbackOf(rest)?.()
    return true
  }) as ServerResponse['write']
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    collect(chunk, rest[0])
    const body = Buffer.concat(chunks)
    // A response to HEAD has no body: the headers go out alone, then the close.
    const sent = res.req.method === 'HEAD' ? Buffer.alloc(0) : body.subarray(0, limit)
    onItsTurn(res, () => {
      record(socket, 'partial-body')
      socket.end(Buffer.concat([head(res, body.length), sent]), () =>
        callbackOf([chunk, ...rest])?.(),
      )
      socket.destroySoon()
    })
    return res
  }) as ServerResponse['end']
}

function setHeaders(res: ServerResponse, headers: unknown): void {
  if (Array.isArray(headers)) {
    // writeHead's flat form: [name, value, name, value, …]
    for (let i = 0; i + 1 < headers.length; i += 2)
      res.setHeader(String(headers[i]), headers[i + 1] as string)
  } else if (typeof headers === 'object' && headers !== null) {
    for (const [name, value] of Object.entries(headers as OutgoingHttpHeaders))
      if (value !== undefined) res.setHeader(name, value)
  }
}

/** The status line and headers, announcing the full body length. */
function head(res: ServerResponse, length: number): Buffer {
  const lines = [
    `HTTP/1.1 ${res.statusCode} ${res.statusMessage || STATUS_CODES[res.statusCode] || ''}`,
  ]
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (/^(content-length|transfer-encoding|connection)$/i.test(name) || value === undefined)
      continue
    for (const each of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${each}`)
  }
  lines.push(`Content-Length: ${length}`, 'Connection: keep-alive')
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')
}
