import { once } from 'node:events'
import { Agent, get } from 'node:http'
import type { Socket } from 'node:net'
import { expect, test } from 'vitest'
import { createTestServer, type TestServer, type TestServerOptions } from '../../src/index.js'
import { activeResources, leftOver, rawConnect, settle, within } from './helpers.js'

const report = (name: string | undefined, ms: number): void => {
  if (process.env.RELIABILITY_REPORT) console.log(`close() took ${ms.toFixed(1)} ms: ${name}`)
}

// Generous: close() should take milliseconds; this only turns a hang into a failure.
const closeDeadline = 2000

/**
 * Runs `scenario` (which leaves a client in some state on a fresh server), then checks that
 * close() resolves before the deadline and that no TCP server, socket or timer is left behind.
 */
async function closesCleanly(
  scenario: (server: TestServer) => Promise<{ clients: Socket[]; cleanup?: () => void }>,
  options: TestServerOptions = {},
): Promise<void> {
  await settle()
  const before = activeResources()
  const server = await createTestServer(options)
  const { clients, cleanup } = await scenario(server)
  expect(server.openConnections.length).toBeGreaterThan(0)
  try {
    const started = performance.now()
    await within(server.close(), closeDeadline, 'server.close()')
    report(expect.getState().currentTestName, performance.now() - started)
    // The client ends close once they have seen the server's close; wait for that, bounded.
    await within(
      Promise.all(clients.map((socket) => (socket.closed ? undefined : once(socket, 'close')))),
      closeDeadline,
      'the client sockets closing',
    )
  } finally {
    cleanup?.()
    for (const socket of clients) socket.destroy()
  }
  expect(server.openConnections).toEqual([])
  expect(server.connections.every((each) => each.closeReason !== undefined)).toBe(true)
  expect(await leftOver(before)).toEqual([])
}

test('the leak check itself sees a server and a socket left open', async () => {
  await settle()
  const before = activeResources()
  const server = await createTestServer()
  const socket = await rawConnect(server)
  expect(await leftOver(before)).toEqual(['1 TCP server(s)', '2 TCP socket(s)'])
  await server.close()
  await once(socket, 'close')
  expect(await leftOver(before)).toEqual([])
})

test('close() leaves nothing behind with a request in flight whose handler never answers', async () => {
  await settle()
  const before = activeResources()
  const server = await createTestServer({ handler: () => {} })
  const agent = new Agent({ keepAlive: true })
  const request = get(server.urlFor('/stuck'), { agent })
  const failed = new Promise((resolve) => request.on('error', resolve))
  const [socket] = (await once(request, 'socket')) as [Socket]
  await once(server, 'request')
  const started = performance.now()
  await within(server.close(), closeDeadline, 'server.close()')
  report(expect.getState().currentTestName, performance.now() - started)
  expect(await within(failed, closeDeadline, 'the client seeing the close')).toBeInstanceOf(Error)
  if (!socket.closed)
    await within(once(socket, 'close'), closeDeadline, 'the client socket closing')
  agent.destroy()
  expect(server.connections[0]).toMatchObject({ closedBy: 'server', closeReason: 'server-closed' })
  expect(await leftOver(before)).toEqual([])
})

test('close() leaves nothing behind with an idle keep-alive client', async () => {
  await closesCleanly(async (server) => {
    const socket = await rawConnect(server)
    socket.write('GET /idle HTTP/1.1\r\nHost: x\r\n\r\n')
    await once(server, 'request')
    await once(socket, 'data')
    return { clients: [socket] }
  })
})

test('close() leaves nothing behind with a client that connected and sent nothing', async () => {
  await closesCleanly(async (server) => ({ clients: [await rawConnect(server)] }))
})

test('close() leaves nothing behind with a slowloris client sending a header byte every 50 ms', async () => {
  await closesCleanly(async (server) => {
    const socket = await rawConnect(server)
    const header = 'GET /slow HTTP/1.1\r\nHost: x\r\nX-Slow: '
    let sent = 0
    let dripping: () => void = () => {}
    const fourBytesOut = new Promise<void>((resolve) => {
      dripping = resolve
    })
    const drip = setInterval(() => {
      if (socket.writable) socket.write(header[sent++] ?? 'a')
      if (sent === 4) dripping()
    }, 50)
    socket.once('close', () => clearInterval(drip))
    await fourBytesOut
    return { clients: [socket], cleanup: () => clearInterval(drip) }
  })
})

test('close() leaves nothing behind with a silent, an idle, a half-sent and a stuck client at once, twice in a row', async () => {
  for (let round = 0; round < 2; round++) {
    await closesCleanly(
      async (server) => {
        const silent = await rawConnect(server)
        const idle = await rawConnect(server)
        idle.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
        await once(idle, 'data')
        const partial = await rawConnect(server)
        partial.write('GET /partial HTTP/1.1\r\nHo')
        const stuck = await rawConnect(server)
        stuck.write('GET /stuck HTTP/1.1\r\nHost: x\r\n\r\n')
        await once(server, 'request')
        return { clients: [silent, idle, partial, stuck] }
      },
      {
        handler: (req, res) => {
          if (req.url === '/') res.end('ok')
        },
      },
    )
  }
})

test('close() leaves nothing behind with 300 idle keep-alive connections', async () => {
  await closesCleanly(async (server) => {
    const clients = await Promise.all(
      Array.from({ length: 300 }, async () => {
        const socket = await rawConnect(server)
        socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
        await once(socket, 'data')
        return socket
      }),
    )
    expect(server.openConnections).toHaveLength(300)
    return { clients }
  })
})
