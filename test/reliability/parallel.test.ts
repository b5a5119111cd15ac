import { randomUUID } from 'node:crypto'
import { Agent, get } from 'node:http'
import { describe, expect, test } from 'vitest'
import { createTestServer, type TestServer } from '../../src/index.js'

// 30 tests x 10 servers = 300 servers in this file, up to 5 tests (50 servers) open at once,
// while vitest runs the other files in parallel workers.
const tests = 30
const serversPerTest = 10
const requestsPerServer = 3

function fetchText(url: string, agent: Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      res.on('end', () => resolve(body))
    }).on('error', reject)
  })
}

/** Every server of a test and the unique path that only that server should ever see. */
async function startServers(): Promise<{ server: TestServer; path: string }[]> {
  return Promise.all(
    Array.from({ length: serversPerTest }, async () => ({
      server: await createTestServer(),
      path: `/only-for-${randomUUID()}`,
    })),
  )
}

describe.concurrent('many servers in parallel', () => {
  test.for(Array.from({ length: tests }, (_, i) => i))(
    'batch %i: ten servers at once get distinct ports and each records only its own requests',
    async (_batch, { onTestFinished }) => {
      const started = await startServers()
      const agent = new Agent({ keepAlive: true })
      onTestFinished(async () => {
        agent.destroy()
        await Promise.all(started.map(({ server }) => server.close()))
      })

      const ports = started.map(({ server }) => server.port)
      expect(new Set(ports).size).toBe(serversPerTest)

      // Interleave the servers' requests so a mix-up between journals would show.
      for (let round = 0; round < requestsPerServer; round++) {
        const bodies = await Promise.all(
          started.map(({ server, path }) => fetchText(server.urlFor(`${path}?n=${round}`), agent)),
        )
        expect(bodies).toEqual(Array(serversPerTest).fill('ok'))
      }

      for (const { server, path } of started) {
        expect(server.requests.map((request) => request.url)).toEqual(
          Array.from({ length: requestsPerServer }, (_, round) => `${path}?n=${round}`),
        )
        expect(server.requests.map((request) => request.index)).toEqual([0, 1, 2])
        // One keep-alive agent, one socket per server, reused by every later request.
        expect(server.requests.map((request) => request.connectionId)).toEqual([1, 1, 1])
        expect(server.connections).toHaveLength(1)
      }
    },
  )
})

describe.concurrent('a preferred port asked for by many servers at once', () => {
  test('exactly one server gets it, the others fall back to free ports, none fails', async () => {
    // Find a free port, release it, then let 10 servers race for it.
    const probe = await createTestServer()
    const wanted = probe.port
    await probe.close()
    const servers = await Promise.all(
      Array.from({ length: 10 }, () => createTestServer({ port: [wanted] })),
    )
    try {
      const ports = servers.map((server) => server.port)
      expect(new Set(ports).size).toBe(10)
      // Another process may take the port in between; then nobody gets it, which is also fine.
      expect(ports.filter((port) => port === wanted).length).toBeLessThanOrEqual(1)
    } finally {
      await Promise.all(servers.map((server) => server.close()))
    }
  })
})
