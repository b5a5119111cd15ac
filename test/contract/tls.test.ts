import { describe, expect, test } from 'vitest'
import {
  describeKeepAliveContract,
  type KeepAliveContractOptions,
} from '../../src/contract/index.js'
import { runKeepAliveScenario } from '../../src/contract/runner.js'
import { keepAliveScenarios } from '../../src/contract/scenarios.js'
import { keepAliveClient, run } from './clients.js'
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

// Bug: a client that does not speak HTTPS got ERR_INVALID_PROTOCOL (or "socket hang up") in
// every scenario, with no word that the servers were https:// or how to fix the client.
describe('a client that does not speak HTTPS under tls: true', () => {
  const fix =
    'Make the client send its requests to the `baseUrl` that createClient({ baseUrl, ca }) receives, over HTTPS (node:https rather than node:http, fetch, undici), and trust the `ca` it receives'

  test('node:http, which rejects the https:// URL, is told the servers are HTTPS and what to do', async () => {
    const result = await run('sequential', { createClient: keepAliveClient, tls: true })
    expect(result).toMatchObject({ status: 'fail', finding: 'the client does not speak HTTPS' })
    expect(result.message).toContain(
      'keepalive-kit: The contract runs over HTTPS (`tls: true`): every server is https:// and speaks only TLS.\n\nBut the client does not speak HTTPS: it rejected the https:// URL: TypeError [ERR_INVALID_PROTOCOL]: Protocol "https:" not supported. Expected "http:".\n',
    )
    expect(result.message).toContain(fix)
  })

  test('a client that sends clear-text HTTP to the https:// port is told the same, from what the server recorded', async () => {
    const result = await run('sequential', {
      createClient: () => {
        const client = keepAliveClient()
        return { request: (url) => client.request(url.replace('https:', 'http:')) }
      },
      tls: true,
    })
    expect(result).toMatchObject({ status: 'fail', finding: 'the client does not speak HTTPS' })
    expect(result.message).toContain(
      'But the client does not speak HTTPS: it sent clear-text HTTP to the https:// server (conn 1: the TLS handshake failed with ERR_SSL_HTTP_REQUEST), and its request failed: ',
    )
    expect(result.message).toContain(fix)
  })

  test('a client that speaks HTTPS but fails for another reason gets no such message', async () => {
    const result = await run('sequential', {
      createClient: (target) => httpsClient({ ...target, ca: undefined }),
      tls: true,
    })
    expect(result.status).toBe('fail')
    expect(result.message).not.toContain('does not speak HTTPS')
  })

  test('describeKeepAliveContract says it once, then one line per scenario it explains', async () => {
    const bodies: (() => Promise<void>)[] = []
    describeKeepAliveContract('node:http', {
      createClient: keepAliveClient,
      tls: true,
      runner: { describe: (_, body) => body(), test: (_, body) => bodies.push(body) },
    })
    const outcomes: string[] = []
    for (const body of bodies)
      outcomes.push(
        await body().then(
          () => 'passed',
          (error: Error) => error.message,
        ),
      )
    const failed = outcomes.filter((outcome) => outcome !== 'passed')
    expect(failed[0]).toContain('But the client does not speak HTTPS')
    expect(failed.slice(1).length).toBeGreaterThan(5)
    for (const outcome of failed.slice(1))
      expect(outcome.split('\n\n')[1]).toBe(
        'keepalive-kit: same root cause as "1. sequential requests reuse connections": the client does not speak HTTPS. Fix that first; what to do is under that scenario.',
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
