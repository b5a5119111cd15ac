import { describe, expect } from 'vitest'
import { test } from '../../src/fixtures.js'
import {
  failureOf,
  fetchBackToBack,
  firstBodyUnread,
  ids,
  keepAliveInTurn,
  withoutAgent,
} from './clients.js'

describe('.toOpenNewSocketPerRequest', () => {
  test('passes when node:http sends each request without an agent (1,2,3,4,5)', async ({
    server,
  }) => {
    await withoutAgent(server, 5)
    expect(ids(server)).toEqual([1, 2, 3, 4, 5])
    expect(server).toOpenNewSocketPerRequest()
  })

  test('passes when the server has keep-alive switched off, whatever the client', async ({
    createServer,
  }) => {
    const server = await createServer({ keepAlive: false })
    await keepAliveInTurn(server, 3)
    expect(ids(server)).toEqual([1, 2, 3])
    expect(server).toOpenNewSocketPerRequest()
  })

  test('passes when the one request is the first on its connection', async ({ server }) => {
    await keepAliveInTurn(server, 3)
    expect(server.requests[0]).toOpenNewSocketPerRequest()
  })

  test('fails when node:http keep-alive agent reused its connection (1,1,1,1,1)', async ({
    server,
  }) => {
    await keepAliveInTurn(server, 5)
    expect(failureOf(() => expect(server).toOpenNewSocketPerRequest())).toMatchInlineSnapshot(`
      "expect(server).toOpenNewSocketPerRequest()

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

  test('fails when fetch alternates two sockets (1,2,1,2,1 and 1,2,1)', async ({
    createServer,
  }) => {
    const five = await createServer()
    const three = await createServer()
    await fetchBackToBack(five, 5)
    await fetchBackToBack(three, 3)
    expect([ids(five), ids(three)]).toEqual([
      [1, 2, 1, 2, 1],
      [1, 2, 1],
    ])
    expect(failureOf(() => expect(five).toOpenNewSocketPerRequest())).toMatchInlineSnapshot(`
      "expect(server).toOpenNewSocketPerRequest()

      5 requests used 2 connections; 3 requests reused a connection, and none opened while another sat idle:
        #0  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive
        #1  GET /  conn 2  127.0.0.1:PORT  Connection: keep-alive
        #2  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive
        #3  GET /  conn 2  127.0.0.1:PORT  Connection: keep-alive
        #4  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive

      Connections opened in this process:
        conn 1–2  opened by fetchBackToBack (test/matchers/clients.ts:52)"
    `)
    expect(() => expect(three).toOpenNewSocketPerRequest()).toThrow(/^expect\(server\)/)
  })

  test('fails when the first response body was never read (1,2,2,2,2)', async ({ server }) => {
    await firstBodyUnread(server, 5)
    expect(failureOf(() => expect(server).toOpenNewSocketPerRequest())).toMatchInlineSnapshot(`
      "expect(server).toOpenNewSocketPerRequest()

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

  test('fails when the one request is the third on its connection', async ({ server }) => {
    await keepAliveInTurn(server, 3)
    expect(
      failureOf(() => expect(server.requests[2]).toOpenNewSocketPerRequest()),
    ).toMatchInlineSnapshot(`
      "expect(request).toOpenNewSocketPerRequest()

      1 request used 1 connection, which had carried 2 requests before it:
        #2  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive"
    `)
  })

  test('fails with a usage error for a slice with no requests', async ({ server }) => {
    await keepAliveInTurn(server, 2)
    expect(() =>
      expect(server.requests.slice(2)).toOpenNewSocketPerRequest(),
    ).toThrowErrorMatchingInlineSnapshot(`
      [MatcherUsageError: keepalive-kit: toOpenNewSocketPerRequest(): no request reached the test server, so there is nothing to judge. Likely causes:
        - the client was sent to another URL: use server.url or server.urlFor(path);
        - the request was never awaited, so the test checked before it was sent;
        - msw's setupServer() answered it in-process: add passthroughTestServers() from 'keepalive-kit/msw' to its handlers;
        - server.clear() ran after the requests;
        - the slice of server.requests is empty: check its bounds.]
    `)
  })
})

describe('.not.toOpenNewSocketPerRequest', () => {
  test('passes when node:http keep-alive agent reused its connection', async ({ server }) => {
    await keepAliveInTurn(server, 3)
    expect(server).not.toOpenNewSocketPerRequest()
  })

  test('fails when each request opened its own connection', async ({ server }) => {
    await withoutAgent(server, 3)
    expect(failureOf(() => expect(server).not.toOpenNewSocketPerRequest())).toMatchInlineSnapshot(`
      "expect(server).not.toOpenNewSocketPerRequest()

      3 requests used 3 connections; none was reused:
        #0  GET /  conn 1  127.0.0.1:PORT  Connection: close
        #1  GET /  conn 2  127.0.0.1:PORT  Connection: close
        #2  GET /  conn 3  127.0.0.1:PORT  Connection: close

      Connections opened in this process:
        conn 1–3  opened by send (test/matchers/clients.ts:14)

      What the server recorded:
        - the client sent Connection: close on all 3 requests, so the server closed each such connection after its response"
    `)
  })
})
