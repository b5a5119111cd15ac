import { once } from 'node:events'
import { Agent, get } from 'node:http'
import { describe, expect, onTestFinished } from 'vitest'
import { test } from '../src/fixtures.js'
import { awaitBurst, InvalidOptionError } from '../src/index.js'

/** Sends one GET and resolves once its body is read. */
const fetchOne = (url: string, agent: Agent): Promise<void> =>
  new Promise((resolve, reject) => {
    get(url, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject)
  })

describe('awaitBurst', () => {
  test('answers none of the first n requests until n are in flight, then all', async ({
    createServer,
  }) => {
    const server = await createServer({ handler: awaitBurst(3) })
    const agent = new Agent({ keepAlive: true })
    onTestFinished(() => agent.destroy())
    const first = fetchOne(server.url, agent)
    const second = fetchOne(server.url, agent)
    while (server.requests.length < 2) await once(server, 'request')
    expect(server.requests.map((request) => request.respondedAt)).toEqual([undefined, undefined])
    await Promise.all([first, second, fetchOne(server.url, agent)])
    expect(server.requests.every((request) => request.respondedAt !== undefined)).toBe(true)
    // Later requests are answered at once, on the burst's connections.
    await fetchOne(server.url, agent)
    expect(server.requests[3]?.connectionId).toBeLessThanOrEqual(3)
    expect(server).toReuseConnection()
  })

  test('answers the held requests after timeout ms when the burst never fills', async ({
    createServer,
  }) => {
    const server = await createServer({ handler: awaitBurst(5, undefined, { timeout: 50 }) })
    const agent = new Agent({ keepAlive: true })
    onTestFinished(() => agent.destroy())
    const held: (number | undefined)[] = []
    server.on('request', (request) => held.push(request.respondedAt))
    await fetchOne(server.url, agent)
    await fetchOne(server.url, agent)
    expect(server.requests).toHaveLength(2)
    // The first was held, then answered once the timeout let it go; the burst is over after it.
    expect(held[0]).toBeUndefined()
    const [first] = server.requests
    expect((first?.respondedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(45)
  })

  test('wraps the handler it is given', async ({ createServer }) => {
    const server = await createServer({
      handler: awaitBurst(1, (_req, res) => res.writeHead(201).end('made')),
    })
    const response = await fetch(server.url)
    expect([response.status, await response.text()]).toEqual([201, 'made'])
  })

  test('rejects a size that is not a whole number of at least 1', () => {
    expect(() => awaitBurst(0)).toThrowErrorMatchingInlineSnapshot(
      `[InvalidOptionError: keepalive-kit: awaitBurst(size): size must be a whole number of at least 1, the number of requests your client sends at once. Received 0.]`,
    )
    expect(() => awaitBurst(2, undefined, { timeout: -1 })).toThrow(InvalidOptionError)
  })
})
