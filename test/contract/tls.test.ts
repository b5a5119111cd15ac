import { describe, expect, test } from 'vitest'
import {
  describeKeepAliveContract,
  type KeepAliveContractOptions,
  keepAliveScenarios,
  runKeepAliveScenario,
} from '../../src/contract/index.js'
import { run } from './clients.js'
import { httpsClient, retryingOnce, undiciH2Client } from './tls-clients.js'

// Every scenario passes over HTTPS, none skipped: node:https with a keepAlive agent that trusts
// the contract's CA, retrying a 5xx once after reading its body.
describeKeepAliveContract('node:https keepAlive agent', {
  createClient: (target) => retryingOnce(httpsClient(target)),
  createClientWithoutKeepAlive: (target) => httpsClient(target, { keepAlive: false }),
  retriesServerErrors: true,
  tls: true,
})

// Over HTTP/2 (ALPN h2), undici 8 with allowH2 passes every scenario that applies; the
// `Connection: close` and stale-connection scenarios are skipped with their reasons.
describeKeepAliveContract('undici 8 allowH2, over TLS', {
  createClient: (target) => retryingOnce(undiciH2Client(target)),
  retriesServerErrors: true,
  tls: true,
  http2: true,
})

// The same over h2c (HTTP/2 in clear text, prior knowledge).
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
      "stale-connection: the test server stages this race on HTTP/1.1 only (its faults cannot reach an h2 stream's socket); on HTTP/2 the server's GOAWAY names the last stream it took, so a client knows what to resend",
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
