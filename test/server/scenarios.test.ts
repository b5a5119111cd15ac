// The scenarios of CLIENTS.md, run with real clients against the recording server: each test
// asserts the connection that carried every request and how every connection ended.
import { once } from 'node:events'
import type { Agent } from 'node:http'
import type { Socket } from 'node:net'
import { describe, expect, onTestFinished, test } from 'vitest'
import type { TestServer } from '../../src/index.js'
import {
  allClosed,
  closed,
  closes,
  get,
  ids,
  keepAliveAgent,
  request,
  startServer,
} from './helpers.js'

interface Client {
  name: string
  /** Sends a GET and reads the body to the end. */
  get(url: string): Promise<string>
}

const globalAgent = (): Client => ({
  name: 'node:http globalAgent',
  get: async (url) => (await get(url)).body,
})
const noAgent = (): Client => ({
  name: 'node:http agent:false',
  get: async (url) => (await get(url, { agent: false })).body,
})
const agentClient = (agent: Agent): Client => ({
  name: 'node:http keepAlive agent',
  get: async (url) => (await get(url, { agent })).body,
})
const fetchClient = (): Client => ({
  name: 'fetch',
  get: async (url) => (await fetch(url)).text(),
})

async function sequential(client: Client, url: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) expect(await client.get(url)).toBe('ok')
}

describe('S1: five sequential requests', () => {
  test('node:http globalAgent sends them all over one connection', async () => {
    const server = await startServer()
    await sequential(globalAgent(), server.url, 5)
    expect(ids(server)).toEqual([1, 1, 1, 1, 1])
    expect(server.requests.map((r) => r.indexOnConnection)).toEqual([0, 1, 2, 3, 4])
    expect(server.requests.map((r) => r.reusedConnection)).toEqual([false, true, true, true, true])
    expect(server.requests.map((r) => r.connectionHeader)).toEqual(Array(5).fill('keep-alive'))
    expect(server.connections[0]?.requestCount).toBe(5)
    await server.close()
    expect(closes(server)).toEqual(['server server-closed'])
  })

  test('a keepAlive agent sends them all over one connection', async () => {
    const server = await startServer()
    await sequential(agentClient(keepAliveAgent()), server.url, 5)
    expect(ids(server)).toEqual([1, 1, 1, 1, 1])
    expect(server.requests.map((r) => r.connectionHeader)).toEqual(Array(5).fill('keep-alive'))
    await server.close()
    expect(closes(server)).toEqual(['server server-closed'])
  })

  test('agent:false opens a socket per request and says Connection: close', async () => {
    const server = await startServer()
    await sequential(noAgent(), server.url, 5)
    expect(ids(server)).toEqual([1, 2, 3, 4, 5])
    expect(server.requests.every((r) => r.indexOnConnection === 0)).toBe(true)
    expect(server.requests.map((r) => r.connectionHeader)).toEqual(Array(5).fill('close'))
    await allClosed(server)
    expect(closes(server)).toEqual(Array(5).fill('server client-asked'))
  })

  test('fetch alternates two pooled connections when requests follow back to back', async () => {
    const server = await startServer()
    await sequential(fetchClient(), server.url, 5)
    expect(ids(server)).toEqual([1, 2, 1, 2, 1])
    expect(server.requests.map((r) => r.indexOnConnection)).toEqual([0, 0, 1, 1, 2])
    expect(server.requests.map((r) => r.connectionHeader)).toEqual(Array(5).fill('keep-alive'))
    await server.close()
    expect(closes(server)).toEqual(['server server-closed', 'server server-closed'])
  })
})

describe('S2: the client switches keep-alive off', () => {
  const clients: [string, (server: TestServer) => Client][] = [
    ['node:http keepAlive agent with Connection: close', () => closingClient()],
    ['fetch with Connection: close', () => closingFetch()],
  ]

  test.each(clients)(
    '%s gets a socket per request, closed as the client asked',
    async (_, make) => {
      const server = await startServer()
      await sequential(make(server), server.url, 5)
      expect(ids(server)).toEqual([1, 2, 3, 4, 5])
      expect(server.requests.map((r) => r.connectionHeader)).toEqual(Array(5).fill('close'))
      await allClosed(server)
      expect(closes(server)).toEqual(Array(5).fill('server client-asked'))
      expect(server.connections.map((c) => c.requestCount)).toEqual([1, 1, 1, 1, 1])
    },
  )

  function closingClient(): Client {
    const agent = keepAliveAgent()
    return {
      name: 'closing agent',
      get: async (url) => (await get(url, { agent, headers: { connection: 'close' } })).body,
    }
  }

  function closingFetch(): Client {
    return {
      name: 'closing fetch',
      get: async (url) => (await fetch(url, { headers: { connection: 'close' } })).text(),
    }
  }
})

describe('S3: the server switches keep-alive off', () => {
  test.each([
    ['node:http globalAgent', globalAgent],
    ['fetch', fetchClient],
  ] as const)('%s gets a socket per request, closed by the server', async (_, make) => {
    const server = await startServer({ keepAlive: false })
    await sequential(make(), server.url, 5)
    expect(ids(server)).toEqual([1, 2, 3, 4, 5])
    expect(server.requests.map((r) => r.connectionHeader)).toEqual(Array(5).fill('keep-alive'))
    await allClosed(server)
    expect(closes(server)).toEqual(Array(5).fill('server keep-alive-disabled'))
  })

  test('every response says Connection: close', async () => {
    const server = await startServer({ keepAlive: false })
    const answer = await get(server.url)
    expect(answer.headers.connection).toBe('close')
  })
})

describe('S4: the server closes idle connections after idleTimeout', () => {
  const idleTimeout = 150

  test('node:http reuses within a burst and reconnects after each idle close', async () => {
    const server = await startServer({ idleTimeout })
    const agent = keepAliveAgent()
    for (const burst of [1, 2, 3]) {
      let last: Awaited<ReturnType<typeof get>> | undefined
      for (let i = 0; i < burst; i++) last = await get(server.url, { agent })
      const answeredAt = performance.now()
      const connection = await closed(server, burst)
      // The client must see the FIN before its next request, or it may pick the dead socket.
      if (last !== undefined && !last.socket.destroyed) await once(last.socket, 'close')
      expect(connection.closedBy).toBe('server')
      expect(connection.closeReason).toBe('idle-timeout')
      expect(connection.requestCount).toBe(burst)
      // Exact: node's own keep-alive timer would close at idleTimeout + 1000 ms.
      const closedAt = connection.closedAt ?? Number.NaN
      expect(closedAt - answeredAt).toBeLessThan(idleTimeout + 500)
      const receivedAt = server.requests.at(-1)?.receivedAt ?? Number.NaN
      expect(closedAt - receivedAt).toBeGreaterThanOrEqual(idleTimeout - 5)
    }
    expect(ids(server)).toEqual([1, 2, 2, 3, 3, 3])
    expect(closes(server)).toEqual(Array(3).fill('server idle-timeout'))
  })

  test('a connection that never sends a request is closed after idleTimeout too', async () => {
    const server = await startServer({ idleTimeout })
    const agent = keepAliveAgent()
    const socket = agent.createConnection({ port: server.port, host: '127.0.0.1' }) as Socket
    onTestFinished(() => void socket.destroy())
    const connection = await closed(server, 1)
    const lifetime = (connection.closedAt ?? Number.NaN) - connection.openedAt
    expect(lifetime).toBeGreaterThanOrEqual(idleTimeout - 5)
    expect(lifetime).toBeLessThan(idleTimeout + 500)
    expect(`${connection.closedBy} ${connection.closeReason}`).toBe('server idle-timeout')
  })

  test('a request answered after more than idleTimeout is not cut off; the clock starts after it', async () => {
    const server = await startServer({ idleTimeout: 50, fault: () => ({ delay: 150 }) })
    const answer = await get(server.url, { agent: keepAliveAgent() })
    const answeredAt = performance.now()
    expect(answer.body).toBe('ok')
    const connection = await closed(server, 1)
    expect(`${connection.closedBy} ${connection.closeReason}`).toBe('server idle-timeout')
    expect((connection.closedAt ?? Number.NaN) - answeredAt).toBeGreaterThanOrEqual(45)
  })

  test('idleTimeout 0 never closes an idle connection', async () => {
    const server = await startServer({ idleTimeout: 0 })
    const answer = await get(server.url, { agent: keepAliveAgent() })
    expect(answer.socket.destroyed).toBe(false)
    expect(server.openConnections).toHaveLength(1)
    await server.closeIdleConnections()
    expect(closes(server)).toEqual(['server server-closed'])
  })
})

describe('S5: one client, two servers', () => {
  test.each([
    ['node:http globalAgent', globalAgent, [1, 1, 1], [1, 1, 1]],
    ['node:http agent:false', noAgent, [1, 2, 3], [1, 2, 3]],
    ['fetch', fetchClient, [1, 1, 1], [1, 1, 1]],
  ] as const)('%s keeps one pool per server', async (_, make, onA, onB) => {
    const a = await startServer()
    const b = await startServer()
    const client = make()
    for (let i = 0; i < 3; i++) {
      expect(await client.get(a.url)).toBe('ok')
      expect(await client.get(b.url)).toBe('ok')
    }
    expect(ids(a)).toEqual(onA)
    expect(ids(b)).toEqual(onB)
    await Promise.all([a.close(), b.close()])
    const expected =
      onA.at(-1) === 1 ? ['server server-closed'] : Array(3).fill('server client-asked')
    expect(closes(a)).toEqual(expected)
    expect(closes(b)).toEqual(expected)
  })
})

describe('S6: a response body that is never read', () => {
  const bigBody = 'x'.repeat(256 * 1024)

  test('node:http keeps the socket busy, so the next request opens a new connection', async () => {
    const server = await startServer({
      handler: (_req, res) => void res.writeHead(200).end(bigBody),
    })
    const agent = keepAliveAgent()
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => {
        // Headers arrive, the body is never read: the socket stays busy with it.
        request(server.url, { agent }, () => resolve())
          .on('error', reject)
          .end()
      })
    }
    expect(ids(server)).toEqual([1, 2, 3])
    expect(server.openConnections).toHaveLength(3)
    // Closing the server is what ends these sockets; nothing hangs.
    await server.close()
    expect(closes(server)).toEqual(Array(3).fill('server server-closed'))
  })

  test('fetch does the same when the body is never consumed', async () => {
    const server = await startServer({
      handler: (_req, res) => void res.writeHead(200).end(bigBody),
    })
    for (let i = 0; i < 3; i++) expect((await fetch(server.url)).status).toBe(200)
    expect(ids(server)).toEqual([1, 2, 3])
    await server.close()
    expect(closes(server)).toEqual(Array(3).fill('server server-closed'))
  })
})

describe('S7: five concurrent requests, then five sequential', () => {
  test('node:http globalAgent opens five connections, then reuses the newest', async () => {
    const server = await startServer()
    const client = globalAgent()
    await Promise.all(Array.from({ length: 5 }, () => client.get(server.url)))
    await sequential(client, server.url, 5)
    expect(new Set(ids(server).slice(0, 5))).toEqual(new Set([1, 2, 3, 4, 5]))
    expect(ids(server).slice(5)).toEqual([5, 5, 5, 5, 5])
    expect(server.requests.slice(5).every((r) => r.reusedConnection)).toBe(true)
    await server.close()
    expect(closes(server)).toEqual(Array(5).fill('server server-closed'))
  })

  test('fetch opens five connections, then alternates two of them', async () => {
    const server = await startServer()
    const client = fetchClient()
    await Promise.all(Array.from({ length: 5 }, () => client.get(server.url)))
    await sequential(client, server.url, 5)
    expect(new Set(ids(server).slice(0, 5))).toEqual(new Set([1, 2, 3, 4, 5]))
    expect(server.requests.slice(5).every((r) => r.reusedConnection)).toBe(true)
    expect(new Set(ids(server).slice(5)).size).toBeLessThanOrEqual(2)
    await server.close()
    expect(closes(server)).toEqual(Array(5).fill('server server-closed'))
  })
})
