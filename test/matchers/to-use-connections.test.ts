import { describe, expect } from 'vitest'
import { test } from '../../src/fixtures.js'
import { failureOf, fetchBackToBack, ids, keepAliveInTurn, withoutAgent } from './clients.js'

describe('.toUseConnections', () => {
  test('passes when fetch alternates two sockets and n is 2', async ({ server }) => {
    await fetchBackToBack(server, 5)
    expect(ids(server)).toEqual([1, 2, 1, 2, 1])
    expect(server).toUseConnections(2)
  })

  test('passes when node:http keep-alive agent used one connection and n is 1', async ({
    server,
  }) => {
    await keepAliveInTurn(server, 5)
    expect(server).toUseConnections(1)
  })

  test('passes when a slice of the requests used n connections', async ({ server }) => {
    await withoutAgent(server, 4)
    expect(server.requests.slice(1, 3)).toUseConnections(2)
    expect(server.requests[3]).toUseConnections(1)
  })

  test('fails when the requests used more connections than n', async ({ server }) => {
    await withoutAgent(server, 3)
    expect(failureOf(() => expect(server).toUseConnections(1))).toMatchInlineSnapshot(`
      "expect(server).toUseConnections(1)

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

  test('fails with the counts for the runner to diff', async ({ server }) => {
    await withoutAgent(server, 3)
    let error: unknown
    try {
      expect(server).toUseConnections(2)
    } catch (thrown) {
      error = thrown
    }
    expect(error).toMatchObject({ actual: 3, expected: 2 })
  })

  test('fails with a usage error when n is not a whole number of at least 1', async ({
    server,
  }) => {
    await keepAliveInTurn(server, 1)
    expect(() => expect(server).toUseConnections(-1)).toThrowErrorMatchingInlineSnapshot(
      `[MatcherUsageError: keepalive-kit: toUseConnections(n): n must be a whole number of at least 1. Received number -1.]`,
    )
    expect(() => expect(server).toUseConnections(0)).toThrowErrorMatchingInlineSnapshot(
      `[MatcherUsageError: keepalive-kit: toUseConnections(n): n must be a whole number of at least 1. Received number 0.]`,
    )
    expect(() => expect(server).toUseConnections(1.5)).toThrowErrorMatchingInlineSnapshot(
      `[MatcherUsageError: keepalive-kit: toUseConnections(n): n must be a whole number of at least 1. Received number 1.5.]`,
    )
    expect(() => expect(server).toUseConnections('2' as never)).toThrowErrorMatchingInlineSnapshot(
      `[MatcherUsageError: keepalive-kit: toUseConnections(n): n must be a whole number of at least 1. Received the string "2".]`,
    )
  })

  test('fails with a usage error naming the received value', () => {
    expect(() => expect({ requests: 3 }).toUseConnections(1)).toThrowErrorMatchingInlineSnapshot(
      `[MatcherUsageError: keepalive-kit: toUseConnections(n): the received value must be a test server from createTestServer(), an array of its recorded requests (server.requests or a slice of it), or one recorded request. Received an object of type Object.]`,
    )
  })
})

describe('.not.toUseConnections', () => {
  test('passes when the requests used another number of connections', async ({ server }) => {
    await fetchBackToBack(server, 5)
    expect(server).not.toUseConnections(1)
  })

  test('fails when the requests used exactly n connections', async ({ server }) => {
    await fetchBackToBack(server, 3)
    expect(failureOf(() => expect(server).not.toUseConnections(2))).toMatchInlineSnapshot(`
      "expect(server).not.toUseConnections(2)

      3 requests used 2 connections; 1 request reused a connection, and none opened while another sat idle:
        #0  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive
        #1  GET /  conn 2  127.0.0.1:PORT  Connection: keep-alive
        #2  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive

      Connections opened in this process:
        conn 1–2  opened by fetchBackToBack (test/matchers/clients.ts:52)"
    `)
  })
})
