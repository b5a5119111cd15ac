import type { Server as HttpServer } from 'node:http'
import { createServer, type Server, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { type SecureContext, TLSSocket } from 'node:tls'
import type { Connection } from '../connection.js'

// The TCP socket under each TLS socket: a reset must go to it, since TLS sockets cannot reset.
const tcpOf = new WeakMap<Socket, Socket>()

/** The TCP socket under a test server's TLS socket, or `socket` itself in clear text. */
export const tcpSocketOf = (socket: Socket): Socket => tcpOf.get(socket) ?? socket

/** What the front hands each accepted socket to: the server's own connection bookkeeping. */
export type OnConnection = (socket: Socket) => Connection

/** A client that aborts the handshake says so with an alert, a reset or a broken pipe. */
const clientAborted = (error: NodeJS.ErrnoException): boolean =>
  error.code === 'ECONNRESET' || error.code === 'EPIPE' || /ALERT/.test(error.code ?? '')

/**
 * OpenSSL's messages run over several lines of internals; its `reason` says the same in a few
 * words. An unknown CA is the usual cause, and the one a tester can fix.
 */
function readable(error: NodeJS.ErrnoException & { reason?: string }): NodeJS.ErrnoException {
  const reason = error.reason ?? error.message.split('\n')[0] ?? ''
  const code = error.code ?? ''
  const hint = /UNKNOWN_CA|BAD_CERTIFICATE/.test(code)
    ? ' (the client does not trust the certificate: give it server.ca, see docs/tls.md)'
    : code === 'ERR_SSL_HTTP_REQUEST'
      ? ' (the client sent clear-text HTTP to this https:// server)'
      : ''
  return Object.assign(new Error(`${reason}${hint}`), { code: error.code })
}

/**
 * Records the handshake on `connection`: what TLS negotiated once it completes, or
 * `'tls-handshake-failed'` (and who gave up) when the socket ends, errs or closes before it does.
 * Its listeners are prepended after the connection's own, so they run first and their blame wins.
 */
function watchHandshake(secure: TLSSocket, connection: Connection, onSecure: () => void): void {
  const onError = (error: NodeJS.ErrnoException & { reason?: string }): void =>
    connection.blame(
      clientAborted(error) ? 'client' : 'server',
      'tls-handshake-failed',
      readable(error),
    )
  const onEnd = (): void =>
    connection.blame(
      'client',
      'tls-handshake-failed',
      new Error('the client closed the connection before the TLS handshake completed'),
    )
  secure.prependListener('error', onError)
  secure.prependListener('end', onEnd)
  secure.once('secure', () => {
    secure.off('error', onError)
    secure.off('end', onEnd)
    connection.protocol = secure.alpnProtocol === 'h2' ? 'h2' : 'http/1.1'
    connection.tls = {
      version: secure.getProtocol() ?? 'unknown',
      alpn: secure.alpnProtocol ?? false,
      resumed: secure.isSessionReused(),
    }
    onSecure()
  })
}

/**
 * The listening side of a TLS test server: a plain TCP server that numbers each connection as it
 * is accepted (so a failed handshake is still a record), wraps it in TLS itself and hands the
 * secured socket to `http`, node's HTTP/1.1 server, which never listens on its own, or, when the
 * handshake chose `h2`, to `h2`.
 */
export function tlsFront(
  http: HttpServer,
  context: SecureContext,
  onConnection: OnConnection,
  h2?: (secure: Duplex, connection: Connection) => void,
): Server {
  // Nagle off, as node:http and node:https set it on the sockets they accept (a `net` server's
  // default leaves it on): a response written in pieces is not held back for the client's ACK.
  return createServer({ noDelay: true }, (raw) => {
    const secure = new TLSSocket(raw, {
      isServer: true,
      secureContext: context,
      // A client that offers neither (node:https offers nothing) still gets HTTP/1.1.
      ALPNProtocols: h2 ? ['h2', 'http/1.1'] : ['http/1.1'],
    })
    tcpOf.set(secure, raw)
    const connection = onConnection(secure)
    watchHandshake(secure, connection, () => {
      if (h2 !== undefined && connection.protocol === 'h2') h2(secure, connection)
      else http.emit('connection', secure)
    })
  })
}
