// A user's listener on the server's events that throws (a failing expect()) must not break the
// server's own bookkeeping: the request is answered, connections close, close() resolves.
import { once } from 'node:events'
import { describe, expect, test } from 'vitest'
import type { TestServer } from '../../src/index.js'
import { get, rawSocket, startServer, uncaught } from './helpers.js'

/** `promise`, or a rejection naming `what` after 5 s: a hang guard, cleared either way. */
async function settles<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} hung`)), 5000)
  })
  try {
    return await Promise.race([promise, deadline])
  } finally {
    clearTimeout(timer)
  }
}

const boom = (): never => {
  throw new Error('boom from a listener')
}

/** Resolves once the uncaught error has arrived (it is re-thrown on a later tick). */
async function surfaced(caught: Error[]): Promise<string[]> {
  while (caught.length === 0) await new Promise(setImmediate)
  return caught.map((error) => error.message)
}

async function openIdleConnection(server: TestServer): Promise<void> {
  const socket = await rawSocket(server)
  socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
  await once(socket, 'data')
}

describe('a listener that throws', () => {
  // Regression: close() never resolved when a 'connectionClose' listener threw.
  test("on 'connectionClose': close() still resolves and the error surfaces as uncaught", async () => {
    const caught = uncaught()
    const server = await startServer()
    await openIdleConnection(server)
    server.on('connectionClose', boom)
    await settles(server.close(), 'close()')
    expect(server.openConnections).toEqual([])
    expect(await surfaced(caught)).toEqual(['boom from a listener'])
  })

  // Regression: closeIdleConnections() never resolved when a 'connectionClose' listener threw.
  test("on 'connectionClose': closeIdleConnections() and closeClientConnections() still resolve", async () => {
    const caught = uncaught()
    const server = await startServer()
    server.on('connectionClose', boom)
    await openIdleConnection(server)
    await settles(server.closeIdleConnections(), 'closeIdleConnections()')
    await openIdleConnection(server)
    await settles(server.closeClientConnections(), 'closeClientConnections()')
    expect(server.openConnections).toEqual([])
    expect(await surfaced(caught)).toContain('boom from a listener')
  })

  // Regression: a 'request' listener that threw left the request unanswered.
  test("on 'request': the request is still answered, and its connection idles out", async () => {
    const caught = uncaught()
    const server = await startServer({ idleTimeout: 50 })
    server.on('request', boom)
    expect((await settles(get(server.url, { agent: false }), 'the request')).body).toBe('ok')
    const [closed] = await once(server, 'connectionClose')
    expect(closed).toMatchObject({ requestCount: 1 })
    expect(await surfaced(caught)).toEqual(['boom from a listener'])
  })

  test("on 'connection': the connection is recorded, answered and closed", async () => {
    const caught = uncaught()
    const server = await startServer()
    server.on('connection', boom)
    expect((await settles(get(server.url, { agent: false }), 'the request')).body).toBe('ok')
    await settles(server.close(), 'close()')
    expect(server.connections.map((c) => c.closedBy)).toEqual(['server'])
    expect(await surfaced(caught)).toEqual(['boom from a listener'])
  })
})
