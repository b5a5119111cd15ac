import { once } from 'node:events'
import * as http from 'node:http'
import { connect } from 'node:net'
import type { RecordedConnection, TestServer, TestServerOptions } from '../../src/index.js'

/** One GET whose body is read to the end. */
function get(url: string, agent: http.Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.resume()
        res.on('end', resolve)
        res.on('error', reject)
      })
      .on('error', reject)
  })
}

/** Resolves once connection `id` has closed. */
async function closed(server: TestServer, id: number): Promise<void> {
  const isClosed = () => server.connections.find((c) => c.id === id)?.closedAt !== undefined
  while (!isClosed()) {
    const [connection] = (await once(server, 'connectionClose')) as [RecordedConnection]
    if (connection.id === id) return
  }
}

/** A client run the pictures are drawn from: real requests over real sockets. */
export interface Scenario {
  readonly name: string
  readonly options: TestServerOptions
  run(server: TestServer): Promise<void>
}

/** Runs `work` with a keep-alive agent that is destroyed afterwards. */
async function withAgent(options: http.AgentOptions, work: (agent: http.Agent) => Promise<void>) {
  const agent = new http.Agent({ keepAlive: true, ...options })
  try {
    await work(agent)
  } finally {
    agent.destroy()
  }
}

/** The five client runs of issue 14's screenshots. */
export const scenarios: readonly Scenario[] = [
  {
    name: 'five-requests',
    options: {},
    run: (server) =>
      withAgent({}, async (agent) => {
        for (const path of ['/users', '/users/1', '/orders?page=1', '/orders?page=2', '/health'])
          await get(server.urlFor(path), agent)
      }),
  },
  {
    name: 'pool-1212',
    options: {},
    // Two pools of one socket each, used in turn: conn 1, 2, 1, 2 deterministically.
    run: (server) =>
      withAgent({ maxSockets: 1 }, (a) =>
        withAgent({ maxSockets: 1 }, async (b) => {
          for (const [agent, path] of [
            [a, '/a'],
            [b, '/b'],
            [a, '/a'],
            [b, '/b'],
          ] as const)
            await get(server.urlFor(path), agent)
        }),
      ),
  },
  {
    name: 'burst',
    options: {},
    // Six at once open six connections; the six after them reuse the pool.
    run: (server) =>
      withAgent({}, async (agent) => {
        await Promise.all([1, 2, 3, 4, 5, 6].map((i) => get(server.urlFor(`/burst/${i}`), agent)))
        for (const i of [1, 2, 3, 4, 5, 6]) await get(server.urlFor(`/next/${i}`), agent)
      }),
  },
  {
    name: 'idle-timeout',
    options: { idleTimeout: 120 },
    // Two requests, the idle timeout closes the connection, a new one carries the third; a
    // socket that sends nothing and leaves is a connection with no request.
    run: (server) =>
      withAgent({}, async (agent) => {
        await get(server.urlFor('/first'), agent)
        await get(server.urlFor('/second'), agent)
        await closed(server, 1)
        const idle = connect(server.port, '127.0.0.1')
        await once(idle, 'connect')
        idle.end()
        await closed(server, 2)
        await get(server.urlFor('/after-timeout'), agent)
      }),
  },
  {
    name: 'five-thousand',
    options: {},
    // 5,000 requests, 100 at a time through one pool: 100 connections, far more than lanes fit.
    run: (server) =>
      withAgent({ maxSockets: 100 }, async (agent) => {
        for (let batch = 0; batch < 50; batch++)
          await Promise.all(
            Array.from({ length: 100 }, (_, i) =>
              get(server.urlFor(`/item/${batch * 100 + i}`), agent),
            ),
          )
      }),
  },
]
