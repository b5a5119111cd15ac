import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer, type Http2ServerRequest, type Http2Session } from 'node:http2'
import type { Duplex } from 'node:stream'
import type { Connection } from '../connection.js'

/** How many streams a client may open at once on one session; announced in SETTINGS. */
const maxConcurrentStreams = 100

const connectionOf = new WeakMap<Http2Session, Connection>()

/** A request as the handler sees it: node's HTTP/1.1 objects, or the HTTP/2 compatibility ones. */
type AnyRequest = IncomingMessage | Http2ServerRequest

/**
 * The record of the HTTP/2 connection that carried `req`, or `undefined` for an HTTP/1.1 request.
 */
export const h2ConnectionOf = (req: AnyRequest): Connection | undefined =>
  'stream' in req ? connectionOf.get(req.stream.session as Http2Session) : undefined

/** The stream id of an HTTP/2 request, `undefined` on HTTP/1.1. */
export const streamIdOf = (req: AnyRequest): number | undefined =>
  'stream' in req ? req.stream.id : undefined

/**
 * Ends the session of an HTTP/2 request once its response is sent: GOAWAY, then the TCP
 * connection fully closed once the streams in flight are done (`keepAlive: false`, max requests).
 *
 * `blame` records the server's reason first, before the client can answer the GOAWAY by closing.
 */
export function closeSessionAfter(req: Http2ServerRequest, blame: () => void): void {
  const session = req.stream.session
  req.stream.once('close', () => {
    blame()
    session?.close()
  })
}

/**
 * The HTTP/2 side of a test server: node's HTTP/2 server, which never listens, fed the TLS
 * sockets whose handshake chose `h2` and the clear-text ones that opened with the h2c preface. It announces `SETTINGS_MAX_CONCURRENT_STREAMS` (node does
 * not unless told, and clients such as httpx then send one stream at a time).
 */
export function h2Engine(
  onRequest: (req: IncomingMessage, res: ServerResponse) => void,
): (socket: Duplex, connection: Connection) => void {
  const server = createServer(
    { settings: { maxConcurrentStreams } },
    onRequest as unknown as (req: Http2ServerRequest) => void,
  )
  // A session's errors end its socket, which the connection's record already reports.
  server.on('sessionError', () => {})
  let pending: Connection | undefined
  server.on('session', (session) => {
    if (pending === undefined) return
    connectionOf.set(session, pending)
    // The idle timeout and the close methods: a final GOAWAY, then the socket, at once.
    pending.endSession = () => session.destroy()
  })
  return (socket, connection) => {
    // A server-side TLS socket we made ourselves still says it is connecting (tls.Server clears
    // it before 'secureConnection'); an HTTP/2 session would wait for a connect that never comes.
    if ('secureConnecting' in socket) socket.secureConnecting = false
    pending = connection
    server.emit('connection', socket)
    pending = undefined
  }
}
