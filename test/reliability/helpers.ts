import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import type { RecordedConnection, TestServer } from '../../src/index.js'

/** Every reason a connection may be recorded with: anything else is a bug. */
export const closeReasons = new Set([
  'client-closed',
  'client-reset',
  'idle-timeout',
  'keep-alive-disabled',
  'max-requests',
  'client-asked',
  'server-closed',
  'error',
])

/**
 * Resolves with `promise`, or rejects once `ms` have passed. A hang guard, not a timing
 * assertion: the timer is cleared as soon as the promise settles so nothing is left behind.
 */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, deadline])
  } finally {
    clearTimeout(timer)
  }
}

// By server: the callers waiting for the record of the connection from a client port, and the
// one 'connection' listener that calls them (one per server, however many connect at once).
const waiting = new WeakMap<TestServer, Map<number, () => void>>()

/** Resolves once the server has recorded the connection from client port `port`. */
function recorded(server: TestServer, port: number): Promise<void> {
  if (server.connections.some((connection) => connection.remotePort === port))
    return Promise.resolve()
  let byPort = waiting.get(server)
  if (byPort === undefined) {
    const ports = new Map<number, () => void>()
    server.on('connection', (connection) => {
      ports.get(connection.remotePort)?.()
      ports.delete(connection.remotePort)
    })
    waiting.set(server, ports)
    byPort = ports
  }
  const ports = byPort
  return new Promise((resolve) => ports.set(port, resolve))
}

/** Opens a raw TCP connection to the server; its 'connection' record exists once this resolves. */
export async function rawConnect(server: TestServer): Promise<Socket> {
  const socket = connect(server.port, '127.0.0.1')
  // The server may reset the socket under us; what the server recorded is the subject here.
  socket.on('error', () => {})
  await once(socket, 'connect')
  // Its own record: a `once(server, 'connection')` per call resolved every caller waiting in
  // parallel at the first connection, and 300 of them made node warn of a listener leak.
  await recorded(server, socket.localPort as number)
  return socket
}

/** Everything the server sent on `socket` until it closed. */
function collect(socket: Socket): Promise<string> {
  const chunks: Buffer[] = []
  socket.on('data', (chunk: Buffer) => chunks.push(chunk))
  return new Promise((resolve) =>
    socket.once('close', () => resolve(Buffer.concat(chunks).toString('latin1'))),
  )
}

export interface RawExchange {
  /** The server's record of this connection, closed. */
  connection: RecordedConnection
  /** Every byte the server sent, as latin1 text. */
  received: string
}

/**
 * Sends `bytes` on a new raw connection (optionally half-closing after them) and waits, bounded,
 * until the server has recorded the connection as closed.
 */
export async function exchange(
  server: TestServer,
  bytes: string | Uint8Array,
  { end = false, ms = 5000 }: { end?: boolean; ms?: number } = {},
): Promise<RawExchange> {
  const socket = await rawConnect(server)
  const connection = server.connections.at(-1) as RecordedConnection
  const received = collect(socket)
  const closed = closedRecord(server, connection)
  socket.write(bytes)
  if (end) socket.end()
  try {
    // Both ends: the client's close comes after it has read every byte the server sent.
    const [, text] = await within(
      Promise.all([closed, received]),
      ms,
      `the close of connection ${connection.id}`,
    )
    return { connection, received: text }
  } finally {
    socket.destroy()
  }
}

/** Resolves once the server has recorded `connection` as closed. */
function closedRecord(server: TestServer, connection: RecordedConnection): Promise<void> {
  if (connection.closedAt !== undefined) return Promise.resolve()
  return new Promise((resolve) => {
    const onClose = (closed: RecordedConnection): void => {
      if (closed !== connection) return
      server.off('connectionClose', onClose)
      resolve()
    }
    server.on('connectionClose', onClose)
  })
}

/** How many TCP servers, TCP sockets and (ref'd) timers this process holds right now. */
export function activeResources(): { servers: number; sockets: number; timers: number } {
  const info = process.getActiveResourcesInfo()
  const count = (name: string): number => info.filter((each) => each === name).length
  return {
    servers: count('TCPServerWrap'),
    sockets: count('TCPSocketWrap'),
    timers: count('Timeout'),
  }
}

/**
 * Waits until handles already closed have left the event loop: libuv runs close callbacks in
 * its own phase after setImmediate's, so two turns are enough. An event-loop step, not a sleep.
 */
export async function settle(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve))
}

/**
 * Asserts that nothing is left over since `before`: no more TCP servers or sockets, and no more
 * ref'd timers (the runner's own timers come and go, so fewer is fine).
 */
export async function leftOver(before: ReturnType<typeof activeResources>): Promise<string[]> {
  await settle()
  const after = activeResources()
  const problems: string[] = []
  if (after.servers > before.servers)
    problems.push(`${after.servers - before.servers} TCP server(s)`)
  if (after.sockets > before.sockets)
    problems.push(`${after.sockets - before.sockets} TCP socket(s)`)
  if (after.timers > before.timers) problems.push(`${after.timers - before.timers} timer(s)`)
  return problems
}
