import { describe, expect, test } from 'vitest'
import {
  describeKeepAliveContract,
  type KeepAliveContractOptions,
} from '../../src/contract/index.js'
import { runKeepAliveScenario } from '../../src/contract/runner.js'
import { keepAliveScenarios } from '../../src/contract/scenarios.js'
import { run } from './clients.js'
import { httpsClient, retryingOnce, undiciH2Client } from './tls-clients.js'

// Every scenario passes over HTTPS, none skipped: node:https with a keepAlive agent that trusts
// the contract's CA, retrying a 5xx once after reading its body, and resuming TLS sessions.
describeKeepAliveContract('node:https keepAlive agent', {
  createClient: (target) => retryingOnce(httpsClient(target)),
  createClientWithoutKeepAlive: (target) => httpsClient(target, { keepAlive: false }),
  retriesServerErrors: true,
  tls: true,
  resumesTlsSessions: true,
})

// Over HTTP/2 (ALPN h2), undici 8 with allowH2 passes every scenario that applies; the
// `Connection: close` scenario is skipped with its reason. It does
// not resume TLS sessions, which the resumption scenario reports without failing.
describeKeepAliveContract('undici 8 allowH2, over TLS', {
  createClient: (target) => retryingOnce(undiciH2Client(target)),
  retriesServerErrors: true,
  tls: true,
  http2: true,
})

// The same over h2c (HTTP/2 in clear text, prior knowledge); no TLS, so no resumption scenario.
describeKeepAliveContract('undici 8 allowH2, h2c', {
  createClient: (target) => retryingOnce(undiciH2Client(target)),
  retriesServerErrors: true,
  http2: true,
})

describe('the contract over HTTPS and HTTP/2', () => {
  test('createClient gets the https:// URL and the CA that its certificate chains to', async () => {
    const targets: { baseUrl: string; ca: string | undefined }[] = []
    const result = await run('sequential', {
      createClient: (target) => {
        targets.push(target)
        return httpsClient(target)
      },
      tls: true,
    })
    expect(result.status).toBe('pass')
    expect(targets[0]?.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(targets[0]?.ca).toMatch(/^-----BEGIN CERTIFICATE-----\n/)
  })

  test('the scenarios with no meaning on HTTP/2 are skipped and say why', async () => {
    const options: KeepAliveContractOptions = {
      createClient: undiciH2Client,
      createClientWithoutKeepAlive: undiciH2Client,
      http2: true,
    }
    const skipped = []
    for (const scenario of keepAliveScenarios) {
      const result = await runKeepAliveScenario(scenario, options)
      if (result.status === 'skip') skipped.push(`${result.id}: ${result.message}`)
    }
    expect(skipped).toEqual([
      'client-keep-alive-off: HTTP/2 has no `Connection: close` (RFC 9113 §8.2.2 forbids the header): a client ends an h2 connection with GOAWAY, not per request',
      'retried-error: the client did not retry the 503 (the server saw the request once). Declare `retriesServerErrors: true` if it should, and this scenario fails when it does not.',
      'tls-resumption: needs `tls: true`: there is no TLS session over clear-text HTTP',
    ])
  })

  test('a client that falls back to HTTP/1.1 fails the http2 contract instead of passing as h2', async () => {
    // node:https offers no ALPN, so the h2 server answers it over HTTP/1.1.
    const result = await run('sequential', { createClient: httpsClient, tls: true, http2: true })
    expect(result.status).toBe('fail')
    expect(result.message).toContain("expect(server).toReuseConnection({ protocol: 'h2' })")
    expect(result.message).toMatch(/http\/1\.1 TLSv1\.3/)
  })

  test('a client that does not trust the CA fails with a message that says where the CA is', async () => {
    const result = await run('sequential', {
      createClient: (target) => httpsClient({ ...target, ca: undefined }),
      tls: true,
    })
    expect(result.status).toBe('fail')
    expect(result.message).toContain('request 1 of 5')
    expect(result.message).toContain('unable to verify the first certificate')
    expect(result.message).toContain(
      'The client does not trust the test certificate: give it the `ca` that createClient({ baseUrl, ca }) receives (docs/tls.md says how for each client).',
    )
  })
})

describe('the TLS session resumption scenario', () => {
  test('node:https keepAlive agent resumes its session, so it passes with resumesTlsSessions: true', async () => {
    const result = await run('tls-resumption', {
      createClient: httpsClient,
      tls: true,
      resumesTlsSessions: true,
    })
    expect(result.status).toBe('pass')
    expect(result.pattern).toBe('1,1 | 2,2 · TLS session resumed')
  })

  test('an agent that caches no session fails it with resumesTlsSessions: true, saying which connection made a full handshake', async () => {
    const result = await run('tls-resumption', {
      createClient: (target) => httpsClient(target, { maxCachedSessions: 0 }),
      tls: true,
      resumesTlsSessions: true,
    })
    expect(result.status).toBe('fail')
    expect(result.message.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')).toMatchInlineSnapshot(`
      "keepalive-kit: A client that resumes TLS sessions offers the session of its earlier connection when it opens a new one, so the new connection makes an abbreviated handshake instead of a full one.

      expect(server).toResumeTlsSession(), as declared by \`resumesTlsSessions: true\` (leave it out if your client does not resume sessions: the scenario then reports what it saw)

      4 requests used 2 TLS connections; connection 2 made a full handshake instead of resuming the session of an earlier one:
        #0  GET /resume/before/1  conn 1  127.0.0.1:PORT  http/1.1 TLSv1.3 full handshake  Connection: keep-alive
        #1  GET /resume/before/2  conn 1  127.0.0.1:PORT  http/1.1 TLSv1.3 full handshake  Connection: keep-alive
        #2  GET /resume/after/1   conn 2  127.0.0.1:PORT  http/1.1 TLSv1.3 full handshake  Connection: keep-alive
        #3  GET /resume/after/2   conn 2  127.0.0.1:PORT  http/1.1 TLSv1.3 full handshake  Connection: keep-alive

      The server (https://127.0.0.1:PORT):
      Connections:
        conn 1  127.0.0.1:PORT  2 requests  http/1.1 TLSv1.3 full handshake  closed by server (server-closed)
        conn 2  127.0.0.1:PORT  2 requests  http/1.1 TLSv1.3 full handshake  open"
    `)
  })

  test('without the flag, a client that does not resume passes, and its pattern says so', async () => {
    const result = await run('tls-resumption', {
      createClient: (target) => httpsClient(target, { maxCachedSessions: 0 }),
      tls: true,
    })
    expect(result.status).toBe('pass')
    expect(result.pattern).toBe('1,1 | 2,2 · TLS session not resumed: full handshake on conn 2')
  })

  // A client that never reuses and does not resume was told its resumption failure came from never reusing.
  test('a client that never reuses fails it for the handshake, not for the reuse root cause', async () => {
    const result = await run('tls-resumption', {
      createClient: (target) => httpsClient(target, { keepAlive: false, maxCachedSessions: 0 }),
      tls: true,
      resumesTlsSessions: true,
    })
    expect(result).toMatchObject({ status: 'fail', neverReused: false })
    expect(result.finding).toBe(
      '4 requests used 4 TLS connections; connections 2, 3, 4 made a full handshake instead of resuming the session of an earlier one',
    )
  })

  test('over clear text it is skipped, and says why', async () => {
    const result = await run('tls-resumption', { createClient: httpsClient })
    expect(result).toMatchObject({
      status: 'skip',
      message: 'needs `tls: true`: there is no TLS session over clear-text HTTP',
    })
  })

  test('undici 8 over h2 does not resume (measured with 8.12), and passes, reported, without the flag', async () => {
    const result = await run('tls-resumption', {
      createClient: undiciH2Client,
      tls: true,
      http2: true,
    })
    expect(result.status).toBe('pass')
    expect(result.pattern).toBe('1,1 | 2,2 · TLS session not resumed: full handshake on conn 2')
  })
})
