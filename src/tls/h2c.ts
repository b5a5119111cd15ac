import type { Server as HttpServer } from 'node:http'
import { createServer, type Server, type Socket } from 'node:net'
import { Duplex } from 'node:stream'
import type { Connection } from '../connection.js'
import type { OnConnection } from './front.js'

/** What every HTTP/2 client sends first when it speaks h2c by prior knowledge (RFC 9113 §3.4). */
const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1')

/**
 * The socket as a plain stream. Node's HTTP/2 session reads a real socket's handle directly and
 * would miss the bytes we read to tell the protocol; through a stream it reads them too.
 */
function asStream(raw: Socket): Duplex {
  const stream = new Duplex({
    read: () => void raw.resume(),
    write: (chunk, encoding, callback) => void raw.write(chunk, encoding, callback),
    final: (callback) => void raw.end(callback),
    destroy: (error, callback) => {
      raw.destroy()
      callback(error)
    },
  })
  raw.on('data', (chunk: Buffer) => {
    if (!stream.push(chunk)) raw.pause()
  })
  raw.on('end', () => stream.push(null))
  raw.on('close', () => stream.destroy())
  return stream
}

/**
 * The listening side of a clear-text server that speaks both HTTP/1.1 and h2c: it numbers each
 * connection on accept, reads until the first bytes tell whether they are the HTTP/2 preface,
 * puts them back, and hands the socket to node's HTTP/1.1 server or to `h2`.
 */
export function h2cFront(
  http: HttpServer,
  onConnection: OnConnection,
  h2: (socket: Duplex, connection: Connection) => void,
): Server {
  // Nagle off, as node:http and node:https set it on the sockets they accept (a `net` server's
  // default leaves it on): a response written in pieces is not held back for the client's ACK.
  return createServer({ noDelay: true }, (raw) => {
    const connection = onConnection(raw)
    let seen = Buffer.alloc(0)
    const onData = (chunk: Buffer): void => {
      seen = Buffer.concat([seen, chunk])
      const length = Math.min(seen.length, preface.length)
      const isH2 = seen.subarray(0, length).equals(preface.subarray(0, length))
      if (isH2 && seen.length < preface.length) return
      raw.off('data', onData)
      raw.pause()
      raw.unshift(seen)
      if (isH2) {
        connection.protocol = 'h2'
        h2(asStream(raw), connection)
      } else http.emit('connection', raw)
      raw.resume()
    }
    raw.on('data', onData)
  })
}
