import { describe, expect } from 'vitest'
import { test } from '../../src/fixtures.js'
import { failureOf, fetchBackToBack, ids, keepAliveInTurn, withoutAgent } from './clients.js'

describe('.toUseAtMostConnections', () => {
  test('passes when node:http keep-alive agent used one connection', async ({ server }) => {
    await keepAliveInTurn(server, 5)
    expect(server).toUseAtMostConnections(1)
    expect(server).toUseAtMostConnections(3)
  })

  test('passes when fetch alternates two sockets and n is 2', async ({ server }) => {
    await fetchBackToBack(server, 5)
    expect(ids(server)).toEqual([1, 2, 1, 2, 1])
    expect(server).toUseAtMostConnections(2)
  })

  test('fails when fetch alternates two sockets and n is 1', async ({ server }) => {
    await fetchBackToBack(server, 3)
    expect(failureOf(() => expect(server).toUseAtMostConnections(1))).toMatchInlineSnapshot(`
      "expect(server).toUseAtMostConnections(1)

      3 requests used 2 connections; 1 request reused a connection, and none opened while another sat idle:
        #0  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive
        #1  GET /  conn 2  127.0.0.1:PORT  Connection: keep-alive
        #2  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive

      Connections opened in this process:
        conn 1–2  opened by fetchBackToBack (test/matchers/clients.ts:52)"
    `)
  })

  test('fails when each request opened its own connection', async ({ server }) => {
    await withoutAgent(server, 5)
    expect(failureOf(() => expect(server).toUseAtMostConnections(2))).toMatchInlineSnapshot(`
      "expect(server).toUseAtMostConnections(2)

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

  test('fails with a usage error when n is not a whole number of at least 1', async ({
    server,
  }) => {
    await keepAliveInTurn(server, 1)
    expect(() => expect(server).toUseAtMostConnections(0)).toThrowErrorMatchingInlineSnapshot(
      `[MatcherUsageError: keepalive-kit: toUseAtMostConnections(n): n must be a whole number of at least 1. Received number 0.]`,
    )
    expect(() =>
      expect(server).toUseAtMostConnections(undefined as never),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MatcherUsageError: keepalive-kit: toUseAtMostConnections(n): n must be a whole number of at least 1. Received undefined.]`,
    )
  })
})

describe('.not.toUseAtMostConnections', () => {
  test('passes when the requests used more than n connections', async ({ server }) => {
    await withoutAgent(server, 3)
    expect(server).not.toUseAtMostConnections(2)
  })

  test('fails when the requests used n connections or fewer', async ({ server }) => {
    await keepAliveInTurn(server, 2)
    expect(failureOf(() => expect(server).not.toUseAtMostConnections(1))).toMatchInlineSnapshot(`
      "expect(server).not.toUseAtMostConnections(1)

      2 requests used 1 connection; 1 request reused it:
        #0  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive
        #1  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive

      Connections opened in this process:
        conn 1  opened by send (test/matchers/clients.ts:14)"
    `)
  })
})
