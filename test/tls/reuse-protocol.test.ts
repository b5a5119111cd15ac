import { describe, expect, test } from 'vitest'
import { createTestServer } from '../../src/index.js'
import { testCertificate } from '../../src/tls/certificate.js'
import { failureOf } from '../matchers/clients.js'
import { httpsAgent, httpsGet, startTlsServer } from './helpers.js'

const { ca } = testCertificate()

async function keepAliveOverTls() {
  const server = await startTlsServer()
  const agent = httpsAgent({ keepAlive: true, ca })
  for (let i = 0; i < 3; i++) await httpsGet(server.url, { agent })
  return server
}

describe('.toReuseConnection({ protocol })', () => {
  test("passes with { protocol: 'http/1.1' } for a node:https keep-alive agent", async () => {
    const server = await keepAliveOverTls()
    expect(server).toReuseConnection({ protocol: 'http/1.1' })
    expect(server).toReuseConnection({ protocol: 'http/1.1', maxConnections: 1 })
  })

  test("passes with { protocol: 'http/1.1' } in clear text too", async () => {
    await using server = await createTestServer()
    for (let i = 0; i < 3; i++) await fetch(server.url).then((res) => res.text())
    expect(server).toReuseConnection({ protocol: 'http/1.1' })
  })

  test("fails with { protocol: 'h2' } when the requests travelled over http/1.1", async () => {
    const server = await keepAliveOverTls()
    expect(
      failureOf(() => expect(server).toReuseConnection({ protocol: 'h2' })),
    ).toMatchInlineSnapshot(`
      "expect(server).toReuseConnection({ protocol: 'h2' })

      3 requests used 1 connection; 2 requests reused it; 3 of 3 requests travelled over http/1.1, not h2:
        #0  GET /  conn 1  127.0.0.1:PORT  http/1.1 TLSv1.3 full handshake  Connection: keep-alive
        #1  GET /  conn 1  127.0.0.1:PORT  http/1.1 TLSv1.3 full handshake  Connection: keep-alive
        #2  GET /  conn 1  127.0.0.1:PORT  http/1.1 TLSv1.3 full handshake  Connection: keep-alive

      Connections opened in this process:
        conn 1  opened by httpsGet (test/tls/helpers.ts:21)"
    `)
  })

  test('under .not, the message says every request travelled over the protocol', async () => {
    const server = await keepAliveOverTls()
    expect(() => expect(server).not.toReuseConnection({ protocol: 'http/1.1' })).toThrow(
      '3 requests used 1 connection; 2 requests reused it; every one travelled over http/1.1',
    )
  })

  test('a protocol that is neither http/1.1 nor h2 is a usage error', async () => {
    const server = await keepAliveOverTls()
    expect(() => expect(server).toReuseConnection({ protocol: 'http/2' as never })).toThrow(
      "keepalive-kit: toReuseConnection(): protocol must be 'http/1.1' or 'h2'. Received the string \"http/2\".",
    )
  })
})
