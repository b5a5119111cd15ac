import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import type { Connection } from './connection.js'

/** The requests node answers itself, recorded first and then answered the way node would. */

/** Node's parse errors, answered the way node would answer them itself. */
export const statusFor = (code: string | undefined): string =>
  code === 'HPE_HEADER_OVERFLOW'
    ? '431 Request Header Fields Too Large'
    : code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? '408 Request Timeout'
      : '400 Bad Request'

export const missingHost = new Error('HTTP/1.1 request without a Host header, answered 400')

export const lacksHost = (req: IncomingMessage): boolean =>
  req.httpVersion === '1.1' && req.headers.host === undefined

/** A proxy request (already recorded): refused with a 501 that says why, and the connection closed. */
export function refuseConnect(req: IncomingMessage, socket: Socket, connection: Connection): void {
  const why = `CONNECT ${req.url ?? ''} refused: the test server is not a proxy`
  const refused = new Error(why)
  connection.willClose('error', refused)
  const body = `keepalive-kit: ${why}. Send requests to server.url directly, without a proxy.\n`
  // After the answers pipelined before it, which a status line written now would overtake.
  connection.afterAnswers(() => {
    connection.blame('server', 'error', refused)
    socket.end(
      `HTTP/1.1 501 Not Implemented\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    )
    socket.destroySoon()
  })
}

/**
 * Answers bytes node could not parse with `status`, then closes, recording the error. While an
 * answer is unfinished or queued behind another (pipelining), the connection is cut instead, as
 * node's own server does: a status line written now would split that answer or take its place
 * on the wire, and the journal would say a request was served that got a 400.
 */
export function rejectUnparsed(
  connection: Connection,
  socket: Socket,
  status: string,
  error: NodeJS.ErrnoException,
): void {
  // Bytes after the request whose answer closes the connection (every body in flight was read,
  // so the error is in what follows): HTTP says the server does not read them (RFC 9112 §9.6;
  // node calls them an error). The answers in flight go out, then the close.
  const inFlight = connection.responsesInFlight
  if (
    connection.closingBecause !== undefined &&
    inFlight.length > 0 &&
    inFlight.every((response) => response.req.complete)
  )
    return
  connection.blame('server', 'error', error)
  const pending = inFlight.some((response) => !response.writableEnded || response.socket === null)
  if (!socket.writable || pending) return void socket.destroy()
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () =>
    socket.destroy(),
  )
}
