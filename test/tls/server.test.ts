// HTTP/1.1 over TLS: what a TLS test server records, with real clients, and how it meets clients
// that speak the wrong thing. The round-one scenarios also run over TLS (vitest.config.ts).
import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { connect as connectTcp } from 'node:net'
import { connect as connectTls, getCACertificates, setDefaultCACertificates } from 'node:tls'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest'
import { createTestServer } from '../../src/index.js'
import { testCertificate } from '../../src/tls/certificate.js'
import { requireTool } from '../cli/helpers.js'
import { closed, closes, connected, ids } from '../server/helpers.js'
import {
  agentSawCloses,
  caFile,
  httpsAgent,
  httpsGet,
  resumption,
  startTlsServer,
} from './helpers.js'

const run = promisify(execFile)
const { ca } = testCertificate()

/** A self-signed key and certificate for 127.0.0.1, as a tester might bring their own. */
async function selfSigned(): Promise<{ key: string; cert: string }> {
  const { readFile, mkdtemp } = await import('node:fs/promises')
  const { join } = await import('node:path')
  const { tmpdir } = await import('node:os')
  const dir = await mkdtemp(join(tmpdir(), 'keepalive-kit-own-'))
  // biome-ignore format: one openssl flag per line is easier to read than biome's packing
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ])
  return {
    key: await readFile(join(dir, 'key.pem'), 'utf8'),
    cert: await readFile(join(dir, 'cert.pem'), 'utf8'),
  }
}

describe('createTestServer({ tls: true })', () => {
  test('serves https:// and gives the CA to trust, the same for every server of the process', async () => {
    const a = await startTlsServer()
    const b = await startTlsServer()
    expect(a.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(a.urlFor('/x')).toBe(`${a.url}/x`)
    expect(a.ca).toBe(ca)
    expect(b.ca).toBe(ca)
    expect(a.ca).toContain('-----BEGIN CERTIFICATE-----')
  })

  test('a clear-text server has no CA', async () => {
    await using server = await createTestServer()
    expect(server.ca).toBeUndefined()
  })

  test('records the protocol and what TLS negotiated on each connection', async () => {
    const server = await startTlsServer()
    const agent = httpsAgent({ keepAlive: true, ca })
    expect(await httpsGet(server.url, { agent })).toBe('ok')
    expect(await httpsGet(server.url, { agent })).toBe('ok')
    expect(ids(server)).toEqual([1, 1])
    expect(server.connections[0]).toMatchObject({
      protocol: 'http/1.1',
      // node:https offers no ALPN (CLIENTS.md)
      tls: { version: 'TLSv1.3', alpn: false, resumed: false },
      requestCount: 2,
    })
    expect(server.requests.map((r) => r.httpVersion)).toEqual(['1.1', '1.1'])
  })

  test('a client trusting a TLS 1.2 maximum gets TLS 1.2, and the record says so', async () => {
    const server = await startTlsServer()
    await httpsGet(server.url, { ca, agent: false, maxVersion: 'TLSv1.2' })
    expect(server.connections[0]?.tls?.version).toBe('TLSv1.2')
  })

  test('an idle close over TLS is a full close, recorded as the idle timeout', async () => {
    const server = await startTlsServer({ idleTimeout: 100 })
    const agent = httpsAgent({ keepAlive: true, ca })
    await httpsGet(server.url, { agent })
    // closedAt is set on the socket's 'close': the TCP connection is gone both ways, not half-open.
    const connection = await closed(server, 1)
    expect(connection).toMatchObject({ closedBy: 'server', closeReason: 'idle-timeout' })
    await agentSawCloses(agent)
  })
})

describe('handshakes that fail', () => {
  test('a client that does not trust the CA leaves a record: tls-handshake-failed, by the client', async () => {
    const server = await startTlsServer()
    const error = await httpsGet(server.url, { agent: false }).catch(
      (e: NodeJS.ErrnoException) => e,
    )
    expect((error as NodeJS.ErrnoException).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE')
    const failed = await closed(server, 1)
    expect(failed).toMatchObject({
      closedBy: 'client',
      closeReason: 'tls-handshake-failed',
      error: 'the client closed the connection before the TLS handshake completed',
      requestCount: 0,
      protocol: undefined,
      tls: undefined,
    })
    // The next connection gets the next id: ids come from the TCP accept, not the handshake.
    await httpsGet(server.url, { ca, agent: false })
    expect(ids(server)).toEqual([2])
  })

  test('curl without the CA sends an unknown-CA alert: the record says so and how to fix it', async () => {
    requireTool('curl', 'curl')
    const server = await startTlsServer()
    const failed = await run('curl', ['--silent', server.url]).catch(
      (e: { code: number }) => e.code,
    )
    expect(failed).toBe(60) // curl: peer certificate cannot be authenticated
    expect(await closed(server, 1)).toMatchObject({
      closedBy: 'client',
      closeReason: 'tls-handshake-failed',
      error:
        'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: tlsv1 alert unknown ca (the client does not trust the certificate: give it server.ca, see docs/tls.md)',
    })
  })

  test('clear text sent to a TLS server is recorded as a failed handshake, and nothing crashes', async () => {
    const server = await startTlsServer()
    const socket = connectTcp(server.port, '127.0.0.1')
    onTestFinished(() => void socket.destroy())
    socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n')
    socket.resume()
    await once(socket, 'close')
    expect(await closed(server, 1)).toMatchObject({
      closedBy: 'server',
      closeReason: 'tls-handshake-failed',
      error:
        'ERR_SSL_HTTP_REQUEST: http request (the client sent clear-text HTTP to this https:// server)',
    })
    expect(server.requests).toEqual([])
    expect(await httpsGet(server.url, { ca, agent: false })).toBe('ok')
  })

  test('TLS sent to a clear-text server is recorded as an error on its connection', async () => {
    await using server = await createTestServer()
    const socket = connectTls({ port: server.port, host: '127.0.0.1', servername: 'localhost' })
    onTestFinished(() => void socket.destroy())
    socket.on('error', () => {})
    await new Promise((resolve) => socket.once('close', resolve))
    expect(await closed(server, 1)).toMatchObject({
      closedBy: 'server',
      closeReason: 'error',
      error: expect.stringMatching(/^HPE_/),
    })
    expect((await fetch(server.url)).status).toBe(200)
  })

  test('close() does not wait for a client stuck mid-handshake', async () => {
    const server = await startTlsServer()
    const stuck = connectTcp(server.port, '127.0.0.1')
    onTestFinished(() => void stuck.destroy())
    // The first bytes of a ClientHello record, and then nothing.
    stuck.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]))
    await connected(server, 1)
    await server.close()
    expect(closes(server)).toEqual(['server server-closed'])
  })
})

describe('bring your own certificate: tls: { key, cert }', () => {
  test('presents a self-signed certificate made with openssl, and server.ca is it', async () => {
    requireTool('openssl', 'openssl')
    const own = await selfSigned()
    const server = await startTlsServer({ tls: own })
    expect(server.ca).toBe(own.cert)
    expect(await httpsGet(server.url, { ca: server.ca, agent: false })).toBe('ok')
    expect(server.connections[0]?.tls?.version).toBe('TLSv1.3')
  })

  test('with a Buffer key and cert too', async () => {
    const own = testCertificate()
    const server = await startTlsServer({
      tls: { key: Buffer.from(own.key), cert: Buffer.from(own.cert) },
    })
    expect(server.ca).toBe(own.cert)
    expect(await httpsGet(server.url, { ca: own.ca, agent: false })).toBe('ok')
  })
})

describe('real clients over TLS', () => {
  test('a node:https keep-alive agent sends five requests over one connection', async () => {
    const server = await startTlsServer()
    const agent = httpsAgent({ keepAlive: true, ca })
    for (let i = 0; i < 5; i++) await httpsGet(server.url, { agent })
    expect(ids(server)).toEqual([1, 1, 1, 1, 1])
  })

  test('node:https with agent: false opens a connection per request, each a full handshake', async () => {
    const server = await startTlsServer()
    for (let i = 0; i < 3; i++) await httpsGet(server.url, { agent: false, ca })
    expect(ids(server)).toEqual([1, 2, 3])
    expect(server.requests.map((r) => r.connectionHeader)).toEqual(Array(3).fill('close'))
    expect(resumption(server)).toBe('nnn')
  })

  test('a keep-alive agent resumes its TLS session after the server closes idle connections', async () => {
    const server = await startTlsServer()
    const agent = httpsAgent({ keepAlive: true, ca })
    await httpsGet(server.url, { agent })
    await server.closeIdleConnections()
    await agentSawCloses(agent)
    await httpsGet(server.url, { agent })
    expect(ids(server)).toEqual([1, 2])
    expect(resumption(server)).toBe('nY')
  })

  test('an agent with maxCachedSessions: 0 never resumes', async () => {
    const server = await startTlsServer()
    const agent = httpsAgent({ keepAlive: true, ca, maxCachedSessions: 0 })
    await httpsGet(server.url, { agent })
    await server.closeIdleConnections()
    await agentSawCloses(agent)
    await httpsGet(server.url, { agent })
    expect(resumption(server)).toBe('nn')
  })

  describe('fetch, trusting the CA through tls.setDefaultCACertificates()', () => {
    const before = getCACertificates('default')
    beforeAll(() => setDefaultCACertificates([...before, ca]))
    afterAll(() => setDefaultCACertificates(before))

    test('alternates two connections, offering ALPN http/1.1', async () => {
      const server = await startTlsServer()
      for (let i = 0; i < 5; i++) expect(await (await fetch(server.url)).text()).toBe('ok')
      expect(ids(server)).toEqual([1, 2, 1, 2, 1])
      expect(server.connections.map((c) => c.tls?.alpn)).toEqual(['http/1.1', 'http/1.1'])
    })

    test('msw handlers answer over TLS', async () => {
      const { http, HttpResponse } = await import('msw')
      const server = await startTlsServer({
        handlers: [http.get('/user', ({ request }) => HttpResponse.json({ url: request.url }))],
      })
      const body = await (await fetch(server.urlFor('/user'))).json()
      expect(body).toEqual({ url: server.urlFor('/user') })
    })
  })

  test('curl --http1.1 with --cacert sends two URLs over one connection', async () => {
    requireTool('curl', 'curl')
    const server = await startTlsServer()
    const file = await caFile()
    const { stdout } = await run('curl', [
      '--silent',
      '--show-error',
      '--http1.1',
      '--cacert',
      file,
      server.url,
      server.url,
    ])
    expect(stdout).toBe('okok')
    expect(ids(server)).toEqual([1, 1])
    expect(server.connections[0]?.tls?.alpn).toBe('http/1.1')
  })
})
