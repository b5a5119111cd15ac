import { describe, expect, test } from 'vitest'
import { MatcherUsageError } from '../../src/errors.js'
import { createTestServer } from '../../src/index.js'
import { testCertificate } from '../../src/tls/certificate.js'
import { agentSawCloses, httpsAgent, httpsGet, resumption, startTlsServer } from '../tls/helpers.js'
import { failureOf, ids } from './clients.js'

const { ca } = testCertificate()

/** Two requests from one node:https agent, with the server closing idle connections between. */
async function twoConnections(options: { maxCachedSessions?: number } = {}) {
  const server = await startTlsServer()
  const agent = httpsAgent({ keepAlive: true, ca, ...options })
  await httpsGet(server.url, { agent })
  await server.closeIdleConnections()
  await agentSawCloses(agent)
  await httpsGet(server.url, { agent })
  return server
}

describe('.toResumeTlsSession', () => {
  test('passes when a node:https keep-alive agent reconnects after closeIdleConnections()', async () => {
    const server = await twoConnections()
    expect(resumption(server)).toBe('nY')
    expect(server).toResumeTlsSession()
    expect(server.requests).toResumeTlsSession()
  })

  test('fails when the agent keeps no sessions (maxCachedSessions: 0)', async () => {
    const server = await twoConnections({ maxCachedSessions: 0 })
    expect(resumption(server)).toBe('nn')
    expect(failureOf(() => expect(server).toResumeTlsSession())).toMatchInlineSnapshot(`
      "expect(server).toResumeTlsSession()

      2 requests used 2 TLS connections; connection 2 made a full handshake instead of resuming the session of an earlier one:
        #0  GET /  conn 1  127.0.0.1:PORT  http/1.1 TLSv1.3 full handshake  Connection: keep-alive
        #1  GET /  conn 2  127.0.0.1:PORT  http/1.1 TLSv1.3 full handshake  Connection: keep-alive

      Connections opened in this process:
        conn 1–2  opened by httpsGet (test/tls/helpers.ts:21)"
    `)
  })

  test('fails when agent: false opens a connection per request', async () => {
    const server = await startTlsServer()
    for (let i = 0; i < 3; i++) await httpsGet(server.url, { agent: false, ca })
    expect(ids(server)).toEqual([1, 2, 3])
    expect(() => expect(server).toResumeTlsSession()).toThrow(
      '3 requests used 3 TLS connections; connections 2, 3 made a full handshake instead of resuming the session of an earlier one',
    )
  })
})

describe('.not.toResumeTlsSession', () => {
  test('passes when the agent keeps no sessions', async () => {
    const server = await twoConnections({ maxCachedSessions: 0 })
    expect(server).not.toResumeTlsSession()
  })

  test('fails when the agent resumed, showing the resumed connection', async () => {
    const server = await twoConnections()
    expect(failureOf(() => expect(server).not.toResumeTlsSession())).toMatchInlineSnapshot(`
      "expect(server).not.toResumeTlsSession()

      2 requests used 2 TLS connections; every one after the first (conn 1) resumed a TLS session:
        #0  GET /  conn 1  127.0.0.1:PORT  http/1.1 TLSv1.3 full handshake  Connection: keep-alive
        #1  GET /  conn 2  127.0.0.1:PORT  http/1.1 TLSv1.3 resumed         Connection: keep-alive

      Connections opened in this process:
        conn 1–2  opened by httpsGet (test/tls/helpers.ts:21)"
    `)
  })
})

describe('toResumeTlsSession() misuse', () => {
  test('one TLS connection is nothing to judge', async () => {
    const server = await startTlsServer()
    const agent = httpsAgent({ keepAlive: true, ca })
    await httpsGet(server.url, { agent })
    await httpsGet(server.url, { agent })
    expect(() => expect(server).toResumeTlsSession()).toThrow(MatcherUsageError)
    expect(() => expect(server).toResumeTlsSession()).toThrow(
      'keepalive-kit: toResumeTlsSession(): all 2 requests travelled on one TLS connection (conn 1), so there is nothing to judge: a client resumes a session on its next connection. Make it open another: await server.closeIdleConnections() between two requests, then wait until the client has seen the close (for a node agent, until agent.freeSockets is empty), as docs/tls.md shows.',
    )
  })

  test('a clear-text server has no TLS session to judge', async () => {
    await using server = await createTestServer()
    await fetch(server.url).then((res) => res.text())
    expect(() => expect(server).toResumeTlsSession()).toThrow(
      'keepalive-kit: toResumeTlsSession(): the requests travelled in clear text, so there is no TLS session to judge. Create the server with createTestServer({ tls: true }) and send the client to its https:// URL.',
    )
  })

  // A request finds its connection through the server's journal, as every verdict's does: once
  // clear() has dropped them, they are not called clear text.
  test('requests recorded before clear() say their connections are not known', async () => {
    const server = await twoConnections()
    const before = [...server.requests]
    expect(before).toResumeTlsSession()
    server.clear()
    expect(() => expect(before).toResumeTlsSession()).toThrow(
      'keepalive-kit: toResumeTlsSession(): the connections of these requests are not known (requests recorded before server.clear(), or built by hand), so there is no TLS handshake to judge. Pass the server, or requests from server.requests since its last clear().',
    )
  })

  test('a server with no requests says nothing reached it', async () => {
    const server = await startTlsServer()
    expect(() => expect(server).toResumeTlsSession()).toThrow(
      'toResumeTlsSession(): no request reached the test server',
    )
  })
})
