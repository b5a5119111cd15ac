import diagnostics from 'node:diagnostics_channel'
import type { Socket } from 'node:net'
import { fileURLToPath } from 'node:url'

/**
 * Which code in this process opened each client socket: node publishes `net.client.socket`
 * synchronously inside `connect()`, with the caller's frames still on the stack, for node:http
 * agents, fetch and undici alike. A test server's connection is joined to its client socket by
 * the pair of ports, which is unique while both ends are open.
 */

/** keepalive-kit's own folder: frames in it are never the user's code. */
const ownFolder = fileURLToPath(new URL('.', import.meta.url))
/** Frames deep enough to reach the user's code under fetch, which is about 30 frames down, with room to spare. */
const depth = 40

/**
 * What was recorded as a client socket of this process connected: the code that opened it, read
 * from the stack only when asked (capturing the frames costs about 30 µs, formatting them, with
 * source maps under vitest, several times that), and the tests running at that moment.
 */
export interface Opener {
  readonly frame: () => string | undefined
  /** The full names of the tests running when it connected, as the vitest setup file tells. */
  readonly tests: readonly string[]
}

/** The tests running now; the vitest setup file replaces it (the core never imports vitest). */
let runningTests: () => readonly string[] = () => []

/** Tells which tests are running, so a connection no user frame opened can name its test. */
export function tellRunningTests(source: () => readonly string[]): void {
  runningTests = source
}

/** Client sockets that connected before their server connection was seen, by ports. */
const known = new Map<string, Opener>()
/** Server connections waiting for their client socket to connect, by ports. */
const waiting = new Map<string, (opener: Opener) => void>()
let watching = false

const key = (clientPort: number | undefined, serverPort: number | undefined) =>
  `${clientPort}>${serverPort}`

/** `at name (file:line:col)` or `at file:line:col`, either after `async `, as V8 prints a frame. */
const framePattern = /^\s*at (?:async )?(?:(.+?) \()?(.+?):(\d+):\d+\)?$/

/** The first frame of the user's code: not node's, not a dependency's, not ours. */
export function userFrame(stack: string, cwd = process.cwd()): string | undefined {
  let location: string | undefined
  for (const line of stack.split('\n').slice(1)) {
    const match = framePattern.exec(line)
    if (match === null) continue
    const [, name, where = '', lineNumber] = match
    const file = where.startsWith('file://') ? fileURLToPath(where) : where
    if (
      file.startsWith('node:') ||
      file.includes('/node_modules/') ||
      file.startsWith(ownFolder) ||
      !file.includes('/')
    )
      continue
    const shown = file.startsWith(`${cwd}/`) ? file.slice(cwd.length + 1) : file
    location ??= `${shown}:${lineNumber}`
    // The frame that opened the socket is often an anonymous callback; name its caller.
    const named = name?.replace(/^(Object|Module)\./, '')
    if (named && named !== '<anonymous>' && !named.startsWith('new '))
      return `${named} (${location})`
  }
  return location
}

function onClientSocket(message: unknown): void {
  const socket = (message as { socket?: Socket } | undefined)?.socket
  if (typeof socket?.once !== 'function') return
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = depth
  const trace = new Error()
  Error.stackTraceLimit = limit
  let read: { frame: string | undefined } | undefined
  const openedBy: Opener = {
    frame: () => {
      read ??= { frame: userFrame(trace.stack ?? '') }
      return read.frame
    },
    tests: runningTests(),
  }
  socket.once('connect', () => {
    const ports = key(socket.localPort, socket.remotePort)
    const claim = waiting.get(ports)
    if (claim !== undefined) {
      waiting.delete(ports)
      return claim(openedBy)
    }
    known.set(ports, openedBy)
    socket.once('close', () => {
      if (known.get(ports) === openedBy) known.delete(ports)
    })
  })
}

/**
 * Starts watching the client sockets of this process; idempotent, harmless without the channel.
 * `KEEPALIVE_KIT_OPENERS=off` in the environment turns it off (docs/evidence.md).
 */
export function watchClientSockets(): void {
  if (watching || process.env.KEEPALIVE_KIT_OPENERS === 'off') return
  try {
    diagnostics.subscribe('net.client.socket', onClientSocket)
    watching = true
  } catch {
    // A runtime without the channel: nothing is recorded, nothing breaks.
  }
}

/** Stops watching (the benchmark compares new connections with and without it). */
export function unwatchClientSockets(): void {
  if (!watching) return
  diagnostics.unsubscribe('net.client.socket', onClientSocket)
  watching = false
}

/**
 * Calls `found` with what opened the client end of a server connection, now or once
 * the client socket connects. Returns a function that stops waiting (call it when the server
 * connection closes).
 */
export function claimOpener(
  clientPort: number | undefined,
  serverPort: number | undefined,
  found: (opener: Opener) => void,
): () => void {
  const ports = key(clientPort, serverPort)
  const opener = known.get(ports)
  if (opener !== undefined) {
    known.delete(ports)
    found(opener)
    return () => {}
  }
  if (!watching) return () => {}
  waiting.set(ports, found)
  return () => {
    if (waiting.get(ports) === found) waiting.delete(ports)
  }
}

/**
 * Who opened a connection, saying where that was read from so the text claims no more than was
 * recorded: the user's frame, else the request that first used it (`firstUse`), else the test
 * that was running. `undefined` for a client in another process (its socket was never seen here).
 */
export function openerNote(
  opener: Opener | undefined,
  firstUse: string | undefined,
  requestCount: number,
): string | undefined {
  if (opener === undefined) return undefined
  const frame = opener.frame()
  if (frame !== undefined) return `opened by ${frame}`
  const why = 'no code of yours was on the stack when it connected'
  if (firstUse !== undefined) return `first used by ${firstUse} (${why})`
  const { tests } = opener
  if (tests.length === 0) return undefined
  const during =
    tests.length === 1
      ? `test "${tests[0]}" ran`
      : `${tests.length} tests ran: ${tests.map((name) => `"${name}"`).join(', ')}`
  return `opened while ${during} (${why}${requestCount === 0 ? ', and it carried no request' : ''})`
}
