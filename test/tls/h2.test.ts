// HTTP/2 over TLS: ALPN h2 for clients that offer it, HTTP/1.1 for the others, on one port.
import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { connect } from 'node:http2'
import { promisify } from 'node:util'
import { Agent, request } from 'undici'
import { describe, expect, onTestFinished, test } from 'vitest'
import { testCertificate } from '../../src/tls/certificate.js'
import { requireTool } from '../cli/helpers.js'
import { failureOf } from '../matchers/clients.js'
import { closed, closes, ids } from '../server/helpers.js'
import { caFile, h2Get, h2Session, httpsAgent, httpsGet, startTlsServer } from './helpers.js'

const run = promisify(execFile)
const { ca } = testCertificate()

/** An undici 8 agent (HTTP/2 by default) trusting the test CA. */
function undiciAgent(): Agent {
  const agent = new Agent({ connect: { ca } })
  onTestFinished(() => agent.close())
  return agent
}

const undiciGet = async (agent: Agent, url: string): Promise<string> =>
  (await request(url, { dispatcher: agent })).body.text()

describe('createTestServer({ tls: true, http2: true })', () => {
  test('node:http2 sends two requests as two streams of one session', async () => {
    const server = await startTlsServer({ http2: true })
    const session = await h2Session(server.url)
    expect(await h2Get(session)).toBe('ok')
    expect(await h2Get(session, '/b')).toBe('ok')
    expect(ids(server)).toEqual([1, 1])
    expect(server.requests.map((r) => [r.streamId, r.httpVersion, r.indexOnConnection])).toEqual([
      [1, '2.0', 0],
      [3, '2.0', 1],
    ])
    expect(server.connections[0]).toMatchObject({
      protocol: 'h2',
      tls: { version: 'TLSv1.3', alpn: 'h2', resumed: false },
    })
    expect(server).toReuseConnection({ protocol: 'h2', maxConnections: 1 })
    // One after the other: never two streams in flight.
    expect(server.connections[0]?.maxInFlight).toBe(1)
  })

  test('announces SETTINGS_MAX_CONCURRENT_STREAMS', async () => {
    const server = await startTlsServer({ http2: true })
    const session = connect(server.url, { ca })
    onTestFinished(() => void session.destroy())
    const [settings] = (await once(session, 'remoteSettings')) as [{ maxConcurrentStreams: number }]
    expect(settings.maxConcurrentStreams).toBe(100)
  })

  test('a client that offers no ALPN (node:https) gets HTTP/1.1 on the same port', async () => {
    const server = await startTlsServer({ http2: true })
    const agent = httpsAgent({ keepAlive: true, ca })
    for (let i = 0; i < 2; i++) expect(await httpsGet(server.url, { agent })).toBe('ok')
    expect(server.connections[0]).toMatchObject({ protocol: 'http/1.1', tls: { alpn: false } })
    expect(server.requests.map((r) => [r.httpVersion, r.streamId])).toEqual([
      ['1.1', undefined],
      ['1.1', undefined],
    ])
    expect(server).toReuseConnection({ protocol: 'http/1.1' })
    expect(failureOf(() => expect(server).toReuseConnection({ protocol: 'h2' }))).toContain(
      '2 of 2 requests travelled over http/1.1, not h2',
    )
  })

  test('undici 8 sends five concurrent requests as five streams in flight on one connection', async () => {
    // Answers nothing until all five have arrived, so all five are in flight together.
    const held: (() => void)[] = []
    const server = await startTlsServer({
      http2: true,
      handler: (_req, res) => {
        held.push(() => res.end('ok'))
        if (held.length === 5) for (const release of held) release()
      },
    })
    const agent = undiciAgent()
    const bodies = await Promise.all(Array.from({ length: 5 }, () => undiciGet(agent, server.url)))
    expect(bodies).toEqual(Array(5).fill('ok'))
    expect(ids(server)).toEqual([1, 1, 1, 1, 1])
    expect(server.requests.map((r) => r.streamId)).toEqual([1, 3, 5, 7, 9])
    expect(server.connections[0]?.maxInFlight).toBe(5)
    expect(server).toReuseConnection({ protocol: 'h2', maxConnections: 1 })
  })

  test('the timeline shows h2 on each request', async () => {
    const server = await startTlsServer({ http2: true })
    const session = await h2Session(server.url)
    await h2Get(session)
    expect(failureOf(() => expect(server).not.toOpenNewSocketPerRequest())).toContain(
      '#0  GET /  h2 stream 1  conn 1  127.0.0.1:PORT  h2 TLSv1.3 full handshake',
    )
  })
})

describe('server behaviours over HTTP/2', () => {
  test('keepAlive: false ends each session with GOAWAY after its first response', async () => {
    const server = await startTlsServer({ http2: true, keepAlive: false })
    const agent = undiciAgent()
    for (let i = 0; i < 3; i++) expect(await undiciGet(agent, server.url)).toBe('ok')
    expect(ids(server)).toEqual([1, 2, 3])
    for (const id of [1, 2, 3]) await closed(server, id)
    expect(closes(server)).toEqual(Array(3).fill('server keep-alive-disabled'))
  })

  test('maxRequestsPerConnection: 2 ends a session after two streams', async () => {
    const server = await startTlsServer({ http2: true, maxRequestsPerConnection: 2 })
    const agent = undiciAgent()
    for (let i = 0; i < 5; i++) expect(await undiciGet(agent, server.url)).toBe('ok')
    expect(ids(server)).toEqual([1, 1, 2, 2, 3])
    await closed(server, 2)
    expect(closes(server).slice(0, 2)).toEqual(['server max-requests', 'server max-requests'])
  })

  test('an idle session is closed after exactly idleTimeout, fully', async () => {
    const server = await startTlsServer({ http2: true, idleTimeout: 100 })
    const session = await h2Session(server.url)
    const sessionClosed = once(session, 'close')
    const goaway = once(session, 'goaway')
    await h2Get(session)
    const answered = performance.now()
    const connection = await closed(server, 1)
    expect(connection).toMatchObject({ closedBy: 'server', closeReason: 'idle-timeout' })
    // Exact: our own timer, not node's (which fires a second late); a wide margin for a busy CI.
    expect((connection.closedAt ?? 0) - answered).toBeLessThan(600)
    // A final GOAWAY (NO_ERROR) tells the client the session is over before the socket goes.
    const [code] = (await goaway) as [number]
    expect(code).toBe(0)
    await sessionClosed
  })

  test('closeIdleConnections() closes idle sessions only', async () => {
    let release: () => void = () => {}
    const server = await startTlsServer({
      http2: true,
      handler: (req, res) => {
        if (req.url === '/hold') release = () => res.end('late')
        else res.end('ok')
      },
    })
    const idle = await h2Session(server.url)
    await h2Get(idle)
    const busy = await h2Session(server.url)
    const held = h2Get(busy, '/hold')
    while (server.requests.length < 2) await once(server, 'request')
    await server.closeIdleConnections()
    expect(server.openConnections.map((c) => c.id)).toEqual([2])
    release()
    expect(await held).toBe('late')
  })

  test('close() does not wait for an open session', async () => {
    const server = await startTlsServer({ http2: true })
    const session = await h2Session(server.url)
    const goaway = once(session, 'goaway')
    await h2Get(session)
    await server.close()
    expect(closes(server)).toEqual(['server server-closed'])
    await goaway
  })

  test('close() does not wait for a stream the handler never answers', async () => {
    const server = await startTlsServer({ http2: true, handler: () => {} })
    const session = await h2Session(server.url)
    const unanswered = h2Get(session).catch((error: NodeJS.ErrnoException) => error.code)
    await once(server, 'request')
    await server.close()
    expect(closes(server)).toEqual(['server server-closed'])
    // The client's stream ends without an answer (empty, or an HTTP/2 error): never 'ok'.
    expect(await unanswered).not.toBe('ok')
  })

  test('curl --http2 sends two URLs over one connection', async () => {
    requireTool('curl', 'curl')
    const server = await startTlsServer({ http2: true })
    const file = await caFile()
    const { stdout } = await run('curl', [
      '-sS',
      '--http2',
      '--cacert',
      file,
      server.url,
      server.url,
    ])
    expect(stdout).toBe('okok')
    expect(ids(server)).toEqual([1, 1])
    expect(server.connections[0]?.tls?.alpn).toBe('h2')
  })
})

describe('connections that carried no request', () => {
  test('are listed under the timeline when a server subject fails', async () => {
    const server = await startTlsServer({ http2: true })
    // An ALPN probe, as got and Go open on h2: a session that never sends a request.
    const probe = await h2Session(server.url)
    const used = await h2Session(server.url)
    await h2Get(used)
    await h2Get(used)
    probe.destroy()
    await closed(server, 1)
    expect(failureOf(() => expect(server).not.toReuseConnection())).toMatchInlineSnapshot(`
      "expect(server).not.toReuseConnection()

      2 requests used 1 connection; 1 request reused it:
        #0  GET /  h2 stream 1  conn 2  127.0.0.1:PORT  h2 TLSv1.3 full handshake
        #1  GET /  h2 stream 3  conn 2  127.0.0.1:PORT  h2 TLSv1.3 full handshake

      Connections opened in this process:
        conn 1–2  opened by h2Session (test/tls/helpers.ts:56)

      What the server recorded:
        - 1 connection carried no request (connection 1)

      1 connection completed a TLS handshake but carried no request:
        conn 1  127.0.0.1:PORT  0 requests  h2 TLSv1.3 full handshake  closed by client (client-closed)"
    `)
  })
})

describe('got with http2: true', () => {
  const gotClient = async (ca: string | undefined) => {
    const { default: got } = await import('got')
    return got.extend({ http2: true, https: { certificateAuthority: ca ?? '' } })
  }

  test('sends sequential requests as streams of one connection', async () => {
    const server = await startTlsServer({ http2: true })
    const client = await gotClient(server.ca)
    for (let i = 0; i < 3; i++) expect(await client(server.url).text()).toBe('ok')
    expect(server.requests.map((r) => [r.connectionId, r.streamId])).toEqual([
      [1, 1],
      [1, 3],
      [1, 5],
    ])
    expect(server).toReuseConnection({ protocol: 'h2', maxConnections: 1 })
  })

  test('opens five connections for a burst of five and uses one (CLIENTS.md)', async () => {
    const server = await startTlsServer({ http2: true })
    const client = await gotClient(server.ca)
    await Promise.all(Array.from({ length: 5 }, () => client(server.url).text()))
    expect(ids(server)).toEqual([1, 1, 1, 1, 1])
    expect(server.connections.map((c) => c.requestCount)).toEqual([5, 0, 0, 0, 0])
    // The spare connections close once got sees it has one; some before their handshake ends.
    const probes = server.connections.filter((c) => c.requestCount === 0 && c.tls !== undefined)
    if (probes.length > 0)
      expect(failureOf(() => expect(server).not.toReuseConnection())).toContain(
        `${probes.length === 1 ? '1 connection' : `${probes.length} connections`} completed a TLS handshake but carried no request:`,
      )
  })
})
