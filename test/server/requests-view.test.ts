// server.requests is a journal of columns whose records are made when read
// (docs/decisions/0010-a-journal-of-columns.md): it must still read as an array of records.
import { once } from 'node:events'
import type * as http from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'
import { inspect } from 'node:util'
import { describe, expect, test } from 'vitest'
import { type RecordedRequest, reusesConnection } from '../../src/index.js'
import { columnsOf } from '../../src/verdicts/columns.js'
import { get, keepAliveAgent, startServer } from './helpers.js'

/** Sends `n` requests in turn on one keep-alive agent, with `headers(i)` on the i-th. */
async function inTurn(url: string, n: number, headers = (_i: number) => ({})): Promise<void> {
  const agent = keepAliveAgent()
  for (let i = 0; i < n; i++) await get(url, { agent, headers: headers(i) })
  agent.destroy()
}

describe('server.requests', () => {
  test('reads as an array: index, length, methods, spread, JSON and equality', async () => {
    const server = await startServer()
    await inTurn(`${server.url}/a`, 3)
    const { requests } = server
    expect(Array.isArray(requests)).toBe(true)
    expect(requests).toHaveLength(3)
    expect(requests.map((request) => request.indexOnConnection)).toEqual([0, 1, 2])
    expect([...requests].map((request) => request.index)).toEqual([0, 1, 2])
    expect(requests.at(-1)?.reusedConnection).toBe(true)
    expect(requests[3]).toBeUndefined()
    expect(Object.keys(requests)).toEqual(['0', '1', '2'])
    expect(JSON.parse(JSON.stringify(requests))).toEqual(
      [...requests].map((request) => JSON.parse(JSON.stringify(request))),
    )
    expect(requests).toEqual([...requests])
    expect(requests[0]).toMatchObject({
      index: 0,
      connectionId: 1,
      method: 'GET',
      url: '/a',
      httpVersion: '1.1',
      remoteAddress: server.connections[0]?.remoteAddress,
      remotePort: server.connections[0]?.remotePort,
      connectionHeader: 'keep-alive',
      keepAliveHeader: undefined,
    })
    expect(Object.keys(requests[0] as RecordedRequest)).not.toContain('streamId')
    expect(inspect(requests)).toContain("url: '/a'")
  })

  test('hands out the same object for a request every time, the one the request event gave', async () => {
    const server = await startServer()
    const seen: RecordedRequest[] = []
    server.on('request', (request) => seen.push(request))
    await inTurn(server.url, 2)
    expect(server.requests[0]).toBe(seen[0])
    expect(server.requests[1]).toBe(server.requests[1])
    // The record read before its response finished learns when it did.
    expect(seen[1]?.respondedAt).toBeGreaterThanOrEqual(seen[1]?.receivedAt ?? Number.NaN)
  })

  test('is read-only', async () => {
    const server = await startServer()
    await inTurn(server.url, 1)
    const requests = server.requests as RecordedRequest[]
    expect(() => requests.push(requests[0] as RecordedRequest)).toThrow(
      'keepalive-kit: server.requests is read-only. Copy it first: [...server.requests].',
    )
    expect(server.requests).toHaveLength(1)
  })

  test('a view read before clear() keeps what it showed', async () => {
    const server = await startServer()
    await inTurn(server.url, 2)
    const before = server.requests
    server.clear()
    expect(server.requests).toHaveLength(0)
    expect(before).toHaveLength(2)
    await inTurn(server.url, 1)
    expect(server.requests.map((request) => request.index)).toEqual([0])
  })

  test('a response that finishes after clear() is noted in the journal that recorded its request', async () => {
    // Regression: the answer of a request in flight across clear() set respondedAt on request 0
    // of the new journal, a request the server had not answered.
    const held = new Map<string, http.ServerResponse>()
    const server = await startServer({
      handler: (req, res) => void held.set(req.url ?? '', res),
    })
    const first = get(`${server.url}/first`)
    await once(server, 'request')
    const before = server.requests
    server.clear()
    const second = get(`${server.url}/second`)
    await once(server, 'request')
    held.get('/first')?.end('ok')
    await first
    expect(before[0]?.respondedAt).toBeTypeOf('number')
    expect(server.requests[0]?.url).toBe('/second')
    expect(server.requests[0]?.respondedAt).toBeUndefined()
    held.get('/second')?.end('ok')
    await second
    expect(server.requests[0]?.respondedAt).toBeTypeOf('number')
  })

  test('hands its columns to the verdicts: the same as read from its records', async () => {
    const server = await startServer()
    await inTurn(server.url, 4, (i) => (i === 2 ? { connection: 'close' } : {}))
    const own = columnsOf(server.requests)
    // The journal's own (kept until the next write), not read from the records.
    expect(columnsOf(server.requests)).toBe(own)
    expect(own).toEqual(columnsOf([...server.requests]))
    expect([...own.asksToClose]).toEqual([0, 0, 1, 0])
    expect(reusesConnection(server).summary).toBe(
      '4 requests used 2 connections; 2 requests reused a connection, and none opened while another sat idle',
    )
  })
})

describe('the headers each record keeps', () => {
  test('are what node parsed, a unique request id on each, in node order', async () => {
    const server = await startServer({
      handler: (req, res) => {
        parsed.push(req.headers)
        res.end('ok')
      },
    })
    const parsed: IncomingHttpHeaders[] = []
    await inTurn(server.url, 5, (i) => ({ 'x-request-id': `id-${i}`, 'x-trace': `t${i % 2}` }))
    expect(server.requests.map((request) => request.headers)).toEqual(parsed)
    expect(server.requests.map((request) => request.headers['x-request-id'])).toEqual([
      'id-0',
      'id-1',
      'id-2',
      'id-3',
      'id-4',
    ])
    expect(Object.keys(server.requests[3]?.headers ?? {})).toEqual(Object.keys(parsed[3] ?? {}))
    expect(Object.isFrozen(server.requests[4]?.headers)).toBe(true)
  })

  // A value that differs in a header sent twice joins into one; it must not be kept as a shape.
  test('are right when a repeated header changes its value', async () => {
    const server = await startServer()
    const parsed: IncomingHttpHeaders[] = []
    server.on('request', (request) => parsed.push(request.headers))
    const agent = keepAliveAgent()
    for (const tag of ['a', 'b']) {
      const sent = once(server, 'request')
      await get(server.url, { agent, headers: { 'x-tag': [tag, 'z'] } })
      await sent
    }
    agent.destroy()
    expect(server.requests.map((request) => request.headers['x-tag'])).toEqual(['a, z', 'b, z'])
  })

  test('are none with recordHeaders: false; the Connection header is still kept', async () => {
    const server = await startServer({ recordHeaders: false })
    await inTurn(server.url, 2, () => ({ 'x-request-id': 'x' }))
    expect(server.requests.map((request) => request.headers)).toEqual([{}, {}])
    expect(server.requests[1]?.connectionHeader).toBe('keep-alive')
  })
})
