import { describe, expect } from 'vitest'
import { test } from '../../src/fixtures.js'
import { allClosed, failureOf, keepAliveInTurn, withoutAgent } from './clients.js'

describe('.toHaveOpenConnections', () => {
  test('passes when node:http keep-alive agent keeps its connection open', async ({ server }) => {
    await keepAliveInTurn(server, 2)
    expect(server).toHaveOpenConnections(1)
  })

  test('passes when closeIdleConnections() closed them', async ({ server }) => {
    await keepAliveInTurn(server, 2)
    await server.closeIdleConnections()
    expect(server).toHaveOpenConnections(0)
  })

  test('passes when no client connected yet', ({ server }) => {
    expect(server).toHaveOpenConnections(0)
  })

  test('fails when a kept-alive connection is still open', async ({ server }) => {
    await keepAliveInTurn(server, 2)
    expect(failureOf(() => expect(server).toHaveOpenConnections(0))).toMatchInlineSnapshot(`
      "expect(server).toHaveOpenConnections(0)

      1 of 1 connection is open:
        conn 1  127.0.0.1:PORT  2 requests  open"
    `)
  })

  test('fails listing how the connections ended when none is open', async ({ server }) => {
    await withoutAgent(server, 2)
    await allClosed(server)
    expect(failureOf(() => expect(server).toHaveOpenConnections(1))).toMatchInlineSnapshot(`
      "expect(server).toHaveOpenConnections(1)

      0 of 2 connections are open:
        conn 1  127.0.0.1:PORT  1 request  closed by server (client-asked)
        conn 2  127.0.0.1:PORT  1 request  closed by server (client-asked)"
    `)
  })

  test('fails with the counts for the runner to diff', async ({ server }) => {
    await keepAliveInTurn(server, 1)
    expect(() => expect(server).toHaveOpenConnections(0)).toThrow(
      expect.objectContaining({ actual: 1, expected: 0 }),
    )
  })

  test('fails with a usage error for requests instead of the server', async ({ server }) => {
    await keepAliveInTurn(server, 1)
    expect(() =>
      expect(server.requests).toHaveOpenConnections(1),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MatcherUsageError: keepalive-kit: toHaveOpenConnections(n): the received value must be a test server from createTestServer(). Received an array of 1 item. Recorded requests do not know which connections are open now: pass the server itself.]`,
    )
    expect(() => expect(server).toHaveOpenConnections(-1)).toThrowErrorMatchingInlineSnapshot(
      `[MatcherUsageError: keepalive-kit: toHaveOpenConnections(n): n must be a whole number of at least 0. Received number -1.]`,
    )
  })
})

describe('.not.toHaveOpenConnections', () => {
  test('passes when another number of connections is open', async ({ server }) => {
    await keepAliveInTurn(server, 1)
    expect(server).not.toHaveOpenConnections(0)
  })

  test('fails when exactly n connections are open', async ({ server }) => {
    await keepAliveInTurn(server, 1)
    expect(failureOf(() => expect(server).not.toHaveOpenConnections(1))).toMatchInlineSnapshot(`
      "expect(server).not.toHaveOpenConnections(1)

      1 of 1 connection is open:
        conn 1  127.0.0.1:PORT  1 request  open"
    `)
  })
})
