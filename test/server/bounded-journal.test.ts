// journal: { keepLast: n } and journal: 'counts', for long load runs: connection records stay
// whole, verdicts judge what was kept and say what was not.
import { describe, expect, test } from 'vitest'
import { MatcherUsageError } from '../../src/errors.js'
import {
  opensNewSocketPerRequest,
  reusesConnection,
  usesAtMostConnections,
  usesConnections,
} from '../../src/index.js'
import { columnsOf } from '../../src/verdicts/columns.js'
import { failureOf } from '../matchers/clients.js'
import { get, keepAliveAgent, startServer } from './helpers.js'

async function keepAliveInTurn(url: string, n: number): Promise<void> {
  const agent = keepAliveAgent()
  for (let i = 0; i < n; i++) await get(url, { agent })
  agent.destroy()
}

async function newSocketEach(url: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await get(url, { agent: false })
}

describe('journal: { keepLast }', () => {
  test('keeps the last n requests in order, and every connection record', async () => {
    const server = await startServer({ journal: { keepLast: 3 } })
    await newSocketEach(server.url, 5)
    expect(server.requests.map((request) => request.index)).toEqual([2, 3, 4])
    expect(server.requests.map((request) => request.connectionId)).toEqual([3, 4, 5])
    expect(server.connections.map((connection) => connection.requestCount)).toEqual([1, 1, 1, 1, 1])
    expect(server.requests[0]?.respondedAt).toBeGreaterThan(0)
  })

  test('hands the verdicts the columns of the requests kept, in order, after the ring wrapped', async () => {
    const server = await startServer({ journal: { keepLast: 3 } })
    const agent = keepAliveAgent()
    for (let i = 0; i < 7; i++)
      await get(server.url, { agent, headers: i === 5 ? { connection: 'close' } : {} })
    agent.destroy()
    const own = columnsOf(server.requests)
    // The journal's own (kept until the next write), not read from the records.
    expect(columnsOf(server.requests)).toBe(own)
    expect(own).toEqual(columnsOf([...server.requests]))
    expect([...own.indexOnConnection]).toEqual([4, 5, 0])
    expect([...own.asksToClose]).toEqual([0, 1, 0])
  })

  test('a verdict passes for a client that reuses its connection, and says what was not kept', async () => {
    const server = await startServer({ journal: { keepLast: 3 } })
    await keepAliveInTurn(server.url, 5)
    const verdict = reusesConnection(server)
    expect(verdict.pass).toBe(true)
    expect(verdict.summary).toBe(
      '3 requests used 1 connection; 3 requests reused it (judged the last 3 requests of 5; 2 earlier requests were not kept)',
    )
    expect(server).toReuseConnection()
  })

  test('a verdict fails for a new socket per request, and its message says what was not kept', async () => {
    const server = await startServer({ journal: { keepLast: 3 } })
    await newSocketEach(server.url, 5)
    expect(opensNewSocketPerRequest(server).pass).toBe(true)
    const message = failureOf(() => expect(server).toReuseConnection())
    expect(message).toContain(
      '3 requests used 3 connections; none was reused (judged the last 3 requests of 5; 2 earlier requests were not kept)',
    )
    expect(message).toContain('the client sent Connection: close on all 3 requests')
  })

  test('a slice of a bounded journal is judged as a slice, with its connection records', async () => {
    const server = await startServer({ journal: { keepLast: 3 }, maxRequestsPerConnection: 2 })
    await keepAliveInTurn(server.url, 5)
    const verdict = reusesConnection(server.requests.slice(1))
    expect(verdict.summary).toBe(
      '2 requests used 2 connections; 1 request reused a connection, and none opened while another sat idle',
    )
    expect(verdict.pass).toBe(true)
    expect(verdict.findings.map((finding) => finding.kind)).toContain('server-closed')
  })

  test('clear() forgets what was kept and what was dropped', async () => {
    const server = await startServer({ journal: { keepLast: 2 } })
    await keepAliveInTurn(server.url, 4)
    server.clear()
    expect(server.requests).toHaveLength(0)
    await keepAliveInTurn(server.url, 2)
    expect(server.requests.map((request) => request.index)).toEqual([0, 1])
    expect(reusesConnection(server).summary).toBe(
      '2 requests used 1 connection; 1 request reused it',
    )
    await keepAliveInTurn(server.url, 3)
    expect(server.requests.map((request) => request.index)).toEqual([3, 4])
  })
})

describe("journal: 'counts'", () => {
  test('keeps no request record; each connection still counts its requests', async () => {
    const server = await startServer({ journal: 'counts' })
    const seen: number[] = []
    server.on('request', (request) => seen.push(request.indexOnConnection))
    await keepAliveInTurn(server.url, 3)
    expect(server.requests).toHaveLength(0)
    expect(seen).toEqual([0, 1, 2])
    expect(server.connections.map((connection) => connection.requestCount)).toEqual([3])
  })

  test('the counting verdicts judge the counts: they pass for a reusing client', async () => {
    const server = await startServer({ journal: 'counts' })
    await keepAliveInTurn(server.url, 3)
    const verdict = usesAtMostConnections(server, 1)
    expect(verdict).toMatchObject({
      pass: true,
      summary:
        '3 requests used 1 connection; 2 requests reused a connection (counted per connection: the journal keeps no request records)',
      counts: { requests: 3, connections: 1, reused: 2 },
    })
    expect(server).toUseConnections(1)
    expect(server).not.toOpenNewSocketPerRequest()
  })

  test('the counting verdicts judge the counts: they fail for a new socket per request', async () => {
    const server = await startServer({ journal: 'counts' })
    await newSocketEach(server.url, 3)
    expect(opensNewSocketPerRequest(server).pass).toBe(true)
    expect(failureOf(() => expect(server).toUseAtMostConnections(1))).toContain(
      '3 requests used 3 connections; none was reused (counted per connection: the journal keeps no request records)',
    )
    expect(usesConnections(server, 3).pass).toBe(true)
  })

  test('toUseConnections fails with the counts and its diff, not a crash', async () => {
    // Regression: the matcher recounted the (empty) request list for its diff and threw a RangeError.
    const server = await startServer({ journal: 'counts' })
    await newSocketEach(server.url, 3)
    let thrown: unknown
    try {
      expect(server).toUseConnections(1)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toMatchObject({ actual: 3, expected: 1 })
    // The sentence, then who opened the connections: no empty timeline between them.
    expect((thrown as Error).message).toContain(
      '3 requests used 3 connections; none was reused (counted per connection: the journal keeps no request records)\n\nConnections opened in this process:',
    )
  })

  test('counts start again at clear()', async () => {
    const server = await startServer({ journal: 'counts' })
    const agent = keepAliveAgent()
    await get(server.url, { agent })
    server.clear()
    expect(() => usesConnections(server, 1)).toThrow('no request reached the test server')
    await get(server.url, { agent })
    agent.destroy()
    // The one request since clear() travelled on a connection that had carried one before.
    expect(usesConnections(server, 1).summary).toBe(
      '1 request used 1 connection; 1 request reused a connection (counted per connection: the journal keeps no request records)',
    )
  })

  test('a verdict that needs the requests is a usage error that says which ones judge counts', async () => {
    const server = await startServer({ journal: 'counts' })
    await keepAliveInTurn(server.url, 3)
    expect(() => reusesConnection(server)).toThrow(MatcherUsageError)
    expect(() => reusesConnection(server)).toThrow(
      "keepalive-kit: toReuseConnection(): the test server recorded 3 requests but keeps no request records (option journal: 'counts'), and this check needs them. toUseConnections(n), toUseAtMostConnections(n) and toOpenNewSocketPerRequest() judge the counts; for this one, pass journal: { keepLast: n } instead.",
    )
  })
})
