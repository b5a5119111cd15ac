import { describe, expect, test } from 'vitest'
import { KeepAliveKitError, renderTimelineSvg } from '../../src/index.js'
import { allClosed, get, keepAliveAgent, rawSocket, startServer } from '../server/helpers.js'
import { connection, newSocketPerRequest, oneConnection, request } from './records.js'

/** How many elements of a class the picture draws. */
const count = (svg: string, className: string): number =>
  svg.match(new RegExp(`class="${className}"`, 'g'))?.length ?? 0

/** The texts of the elements of a class, unescaped tags removed. */
const texts = (svg: string, className: string): string[] =>
  [...svg.matchAll(new RegExp(`class="${className}"[^>]*>([^<]*)`, 'g'))].map((m) => m[1] ?? '')

describe('renderTimelineSvg', () => {
  test('draws one lane per connection and one mark per request, new and reused apart', async () => {
    const server = await startServer()
    const agent = keepAliveAgent()
    for (const path of ['/a', '/b', '/c']) await get(server.urlFor(path), { agent })
    const svg = renderTimelineSvg(server)
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    expect(count(svg, 'lane')).toBe(1)
    expect(count(svg, 'mark')).toBe(3)
    expect(svg.match(/class="mark"[^>]*fill="#d97706"/g)).toHaveLength(1)
    expect(svg.match(/class="mark"[^>]*fill="#15803d"/g)).toHaveLength(2)
    expect(texts(svg, 'title')[0]).toMatch(
      /^3 requests on 1 connection over [\d.]+ ms; 2 requests reused a connection\.$/,
    )
    expect(texts(svg, 'close-label')).toEqual(['open'])
    expect(svg).toContain('<title>#1 GET /b\nconn 1, request 2 on it, at ')
    expect(count(svg, 'legend')).toBe(1)
    // The lane names the code in this test that opened the connection, under it and on hover.
    expect(texts(svg, 'opened-by')).toEqual([
      expect.stringMatching(/^opened by get \(test\/server\/helpers\.ts:\d+\)$/),
    ])
    expect(svg).toMatch(
      /<title>conn 1: 1 connection, 3 requests\nopened by get \(test\/server\/helpers\.ts:\d+\)<\/title>/,
    )
  })

  // With a bounded journal the title counted only the kept requests ("2 requests on 1
  // connection"), and with journal: 'counts' it said "0 requests … no request reused a connection".
  test('says what a bounded journal kept, and what a journal of counts counted', async () => {
    const bounded = await startServer({ journal: { keepLast: 2 } })
    const counts = await startServer({ journal: 'counts' })
    for (const server of [bounded, counts]) {
      const agent = keepAliveAgent()
      for (const path of ['/a', '/b', '/c', '/d', '/e']) await get(server.urlFor(path), { agent })
    }
    // Nor a time between events over the requests it did not keep.
    expect(count(renderTimelineSvg(bounded), 'gap')).toBe(0)
    expect(count(renderTimelineSvg(bounded.requests.slice(0)), 'gap')).toBe(0)
    expect(texts(renderTimelineSvg(bounded), 'title')[0]).toMatch(
      /^The last 2 requests of 5 on 1 connection over [\d.]+ ms; 2 requests reused a connection\.$/,
    )
    expect(texts(renderTimelineSvg(counts), 'title').join(' ')).toMatch(
      /^5 requests \(counted per connection: none is drawn, the journal keeps no request records\) on 1 connection over [\d.]+ ms; 4 requests reused a connection\.$/,
    )
  })

  test('labels the time between events only where it drew every request of the connection', () => {
    const requests = [
      request({ index: 0, connectionId: 1, indexOnConnection: 2, receivedAt: 200 }),
      request({ index: 1, connectionId: 1, indexOnConnection: 3, receivedAt: 300 }),
    ]
    const carried = (requestCount: number) =>
      renderTimelineSvg({
        requests,
        connections: [connection({ id: 1, openedAt: 0, closedAt: 400, requestCount })],
      })
    expect(texts(carried(2), 'gap')).toEqual(['200 ms', '100 ms', '100 ms'])
    expect(count(carried(4), 'gap')).toBe(0)
  })

  test('says who closed each connection and why, and shows one that carried no request', async () => {
    const server = await startServer({ idleTimeout: 50 })
    const agent = keepAliveAgent()
    await get(server.urlFor('/'), { agent })
    const idle = await rawSocket(server)
    idle.end()
    await allClosed(server)
    const svg = renderTimelineSvg(server)
    expect(texts(svg, 'close-label')).toEqual([
      'by server (idle-timeout)',
      'by client (client-closed)',
    ])
    expect(count(svg, 'lane lane-empty')).toBe(1)
    expect(texts(svg, 'no-request')).toEqual(['no request'])
    expect(texts(svg, 'title')[0]).toMatch(/; 1 connection carried no request\.$/)
    expect(count(svg, 'close')).toBe(2)
  })

  test('names a fault as the reason the server closed', () => {
    const svg = renderTimelineSvg({
      requests: [request({ index: 0, connectionId: 1, receivedAt: 1 })],
      connections: [
        connection({
          id: 1,
          openedAt: 0,
          closedBy: 'server',
          closeReason: 'server-closed',
          fault: 'reset',
        }),
      ],
    })
    expect(texts(svg, 'close-label')).toEqual(['by server (fault reset)'])
    expect(svg).toMatch(/class="close"[^>]*fill="#dc2626"/)
  })

  test('escapes every text a client sent', () => {
    const hostile = `/<script>alert("x")</script>?a=1&b='2'\u0000`
    const svg = renderTimelineSvg([
      request({ index: 0, connectionId: 1, receivedAt: 0, url: hostile, method: 'G<T' }),
    ])
    expect(svg).not.toContain('<script')
    expect(svg).not.toContain('\u0000')
    expect(svg).toContain(
      'G&lt;T /&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;?a=1&amp;b=&#39;2&#39;\ufffd',
    )
    // Every & starts an entity: the picture parses as XML.
    expect(svg.match(/&(?!(amp|lt|gt|quot|#39);)/g)).toBeNull()
  })

  test('draws a slice of hand-built requests without their connections, and says so', () => {
    const { requests } = oneConnection(3)
    const svg = renderTimelineSvg(requests.slice(1))
    expect(count(svg, 'mark')).toBe(2)
    expect(texts(svg, 'close-label')).toEqual(['close not recorded'])
    expect(texts(svg, 'note').join(' ')).toContain(
      'Only requests were given: opens and closes not recorded.',
    )
  })

  // A slice finds its connections through the server that recorded it, as verdicts do.
  test("draws a slice of a server's requests with the connections they used, opens and closes included", async () => {
    const server = await startServer()
    for (const path of ['/a', '/b', '/c']) await get(server.urlFor(path), { agent: false })
    await allClosed(server)
    const svg = renderTimelineSvg(server.requests.slice(1))
    expect(count(svg, 'lane')).toBe(2)
    expect(texts(svg, 'close-label')).toEqual([
      'by server (client-asked)',
      'by server (client-asked)',
    ])
    expect(svg).not.toContain('Only requests were given')
  })

  test('aggregates 5,000 connections into at most 30 lanes, and says so', () => {
    const svg = renderTimelineSvg(newSocketPerRequest(5000))
    expect(count(svg, 'lane')).toBe(30)
    expect(texts(svg, 'lane-label')[0]).toBe('conn 1–167')
    expect(texts(svg, 'note').join(' ')).toContain(
      'Aggregated: 5,000 connections drawn in 30 lanes of up to 167.',
    )
    expect(texts(svg, 'close-label')[0]).toBe('by client (client-closed) ×167')
    expect(svg.length).toBeLessThan(400_000)
  })

  test('counts 5,000 requests on one connection per bin instead of 5,000 overlapping marks', () => {
    const svg = renderTimelineSvg(oneConnection(5000))
    expect(count(svg, 'mark')).toBe(0)
    expect(count(svg, 'bin')).toBeGreaterThan(10)
    expect(count(svg, 'bin')).toBeLessThanOrEqual(200)
    expect(texts(svg, 'note').join(' ')).toContain(
      'Requests counted per 4 px where marks would overlap',
    )
    expect(svg).toMatch(/<title>\d+ requests, \d+ on a reused connection, /)
  })

  test('is a pure function of what was recorded', () => {
    const record = newSocketPerRequest(7)
    expect(renderTimelineSvg(record)).toBe(renderTimelineSvg(record))
  })

  test('draws an empty server as a picture that says nothing was recorded', async () => {
    const server = await startServer()
    expect(texts(renderTimelineSvg(server), 'title')).toEqual([
      'No connection or request was recorded.',
    ])
  })

  test('tells what a wrong subject was', () => {
    expect(() => renderTimelineSvg('http://x' as never)).toThrow(KeepAliveKitError)
    expect(() => renderTimelineSvg('http://x' as never)).toThrow(
      'keepalive-kit: renderTimelineSvg(subject): the subject must be a test server from createTestServer(), an array of its recorded requests, or { requests, connections }. Received the string "http://x".',
    )
  })
})
