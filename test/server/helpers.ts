import { once } from 'node:events'
import * as http from 'node:http'
import * as https from 'node:https'
import { connect, type Socket } from 'node:net'
import { connect as connectTls } from 'node:tls'
import { onTestFinished } from 'vitest'
import {
  createTestServer,
  type RecordedConnection,
  type TestServer,
  type TestServerOptions,
} from '../../src/index.js'

/**
 * Whether this run's servers speak TLS. vitest.config.ts runs the server scenarios twice, as
 * Go's httptest tests run over a table of constructors: once in clear text, once with
 * `tls: true` (project `tls`, whose setup makes the process trust the test CA).
 */
export const overTls = process.env.KEEPALIVE_TEST_TLS === '1'

/** A test server closed when the test finishes, whatever its outcome. */
export async function startServer(options?: TestServerOptions): Promise<TestServer> {
  const server = await createTestServer(overTls ? { tls: true, ...options } : options)
  // The table's point: a run meant to be over TLS that quietly is not would prove nothing.
  if (overTls && !server.url.startsWith('https://')) throw new Error(`not over TLS: ${server.url}`)
  onTestFinished(() => server.close())
  return server
}

/** What a node:http request saw: status, headers, body and the client's socket. */
export interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
  socket: Socket
}

/** One node:http GET whose body is read to the end. */
export function get(url: string, options: http.RequestOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = (url.startsWith('https:') ? https : http).get(url, options, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      res.on('error', reject)
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          socket: req.socket as Socket,
        }),
      )
    })
    req.on('error', reject)
  })
}

/** node:http's or node:https's `request()`, as the URL's scheme says. */
export const request = (
  url: string,
  options: http.RequestOptions,
  callback?: (res: http.IncomingMessage) => void,
): http.ClientRequest =>
  url.startsWith('https:')
    ? https.request(url, options, callback)
    : http.request(url, options, callback)

/** A keep-alive agent (node:https's over TLS) destroyed when the test finishes. */
export function keepAliveAgent(options: http.AgentOptions = {}): http.Agent {
  const agent = overTls
    ? new https.Agent({ keepAlive: true, ...options })
    : new http.Agent({ keepAlive: true, ...options })
  onTestFinished(() => agent.destroy())
  return agent
}

/** The client connection ids of the requests, in order. */
export const ids = (server: TestServer): number[] =>
  server.requests.map((request) => request.connectionId)

/** Who closed each connection and why, in opening order. */
export const closes = (server: TestServer): string[] =>
  server.connections.map((connection) => `${connection.closedBy} ${connection.closeReason}`)

/**
 * Resolves once connection `id` has closed (at once if it already has). Waits on the server's
 * 'connectionClose' event; the test timeout bounds the wait.
 */
export async function closed(server: TestServer, id: number): Promise<RecordedConnection> {
  for (;;) {
    const known = server.connections.find((connection) => connection.id === id)
    if (known?.closedAt !== undefined) return known
    const [connection] = (await once(server, 'connectionClose')) as [RecordedConnection]
    if (connection.id === id) return connection
  }
}

/** Resolves once every connection the server recorded has closed. */
export async function allClosed(server: TestServer): Promise<void> {
  for (const connection of server.connections) await closed(server, connection.id)
}

/** A raw TCP socket to the server (a TLS one over TLS), destroyed when the test finishes. */
export async function rawSocket(server: TestServer): Promise<Socket> {
  const socket =
    server.ca === undefined
      ? connect(server.port, '127.0.0.1')
      : connectTls({ port: server.port, host: '127.0.0.1', ca: server.ca, servername: 'localhost' })
  onTestFinished(() => void socket.destroy())
  await once(socket, server.ca === undefined ? 'connect' : 'secureConnect')
  return socket
}

/** Everything a raw socket receives until the server closes it. */
export async function readAll(socket: Socket): Promise<string> {
  let text = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    text += chunk
  })
  await once(socket, 'close')
  return text
}

/** The error a promise rejected with (fails the test if it resolved). */
export async function rejection(promise: Promise<unknown>): Promise<NodeJS.ErrnoException> {
  try {
    await promise
  } catch (error) {
    return error as NodeJS.ErrnoException
  }
  throw new Error('expected the promise to reject, it resolved')
}

/** Resolves once the server has recorded `count` connections (they may arrive before we ask). */
export async function connected(server: TestServer, count: number): Promise<void> {
  while (server.connections.length < count) await once(server, 'connection')
}

/**
 * Collects the uncaught exceptions of this test. Vitest leaves an exception to a listener the
 * test adds itself, so a thrown listener's error is checked here instead of failing the run.
 */
export function uncaught(): Error[] {
  const caught: Error[] = []
  const collect = (error: Error): void => void caught.push(error)
  process.on('uncaughtException', collect)
  onTestFinished(() => void process.off('uncaughtException', collect))
  return caught
}
