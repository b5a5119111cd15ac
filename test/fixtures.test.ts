import { once } from 'node:events'
import { connect } from 'node:net'
import { describe, expect, onTestFinished } from 'vitest'
import { test } from '../src/fixtures.js'
import type { TestServer } from '../src/index.js'

/** Whether anything still accepts TCP connections on the port. */
async function accepts(port: number): Promise<boolean> {
  const socket = connect(port, '127.0.0.1')
  try {
    await once(socket, 'connect')
    return true
  } catch {
    return false
  } finally {
    socket.destroy()
  }
}

/** Sends one request on a kept-alive socket and leaves the socket open. */
async function keepOneOpen(server: TestServer): Promise<void> {
  const res = await fetch(server.url)
  await res.text()
}

describe('server', () => {
  test('is a fresh server that has recorded nothing', ({ server }) => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.requests).toEqual([])
  })

  let failed: TestServer | undefined

  test.fails('is closed after a test that fails', async ({ server }) => {
    failed = server
    await keepOneOpen(server)
    expect(server).toHaveOpenConnections(1)
    throw new Error('this test fails on purpose')
  })

  test('…so the failed test left no listener and no open connection behind', async () => {
    if (failed === undefined) throw new Error('the failing test did not run first')
    expect(failed).toHaveOpenConnections(0)
    expect(failed.connections[0]?.closeReason).toBe('server-closed')
    expect(await accepts(failed.port)).toBe(false)
  })
})

describe('createServer', () => {
  let started: TestServer[] = []

  test('starts configured servers, each its own', async ({ createServer, server }) => {
    const strict = await createServer({ keepAlive: false })
    const plain = await createServer()
    started = [strict, plain, server]
    expect(new Set(started.map((s) => s.port)).size).toBe(3)
    await keepOneOpen(strict)
    await keepOneOpen(strict)
    expect(strict).toOpenNewSocketPerRequest()
  })

  test('…and closes every one after the test', async () => {
    expect(started).toHaveLength(3)
    for (const server of started) expect(await accepts(server.port)).toBe(false)
  })
})

describe('createServer({ tls: true })', () => {
  let secure: TestServer | undefined

  test('starts an HTTPS server that a keep-alive agent trusting server.ca reuses', async ({
    createServer,
  }) => {
    const { Agent, get } = await import('node:https')
    secure = await createServer({ tls: true })
    expect(secure.url).toMatch(/^https:\/\//)
    const agent = new Agent({ keepAlive: true, ca: secure.ca })
    onTestFinished(() => agent.destroy())
    for (let i = 0; i < 2; i++)
      await new Promise((resolve, reject) =>
        get(secure?.url ?? '', { agent }, (res) => res.resume().on('end', resolve)).on(
          'error',
          reject,
        ),
      )
    expect(secure).toReuseConnection({ protocol: 'http/1.1', maxConnections: 1 })
  })

  test('…and closes it after the test', async () => {
    if (secure === undefined) throw new Error('the TLS test did not run first')
    expect(secure).toHaveOpenConnections(0)
    expect(await accepts(secure.port)).toBe(false)
  })
})

describe.concurrent('in concurrent tests', () => {
  // Each test waits until both have their server, so they must run at the same time; no sleep.
  const servers: TestServer[] = []
  let bothStarted: () => void = () => {}
  const started = new Promise<void>((resolve) => {
    bothStarted = resolve
  })
  const arrive = async (server: TestServer): Promise<void> => {
    servers.push(server)
    if (servers.length === 2) bothStarted()
    await started
  }

  for (const name of ['first', 'second'])
    test(`gives the ${name} test a server of its own`, async ({ server, expect }) => {
      await arrive(server)
      await keepOneOpen(server)
      expect(servers[0]).not.toBe(servers[1])
      expect(server.requests).toHaveLength(1)
      expect(server).toUseConnections(1)
    })
})
