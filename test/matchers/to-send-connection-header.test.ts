import { describe, expect } from 'vitest'
import { test } from '../../src/fixtures.js'
import { failureOf, keepAliveInTurn, keepAliveWithoutHeader, withoutAgent } from './clients.js'

describe('.toSendConnectionHeader', () => {
  test('passes when node:http without an agent sends Connection: close', async ({ server }) => {
    await withoutAgent(server, 3)
    expect(server).toSendConnectionHeader()
    expect(server).toSendConnectionHeader('close')
    expect(server).toSendConnectionHeader('CLOSE')
    expect(server).toSendConnectionHeader(/^close$/)
  })

  test('passes when node:http keep-alive agent sends Connection: keep-alive', async ({
    server,
  }) => {
    await keepAliveInTurn(server, 3)
    expect(server).toSendConnectionHeader('keep-alive')
  })

  test('fails when the requests sent another token', async ({ server }) => {
    await keepAliveInTurn(server, 3)
    expect(failureOf(() => expect(server).toSendConnectionHeader('close'))).toMatchInlineSnapshot(`
      "expect(server).toSendConnectionHeader('close')

      3 requests of 3 did not send a Connection header listing "close" (#0, #1, #2):
        #0  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive
        #1  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive
        #2  GET /  conn 1  127.0.0.1:PORT  Connection: keep-alive

      Connections opened in this process:
        conn 1  opened by send (test/matchers/clients.ts:14)"
    `)
  })

  test('fails when the requests sent no Connection header', async ({ server }) => {
    await keepAliveWithoutHeader(server, 3)
    expect(server.requests.map((request) => request.connectionHeader)).toEqual([
      undefined,
      undefined,
      undefined,
    ])
    expect(failureOf(() => expect(server).toSendConnectionHeader())).toMatchInlineSnapshot(`
      "expect(server).toSendConnectionHeader()

      3 requests of 3 did not send a Connection header (#0, #1, #2):
        #0  GET /  conn 1  127.0.0.1:PORT  (no Connection header)
        #1  GET /  conn 1  127.0.0.1:PORT  (no Connection header)
        #2  GET /  conn 1  127.0.0.1:PORT  (no Connection header)

      Connections opened in this process:
        conn 1  opened by send (test/matchers/clients.ts:14)"
    `)
  })

  test('fails when a header does not match the RegExp', async ({ server }) => {
    await withoutAgent(server, 1)
    expect(
      failureOf(() => expect(server).toSendConnectionHeader(/keep-alive/i)),
    ).toMatchInlineSnapshot(`
      "expect(server).toSendConnectionHeader(/keep-alive/i)

      1 request of 1 did not send a Connection header matching /keep-alive/i (#0):
        #0  GET /  conn 1  127.0.0.1:PORT  Connection: close

      Connections opened in this process:
        conn 1  opened by send (test/matchers/clients.ts:14)"
    `)
  })

  test('fails with a usage error unless given one token or a RegExp', async ({ server }) => {
    await withoutAgent(server, 1)
    expect(() =>
      expect(server).toSendConnectionHeader('keep-alive, close'),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MatcherUsageError: keepalive-kit: toSendConnectionHeader(): expected one token such as 'close' or 'keep-alive', or a RegExp. Received the string "keep-alive, close".]`,
    )
    expect(() => expect(server).toSendConnectionHeader('')).toThrowErrorMatchingInlineSnapshot(
      `[MatcherUsageError: keepalive-kit: toSendConnectionHeader(): expected one token such as 'close' or 'keep-alive', or a RegExp. Received the string "".]`,
    )
    expect(() =>
      expect(server).toSendConnectionHeader(42 as never),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MatcherUsageError: keepalive-kit: toSendConnectionHeader(): expected one token such as 'close' or 'keep-alive', or a RegExp. Received number 42.]`,
    )
  })
})

describe('.not.toSendConnectionHeader', () => {
  test('passes when the requests sent no Connection header', async ({ server }) => {
    await keepAliveWithoutHeader(server, 2)
    expect(server).not.toSendConnectionHeader()
    expect(server).not.toSendConnectionHeader('close')
  })

  test('fails when every request sent the token', async ({ server }) => {
    await withoutAgent(server, 2)
    expect(
      failureOf(() => expect(server).not.toSendConnectionHeader('close')),
    ).toMatchInlineSnapshot(`
      "expect(server).not.toSendConnectionHeader('close')

      all 2 requests sent a Connection header listing "close":
        #0  GET /  conn 1  127.0.0.1:PORT  Connection: close
        #1  GET /  conn 2  127.0.0.1:PORT  Connection: close

      Connections opened in this process:
        conn 1–2  opened by send (test/matchers/clients.ts:14)"
    `)
  })
})
