// Faults over HTTP/2, each in its wire form (docs/faults.md), seen by node:http2 and undici 8.
import { once } from 'node:events'
import { type ClientHttp2Session, connect } from 'node:http2'
import { Agent, request } from 'undici'
import { describe, expect, onTestFinished, test } from 'vitest'
import type { Fault, TestServer } from '../../src/index.js'
import { createTestServer } from '../../src/index.js'
import { testCertificate } from '../../src/tls/certificate.js'
import { closed, ids } from '../server/helpers.js'
import { startTlsServer } from './helpers.js'

const { ca } = testCertificate()

async function h2Session(url: string): Promise<ClientHttp2Session> {
  const session = connect(url, { ca })
  session.on('error', () => {})
  onTestFinished(() => void session.destroy())
  await once(session, 'connect')
  return session
}

/** What node:http2 saw of one GET: `200 ok`, `error CODE` (with what came before), or `ended`. */
function h2Get(session: ClientHttp2Session): Promise<string> {
  return new Promise((resolve) => {
    const stream = session.request({ ':path': '/' })
    let seen = ''
    stream.on('response', (headers) => {
      seen = `${headers[':status']} content-length ${headers['content-length']} `
    })
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      seen += chunk
    })
    stream.on('error', (error: NodeJS.ErrnoException) =>
      resolve(`${seen}error ${error.code} ${error.message}`.trim()),
    )
    stream.on('end', () => resolve(seen === '' ? 'ended, no response' : seen))
  })
}

function undiciAgent(): Agent {
  const agent = new Agent({ connect: { ca }, allowH2: true })
  onTestFinished(() => agent.close())
  return agent
}

/** What undici saw of one GET: `200 ok` or `error CODE message`. */
async function undiciGet(agent: Agent, url: string): Promise<string> {
  try {
    const res = await request(url, { dispatcher: agent })
    return `${res.statusCode} ${await res.body.text()}`
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException
    return `error ${code} ${message}`
  }
}

/** A server that puts `fault` on the second request of each connection. */
const onSecond = (fault: Fault): Promise<TestServer> =>
  startTlsServer({ http2: true, fault: (r) => (r.indexOnConnection === 1 ? fault : undefined) })

const journal = (server: TestServer) =>
  server.connections.map(({ id, requestCount, closedBy, closeReason, fault, resetStreams }) => ({
    id,
    requestCount,
    closedBy,
    closeReason,
    fault,
    resetStreams,
  }))

describe("'no-response' over HTTP/2: GOAWAY, then the connection closed, unanswered", () => {
  test('node:http2: the stream ends with no response and no error', async () => {
    const server = await onSecond('no-response')
    const session = await h2Session(server.url)
    expect(await h2Get(session)).toBe('200 content-length 2 ok')
    const goaway = once(session, 'goaway')
    expect(await h2Get(session)).toBe('ended, no response')
    // NO_ERROR, and the faulted stream (3) named as the last one the server took.
    expect((await goaway).slice(0, 2)).toEqual([0, 3])
    await closed(server, 1)
    expect(journal(server)).toEqual([
      {
        id: 1,
        requestCount: 2,
        closedBy: 'server',
        closeReason: 'server-closed',
        fault: 'no-response',
        resetStreams: undefined,
      },
    ])
  })

  test('undici: the request fails, the next one opens a new connection', async () => {
    const server = await onSecond('no-response')
    const agent = undiciAgent()
    expect(await undiciGet(agent, server.url)).toBe('200 ok')
    expect(await undiciGet(agent, server.url)).toBe('error UND_ERR_SOCKET other side closed')
    expect(await undiciGet(agent, server.url)).toBe('200 ok')
    expect(ids(server)).toEqual([1, 1, 2])
    expect(server.connections[0]).toMatchObject({ closedBy: 'server', fault: 'no-response' })
    expect(server.connections[1]?.fault).toBeUndefined()
  })
})

describe("'reset' over HTTP/2: the TCP connection reset (RST), not a stream reset", () => {
  test('node:http2 and undici see ECONNRESET; the journal says reset', async () => {
    const server = await onSecond('reset')
    const session = await h2Session(server.url)
    expect(await h2Get(session)).toBe('200 content-length 2 ok')
    expect(await h2Get(session)).toBe('error ECONNRESET read ECONNRESET')
    const agent = undiciAgent()
    expect(await undiciGet(agent, server.url)).toBe('200 ok')
    expect(await undiciGet(agent, server.url)).toBe('error ECONNRESET read ECONNRESET')
    await closed(server, 2)
    expect(journal(server).map((c) => [c.closedBy, c.closeReason, c.fault])).toEqual([
      ['server', 'server-closed', 'reset'],
      ['server', 'server-closed', 'reset'],
    ])
  })

  test('over h2c too (clear text)', async () => {
    const server = await createTestServer({
      http2: true,
      fault: (r) => (r.indexOnConnection === 1 ? 'reset' : undefined),
    })
    onTestFinished(() => server.close())
    const session = connect(server.url)
    session.on('error', () => {})
    onTestFinished(() => void session.destroy())
    expect(await h2Get(session)).toBe('200 content-length 2 ok')
    expect(await h2Get(session)).toBe('error ECONNRESET read ECONNRESET')
    expect((await closed(server, 1)).fault).toBe('reset')
  })
})

describe("'close-after-response' over HTTP/2: the response, GOAWAY, then a full close", () => {
  test('node:http2 gets the whole response, then GOAWAY; undici moves to a new connection', async () => {
    const server = await onSecond('close-after-response')
    const session = await h2Session(server.url)
    expect(await h2Get(session)).toBe('200 content-length 2 ok')
    const goaway = once(session, 'goaway')
    expect(await h2Get(session)).toBe('200 content-length 2 ok')
    expect((await goaway).slice(0, 2)).toEqual([0, 3])
    await once(session, 'close')
    const agent = undiciAgent()
    for (let i = 0; i < 3; i++) expect(await undiciGet(agent, server.url)).toBe('200 ok')
    expect(ids(server)).toEqual([1, 1, 2, 2, 3])
    expect(journal(server).map((c) => c.fault)).toEqual([
      'close-after-response',
      'close-after-response',
      undefined,
    ])
  })
})

describe('{ partialBody } over HTTP/2: n bytes, then RST_STREAM on that stream alone', () => {
  test('the stream fails, the session stays open and carries the next request', async () => {
    const server = await onSecond({ partialBody: 1 })
    const session = await h2Session(server.url)
    expect(await h2Get(session)).toBe('200 content-length 2 ok')
    expect(await h2Get(session)).toBe(
      '200 content-length 2 oerror ERR_HTTP2_STREAM_ERROR Stream closed with error code NGHTTP2_INTERNAL_ERROR',
    )
    expect(await h2Get(session)).toBe('200 content-length 2 ok')
    const agent = undiciAgent()
    expect(await undiciGet(agent, server.url)).toBe('200 ok')
    expect(await undiciGet(agent, server.url)).toBe(
      'error UND_ERR_RES_CONTENT_LENGTH_MISMATCH Response body length does not match content-length header',
    )
    expect(await undiciGet(agent, server.url)).toBe('200 ok')
    expect(ids(server)).toEqual([1, 1, 1, 2, 2, 2])
    // Open connections, so the fault is not in `fault`: it names faults that close a connection.
    expect(journal(server)).toEqual([
      {
        id: 1,
        requestCount: 3,
        closedBy: undefined,
        closeReason: undefined,
        fault: undefined,
        resetStreams: [3],
      },
      {
        id: 2,
        requestCount: 3,
        closedBy: undefined,
        closeReason: undefined,
        fault: undefined,
        resetStreams: [3],
      },
    ])
  })

  test('the idle clock runs after the reset stream', async () => {
    const server = await startTlsServer({
      http2: true,
      idleTimeout: 100,
      fault: () => ({ partialBody: 0 }),
    })
    const session = await h2Session(server.url)
    expect(await h2Get(session)).toMatch(/NGHTTP2_INTERNAL_ERROR$/)
    expect(await closed(server, 1)).toMatchObject({
      closedBy: 'server',
      closeReason: 'idle-timeout',
    })
  })
})

describe('{ delay } over HTTP/2', () => {
  test('answers later, on the same session', async () => {
    let started = 0
    const server = await startTlsServer({ http2: true, fault: () => ({ delay: 80 }) })
    server.on('request', () => {
      started = performance.now()
    })
    const session = await h2Session(server.url)
    expect(await h2Get(session)).toBe('200 content-length 2 ok')
    expect(performance.now() - started).toBeGreaterThanOrEqual(75)
    expect(await h2Get(session)).toBe('200 content-length 2 ok')
    expect(ids(server)).toEqual([1, 1])
    expect(server.connections[0]?.fault).toBeUndefined()
  })

  test('close() does not wait for a delayed answer, and the handler is not called', async () => {
    let handled = 0
    const server = await startTlsServer({
      http2: true,
      fault: () => ({ delay: 60_000 }),
      handler: (_req, res) => {
        handled++
        res.end('late')
      },
    })
    const session = await h2Session(server.url)
    const answer = h2Get(session)
    await once(server, 'request')
    await server.close()
    expect(await answer).toMatch(/^(ended, no response|error )/)
    expect(handled).toBe(0)
  })
})

describe('failNextReusedRequest() on a reused HTTP/2 session', () => {
  test('fails a stream on a session that carried one before, not the first stream of a session', async () => {
    const server = await startTlsServer({ http2: true })
    const first = await h2Session(server.url)
    server.failNextReusedRequest()
    // The first stream of a session is not a reuse: answered.
    expect(await h2Get(first)).toBe('200 content-length 2 ok')
    expect(await h2Get(first)).toBe('ended, no response')
    const agent = undiciAgent()
    expect(await undiciGet(agent, server.url)).toBe('200 ok')
    server.failNextReusedRequest('reset')
    expect(await undiciGet(agent, server.url)).toBe('error ECONNRESET read ECONNRESET')
    // One-shot: the session after it is served.
    expect(await undiciGet(agent, server.url)).toBe('200 ok')
    expect(await undiciGet(agent, server.url)).toBe('200 ok')
    expect(server.requests.map((r) => [r.connectionId, r.streamId])).toEqual([
      [1, 1],
      [1, 3],
      [2, 1],
      [2, 3],
      [3, 1],
      [3, 3],
    ])
    expect(journal(server).map((c) => c.fault)).toEqual(['no-response', 'reset', undefined])
  })
})
