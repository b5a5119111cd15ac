// Needs Go (Debian's golang-go): runs under `npm run test:system`, not `npm test`.
// A Go client over TLS and HTTP/2 through `check --tls --http2`: the protocol each connection
// spoke (CLIENTS.md: DefaultClient negotiates h2, a hand-made Transport offers no ALPN) and reuse.
import { beforeAll, describe, expect, test } from 'vitest'
import { normalise, runCli } from '../cli/helpers.js'
import { buildGoClient } from './go.js'

/** The request lines of check's report, ports and times normalised. */
const requestLines = (stdout: string): string[] =>
  normalise(stdout)
    .split('\n')
    .filter((line) => /^ {2}#\d/.test(line))
    .map((line) => line.trim())

describe('check --tls with a Go client', () => {
  let binary = ''
  beforeAll(() => {
    binary = buildGoClient('tls')
  }, 120_000)

  test('DefaultClient trusts the CA through SSL_CERT_FILE, negotiates h2 and reuses one session', async () => {
    const result = await runCli(['check', '--tls', '--http2', '--', binary])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(requestLines(result.stdout)).toEqual([
      '#0  GET /  h2 stream 1  conn 1  127.0.0.1:PORT  h2 TLSv1.3 full handshake',
      '#1  GET /  h2 stream 3  conn 1  127.0.0.1:PORT  h2 TLSv1.3 full handshake',
      '#2  GET /  h2 stream 5  conn 1  127.0.0.1:PORT  h2 TLSv1.3 full handshake',
    ])
    expect(result.stdout).toContain(
      'PASS  expect reuse: 3 requests used 1 connection; 2 requests reused it',
    )
  })

  test('a hand-made Transport with a TLSClientConfig offers no ALPN and speaks HTTP/1.1, reusing it', async () => {
    const result = await runCli(['check', '--tls', '--http2', '--', binary, 'transport'])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(requestLines(result.stdout)).toEqual([
      '#0  GET /  conn 1  127.0.0.1:PORT  http/1.1 TLSv1.3 full handshake  (no Connection header)',
      '#1  GET /  conn 1  127.0.0.1:PORT  http/1.1 TLSv1.3 full handshake  (no Connection header)',
      '#2  GET /  conn 1  127.0.0.1:PORT  http/1.1 TLSv1.3 full handshake  (no Connection header)',
    ])
    expect(result.stdout).toContain(
      'PASS  expect reuse: 3 requests used 1 connection; 2 requests reused it',
    )
  })

  test('reuse fails when the h2 server ends each session after one stream (--no-keep-alive)', async () => {
    const result = await runCli(['check', '--tls', '--http2', '--no-keep-alive', '--', binary])
    expect(result.code, result.stdout + result.stderr).toBe(1)
    expect(requestLines(result.stdout)).toEqual([
      '#0  GET /  h2 stream 1  conn 1  127.0.0.1:PORT  h2 TLSv1.3 full handshake',
      '#1  GET /  h2 stream 1  conn 2  127.0.0.1:PORT  h2 TLSv1.3 full handshake',
      '#2  GET /  h2 stream 1  conn 3  127.0.0.1:PORT  h2 TLSv1.3 full handshake',
    ])
    expect(result.stdout).toContain(
      'FAIL  expect reuse: 3 requests used 3 connections; none was reused',
    )
  })

  test('--expect reuse-over=h2 fails for the Transport that fell back to HTTP/1.1, passes for DefaultClient', async () => {
    const fallback = await runCli([
      'check',
      '--tls',
      '--http2',
      '--expect',
      'reuse-over=h2',
      '--',
      binary,
      'transport',
    ])
    expect(fallback.code, fallback.stdout + fallback.stderr).toBe(1)
    expect(fallback.stdout).toContain(
      'FAIL  expect reuse-over=h2: 3 requests used 1 connection; 2 requests reused it; 3 of 3 requests travelled over http/1.1, not h2',
    )
    const h2 = await runCli([
      'check',
      '--tls',
      '--http2',
      '--expect',
      'reuse-over=h2',
      '--',
      binary,
    ])
    expect(h2.code, h2.stdout + h2.stderr).toBe(0)
    expect(h2.stdout).toContain(
      'PASS  expect reuse-over=h2: 3 requests used 1 connection; 2 requests reused it; every one travelled over h2',
    )
  })
})
