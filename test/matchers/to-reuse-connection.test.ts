import { once } from 'node:events'
import { get, request } from 'node:http'
import { describe, expect } from 'vitest'
import { MatcherUsageError } from '../../src/errors.js'
import { test } from '../../src/fixtures.js'
import { awaitBurst, createTestServer } from '../../src/index.js'
import { keepAliveAgent } from '../server/helpers.js'
import {
  bigBodyHandler,
  burstThenInTurn,
  burstThenNewClients,
  failureOf,
  fetchBackToBack,
  firstBodyBig,
  firstBodyUnread,
  ids,
  keepAliveInTurn,
  withoutAgent,
} from './clients.js'

describe('.toReuseConnection', () => {
  test('passes when node:http keep-alive agent sends requests in turn (1,1,1,1,1)', async ({
    server,
  }) => {
    await keepAliveInTurn(server, 5)
    expect(ids(server)).toEqual([1, 1, 1, 1, 1])
    expect(server).toReuseConnection()
  })

  test('passes when fetch alternates two sockets (1,2,1,2,1)', async ({ server }) => {
    await fetchBackToBack(server, 5)
    expect(ids(server)).toEqual([1, 2, 1, 2, 1])
    expect(server).toReuseConnection()
  })

  test('passes when fetch sends three requests (1,2,1)', async ({ server }) => {
    await fetchBackToBack(server, 3)
    expect(ids(server)).toEqual([1, 2, 1])
    expect(server).toReuseConnection()
  })

  test('passes when the one request is the third on its connection', async ({ server }) => {
    await keepAliveInTurn(server, 3)
    expect(server.requests[2]).toReuseConnection()
  })

  test('passes when the server closes each connection after two requests (1,1,2,2,3)', async ({
    createServer,
  }) => {
    const server = await createServer({ maxRequestsPerConnection: 2 })
    await keepAliveInTurn(server, 5)
    expect(ids(server)).toEqual([1, 1, 2, 2, 3])
    expect(server).toReuseConnection()
    // A copy or a slice finds the server that recorded it, so the server's closes still excuse.
    expect([...server.requests]).toReuseConnection()
    expect(server.requests.slice(1)).toReuseConnection()
  })

  test.for(['node', 'fetch', 'undici'] as const)(
    'passes when %s sends a burst of 5, then 5 in turn on the pooled sockets',
    async (client, { createServer }) => {
      const server = await createServer({ handler: awaitBurst(5) })
      await burstThenInTurn(server, client, 5, 5)
      expect(new Set(ids(server).slice(0, 5)).size).toBe(5)
      expect(
        ids(server)
          .slice(5)
          .some((id) => id <= 5),
      ).toBe(true)
      expect(server).toReuseConnection()
      expect(server).not.toReuseConnection({ maxConnections: 1 })
    },
  )

  test('passes with { maxConnections: 1 } when one connection carried them all', async ({
    server,
  }) => {
    await keepAliveInTurn(server, 5)
    expect(server).toReuseConnection({ maxConnections: 1 })
    expect(server.requests[2]).toReuseConnection({ maxConnections: 1 })
  })

  test('passes with { maxConnections: 2 } when fetch alternates two sockets', async ({
    server,
  }) => {
    await fetchBackToBack(server, 5)
    expect(server).toReuseConnection({ maxConnections: 2 })
  })

  test('fails when each request opened its own connection (1,2,3,4,5)', async ({ server }) => {
    await withoutAgent(server, 5)
    expect(ids(server)).toEqual([1, 2, 3, 4, 5])
    expect(failureOf(() => expect(server).toReuseConnection())).toMatchInlineSnapshot(`
      "expect(server).toReuseConnection()

      5 requests used 5 connections; none was reused:
        #0  GET /  conn 1  127.0.0.1:PORT  Connection: close
        #1  GET /  conn 2  127.0.0.1:PORT  Connection: close
        #2  GET /  conn 3  127.0.0.1:PORT  Connection: close
        #3  GET /  conn 4  127.0.0.1:PORT  Connection: close
        #4  GET /  conn 5  127.0.0.1:PORT  Connection: close

      Connections opened in this process:
        conn 1–5  opened by send (test/matchers/clients.ts:14)

      What the server recorded:
        - the client sent Connection: close on all 5 requests, so the server closed each such connection after its response"
    `)
  })

  test('fails when the first response body was never read (1,2,2,2,2)', async ({ server }) => {
    await firstBodyUnread(server, 5)
    expect(ids(server)).toEqual([1, 2, 2, 2, 2])
    expect(failureOf(() => expect(server).toReuseConnection())).toMatchInlineSnapshot(`
      "expect(server).toReuseConnection()

      5 requests used 2 connections; connection 2 opened while connection 1 sat idle, and that one was never used again:
        #0  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive
        #1  GET /  conn 2  127.0.0.1:PORT  Connection: keep-alive
        #2  GET /  conn 2  127.0.0.1:PORT  Connection: keep-alive
        #3  GET /  conn 2  127.0.0.1:PORT  Connection: keep-alive
        #4  GET /  conn 2  127.0.0.1:PORT  Connection: keep-alive

      Connections opened in this process:
        conn 1–2  opened by send (test/matchers/clients.ts:14)

      What the server recorded:
        - the server wrote the response on connection 1, then it sat idle and was never used again while the client opened another (a response body left unread does this, and so does a new client per request)"
    `)
  })

  // Issue 11: a first response too large to finish writing left connection 1 busy for ever, so
  // 1,2,2,2,2 passed as a burst.
  test('fails when the client stops reading an 8 MB first response the server never finished writing (1,2,2,2,2)', async ({
    createServer,
  }) => {
    const server = await createServer({ handler: bigBodyHandler })
    await firstBodyBig(server, 5, { readAll: false })
    expect(ids(server)).toEqual([1, 2, 2, 2, 2])
    expect(server.requests[0]?.respondedAt).toBeUndefined()
    expect(failureOf(() => expect(server).toReuseConnection())).toMatchInlineSnapshot(`
      "expect(server).toReuseConnection()

      5 requests used 2 connections; connection 2 opened while connection 1 held a response that never finished being written, and that one was never used again:
        #0  GET /big  conn 1  127.0.0.1:PORT  Connection: keep-alive
        #1  GET /     conn 2  127.0.0.1:PORT  Connection: keep-alive
        #2  GET /     conn 2  127.0.0.1:PORT  Connection: keep-alive
        #3  GET /     conn 2  127.0.0.1:PORT  Connection: keep-alive
        #4  GET /     conn 2  127.0.0.1:PORT  Connection: keep-alive

      Connections opened in this process:
        conn 1–2  opened by send (test/matchers/clients.ts:14)

      What the server recorded:
        - connection 1's response to GET /big never finished being written (the client did not read all of it) and the client never used it again while it opened another"
    `)
    expect(server).not.toReuseConnection()
  })

  test('passes when the same client reads the 8 MB first response (1,1,1,1,1)', async ({
    createServer,
  }) => {
    const server = await createServer({ handler: bigBodyHandler })
    await firstBodyBig(server, 5, { readAll: true })
    expect(ids(server)).toEqual([1, 1, 1, 1, 1])
    expect(server).toReuseConnection()
  })

  test('passes when the server has not answered the first request while the client uses another connection (1,2,2,2,2)', async ({
    createServer,
  }) => {
    // The handler never answers /hang: connection 1 is busy because the server is, not the client.
    const server = await createServer({
      handler: (req, res) => void (req.url === '/hang' ? undefined : res.end('ok')),
    })
    const agent = keepAliveAgent()
    const arrived = once(server, 'request')
    request(server.urlFor('/hang'), { agent })
      .on('error', () => {})
      .end()
    await arrived
    for (let i = 0; i < 4; i++)
      await new Promise((resolve) =>
        get(server.url, { agent }, (res) => res.resume().on('end', resolve)),
      )
    expect(ids(server)).toEqual([1, 2, 2, 2, 2])
    expect(server).toReuseConnection()
  })

  test('passes when node sends a burst of 5 to a handler that answers each 30 ms late, then 5 in turn', async ({
    createServer,
  }) => {
    const server = await createServer({ fault: () => ({ delay: 30 }) })
    await burstThenInTurn(server, 'node', 5, 5)
    expect(new Set(ids(server).slice(0, 5)).size).toBe(5)
    expect(server).toReuseConnection()
  })

  test('fails when a burst of 5 is followed by requests each from a new client while the 5 sit idle', async ({
    createServer,
  }) => {
    const server = await createServer({ handler: awaitBurst(5) })
    await burstThenNewClients(server, 5, 4)
    expect(ids(server).slice(5)).toEqual([6, 7, 8, 9])
    const message = failureOf(() => expect(server).toReuseConnection())
    expect(message.split('\n').slice(0, 3).join('\n')).toMatchInlineSnapshot(`
      "expect(server).toReuseConnection()

      9 requests used 9 connections; none was reused:"
    `)
    expect(message).toContain('sat idle and was never used again while the client opened another')
  })

  test('fails when the one request is the first on its connection', async ({ server }) => {
    await keepAliveInTurn(server, 1)
    expect(failureOf(() => expect(server.requests[0]).toReuseConnection())).toMatchInlineSnapshot(`
      "expect(request).toReuseConnection()

      1 request used 1 connection, as its first request:
        #0  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive"
    `)
  })

  test('fails with { maxConnections: 1 } when fetch alternates two sockets (1,2,1,2,1)', async ({
    server,
  }) => {
    await fetchBackToBack(server, 5)
    expect(
      failureOf(() => expect(server).toReuseConnection({ maxConnections: 1 })),
    ).toMatchInlineSnapshot(`
      "expect(server).toReuseConnection({ maxConnections: 1 })

      5 requests used 2 connections; 3 requests reused a connection, and none opened while another sat idle; maxConnections is 1, so 1 connection too many (if your client keeps a pool, pass { maxConnections: 2 }):
        #0  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive
        #1  GET /  conn 2  127.0.0.1:PORT  Connection: keep-alive
        #2  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive
        #3  GET /  conn 2  127.0.0.1:PORT  Connection: keep-alive
        #4  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive

      Connections opened in this process:
        conn 1–2  opened by fetchBackToBack (test/matchers/clients.ts:52)"
    `)
  })

  test('fails with { maxConnections: 1 } for 1,2,1, for 1,2,3,4,5, for 1,2,2,2,2 and for a first request', async ({
    createServer,
  }) => {
    const [alternating, perRequest, unread, single] = await Promise.all(
      [1, 2, 3, 4].map(() => createServer()),
    )
    if (!alternating || !perRequest || !unread || !single) throw new Error('no server')
    await fetchBackToBack(alternating, 3)
    await withoutAgent(perRequest, 5)
    await firstBodyUnread(unread, 5)
    await keepAliveInTurn(single, 1)
    expect(ids(alternating)).toEqual([1, 2, 1])
    for (const subject of [alternating, perRequest, unread, single.requests[0]])
      expect(() => expect(subject).toReuseConnection({ maxConnections: 1 })).toThrow(
        /^expect\((server|request)\)\.toReuseConnection\(\{ maxConnections: 1 \}\)\n/,
      )
    // Only the pool, which reused every socket, is told the bound it would meet.
    const poolHint = 'if your client keeps a pool, pass { maxConnections: 2 }'
    expect(failureOf(() => expect(alternating).toReuseConnection({ maxConnections: 1 }))).toContain(
      poolHint,
    )
    for (const subject of [perRequest, unread, single.requests[0]])
      expect(
        failureOf(() => expect(subject).toReuseConnection({ maxConnections: 1 })),
      ).not.toContain('if your client keeps a pool')
  })

  test("cuts a usage error's stack at the matcher, so it points at the test", () => {
    let error: unknown
    try {
      expect('http://127.0.0.1:3000').toReuseConnection()
    } catch (thrown) {
      error = thrown
    }
    expect(error).toBeInstanceOf(MatcherUsageError)
    const stack = String((error as Error).stack)
    // Past vitest's own frames, the first is the test: none of ours (verdicts, matchers, the
    // vitest timeline wrapper) stands between.
    const frames = stack
      .split('\n')
      .filter((line) => line.trimStart().startsWith('at ') && !line.includes('node_modules'))
    expect(frames[0]).toContain('to-reuse-connection.test.ts')
  })

  test('fails with a usage error naming the received value when it is not a server or requests', async ({
    server,
  }) => {
    expect(() => expect(server.url).toReuseConnection()).toThrow(MatcherUsageError)
    expect(() =>
      expect('http://127.0.0.1:3000').toReuseConnection(),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MatcherUsageError: keepalive-kit: toReuseConnection(): the received value must be a test server from createTestServer(), an array of its recorded requests (server.requests or a slice of it), or one recorded request. Received the string "http://127.0.0.1:3000".]`,
    )
    expect(() => expect(new Response('ok')).toReuseConnection()).toThrowErrorMatchingInlineSnapshot(
      `[MatcherUsageError: keepalive-kit: toReuseConnection(): the received value must be a test server from createTestServer(), an array of its recorded requests (server.requests or a slice of it), or one recorded request. Received an object of type Response.]`,
    )
    const pending = createTestServer()
    expect(() => expect(pending).toReuseConnection()).toThrowErrorMatchingInlineSnapshot(
      `[MatcherUsageError: keepalive-kit: toReuseConnection(): the received value must be a test server from createTestServer(), an array of its recorded requests (server.requests or a slice of it), or one recorded request. Received an object of type Promise. Did you forget to await it?]`,
    )
    await (await pending).close()
  })

  test('fails with a usage error when no request reached the server', ({ server }) => {
    expect(() => expect(server).toReuseConnection()).toThrowErrorMatchingInlineSnapshot(`
      [MatcherUsageError: keepalive-kit: toReuseConnection(): no request reached the test server, so there is nothing to judge. Likely causes:
        - the client was sent to another URL: use server.url or server.urlFor(path);
        - the request was never awaited, so the test checked before it was sent;
        - msw's setupServer() answered it in-process: add passthroughTestServers() from 'keepalive-kit/msw' to its handlers;
        - server.clear() ran after the requests.]
    `)
    expect(() => expect([]).not.toReuseConnection()).toThrow(MatcherUsageError)
  })

  test('fails with a usage error for a bad maxConnections or options', async ({ server }) => {
    await keepAliveInTurn(server, 1)
    expect(() =>
      expect(server).toReuseConnection({ maxConnections: 0 }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MatcherUsageError: keepalive-kit: toReuseConnection(): maxConnections must be a whole number of at least 1. Received number 0.]`,
    )
    expect(() =>
      expect(server).toReuseConnection({ maxConnections: '2' as never }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MatcherUsageError: keepalive-kit: toReuseConnection(): maxConnections must be a whole number of at least 1. Received the string "2".]`,
    )
    expect(() => expect(server).toReuseConnection(1 as never)).toThrowErrorMatchingInlineSnapshot(
      `[MatcherUsageError: keepalive-kit: toReuseConnection(): options must be an object such as { maxConnections: 2 }. Received number 1.]`,
    )
  })
})

describe('.not.toReuseConnection', () => {
  test('passes when each request opened its own connection (1,2,3,4,5)', async ({ server }) => {
    await withoutAgent(server, 5)
    expect(server).not.toReuseConnection()
  })

  test('passes when the first response body was never read (1,2,2,2,2)', async ({ server }) => {
    await firstBodyUnread(server, 5)
    expect(server).not.toReuseConnection()
  })

  test('fails when node:http keep-alive agent reused its connection (1,1,1,1,1)', async ({
    server,
  }) => {
    await keepAliveInTurn(server, 5)
    expect(failureOf(() => expect(server).not.toReuseConnection())).toMatchInlineSnapshot(`
      "expect(server).not.toReuseConnection()

      5 requests used 1 connection; 4 requests reused it:
        #0  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive
        #1  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive
        #2  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive
        #3  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive
        #4  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive

      Connections opened in this process:
        conn 1  opened by send (test/matchers/clients.ts:14)"
    `)
  })

  test('fails when fetch alternates two sockets (1,2,1,2,1)', async ({ server }) => {
    await fetchBackToBack(server, 5)
    expect(failureOf(() => expect(server).not.toReuseConnection())).toMatchInlineSnapshot(`
      "expect(server).not.toReuseConnection()

      5 requests used 2 connections; 3 requests reused a connection, and none opened while another sat idle:
        #0  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive
        #1  GET /  conn 2  127.0.0.1:PORT  Connection: keep-alive
        #2  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive
        #3  GET /  conn 2  127.0.0.1:PORT  Connection: keep-alive
        #4  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive

      Connections opened in this process:
        conn 1–2  opened by fetchBackToBack (test/matchers/clients.ts:52)"
    `)
  })
})
