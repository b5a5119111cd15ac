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
