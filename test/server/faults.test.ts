// Faults on demand: what real clients see when the server misbehaves, and what it records.
import { once } from 'node:events'
import { connect } from 'node:net'
import { connect as connectTls } from 'node:tls'
import { describe, expect, test } from 'vitest'
import { injectFault, type RecordedRequest } from '../../src/index.js'
import {
  closed,
  closes,
  get,
  ids,
  keepAliveAgent,
  rawSocket,
  readAll,
  rejection,
  request,
  startServer,
} from './helpers.js'

const recorded = (server: Awaited<ReturnType<typeof startServer>>, id = 1) =>
  closed(server, id).then(({ closedBy, closeReason, fault }) => ({ closedBy, closeReason, fault }))

/** What fetch threw: its message and the cause undici gave. */
async function fetchFailure(promise: Promise<unknown>): Promise<string> {
  const error = (await rejection(promise)) as Error & { cause?: NodeJS.ErrnoException }
  return `${error.name}: ${error.message} (cause: ${error.cause?.code}: ${error.cause?.message})`
}

describe("'no-response'", () => {
  test('node:http sees socket hang up (ECONNRESET)', async () => {
    const server = await startServer({ fault: () => 'no-response' })
    const error = await rejection(get(server.url))
    expect([error.code, error.message]).toEqual(['ECONNRESET', 'socket hang up'])
    expect(server.requests).toHaveLength(1)
    expect(await recorded(server)).toEqual({
      closedBy: 'server',
      closeReason: 'server-closed',
      fault: 'no-response',
    })
  })

  test('fetch sees fetch failed, caused by other side closed', async () => {
    const server = await startServer({ fault: () => 'no-response' })
    expect(await fetchFailure(fetch(server.url))).toBe(
      'TypeError: fetch failed (cause: UND_ERR_SOCKET: other side closed)',
    )
    expect((await recorded(server)).fault).toBe('no-response')
  })
})

describe("'reset'", () => {
  test('node:http sees read ECONNRESET', async () => {
    const server = await startServer({ fault: () => 'reset' })
    const error = await rejection(get(server.url))
    expect([error.code, error.message]).toEqual(['ECONNRESET', 'read ECONNRESET'])
    expect(await recorded(server)).toEqual({
      closedBy: 'server',
      closeReason: 'server-closed',
      fault: 'reset',
    })
  })

  test('fetch sees fetch failed, caused by ECONNRESET', async () => {
    const server = await startServer({ fault: () => 'reset' })
    expect(await fetchFailure(fetch(server.url))).toBe(
      'TypeError: fetch failed (cause: ECONNRESET: read ECONNRESET)',
    )
    expect((await recorded(server)).fault).toBe('reset')
  })
})

describe("'close-after-response'", () => {
  test('the client gets a whole keep-alive answer, then finds the connection closed', async () => {
    const server = await startServer({ fault: () => 'close-after-response' })
    const agent = keepAliveAgent()
    const first = await get(server.url, { agent })
    expect([first.status, first.body, first.headers.connection]).toEqual([200, 'ok', 'keep-alive'])
    expect(await recorded(server)).toEqual({
      closedBy: 'server',
      closeReason: 'server-closed',
      fault: 'close-after-response',
    })
    if (!first.socket.destroyed) await once(first.socket, 'close')
    await get(server.url, { agent })
    expect(ids(server)).toEqual([1, 2])
  })

  test('fetch reads the body, then opens a new connection', async () => {
    const server = await startServer({ fault: () => 'close-after-response' })
    expect(await (await fetch(server.url)).text()).toBe('ok')
    await closed(server, 1)
    expect(await (await fetch(server.url)).text()).toBe('ok')
    expect(ids(server)).toEqual([1, 2])
  })
})

describe('{ partialBody }', () => {
  const handler = (_req: unknown, res: import('node:http').ServerResponse) =>
    void res.writeHead(200, { 'content-type': 'text/plain' }).end('hello world')

  test('node:http gets the headers with the full length, then the body aborts', async () => {
    const server = await startServer({ handler, fault: () => ({ partialBody: 5 }) })
    const seen = await new Promise<{ length: string | undefined; body: string; error: string }>(
      (resolve, reject) => {
        request(server.url, {}, (res) => {
          let body = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => {
            body += chunk
          })
          res.on('error', (error: NodeJS.ErrnoException) =>
            resolve({
              length: res.headers['content-length'],
              body,
              error: `${error.code}: ${error.message}`,
            }),
          )
          res.on('end', () => reject(new Error('the body ended normally')))
        })
          .on('error', reject)
          .end()
      },
    )
    expect(seen).toEqual({ length: '11', body: 'hello', error: 'ECONNRESET: aborted' })
    expect(await recorded(server)).toEqual({
      closedBy: 'server',
      closeReason: 'server-closed',
      fault: 'partial-body',
    })
  })

  test('fetch gets status 200, then reading the body fails with terminated', async () => {
    const server = await startServer({ handler, fault: () => ({ partialBody: 5 }) })
    const res = await fetch(server.url)
    expect([res.status, res.headers.get('content-length')]).toEqual([200, '11'])
    expect(await fetchFailure(res.text())).toBe(
      'TypeError: terminated (cause: UND_ERR_SOCKET: other side closed)',
    )
  })

  test('with the default handler, cuts its 2-byte body', async () => {
    const server = await startServer({ fault: () => ({ partialBody: 0 }) })
    const res = await fetch(server.url)
    expect(res.headers.get('content-length')).toBe('2')
    await expect(res.text()).rejects.toThrow('terminated')
  })
})

describe('{ delay }', () => {
  test('records the request on arrival and answers after the delay', async () => {
    const server = await startServer({ fault: () => ({ delay: 100 }) })
    const answer = fetch(server.url).then((res) => res.text())
    const [request] = (await once(server, 'request')) as [RecordedRequest]
    expect(await answer).toBe('ok')
    expect(performance.now() - request.receivedAt).toBeGreaterThanOrEqual(95)
    expect(server.connections[0]?.closedAt).toBeUndefined()
    expect(server.connections[0]?.fault).toBeUndefined()
  })

  test('does not hold close() up, and the handler never runs for the closed connection', async () => {
    let answered = 0
    const server = await startServer({
      fault: () => ({ delay: 60_000 }),
      handler: (_req, res) => {
        answered++
        res.end('late')
      },
    })
    const failed = rejection(get(server.url))
    await once(server, 'request')
    const started = performance.now()
    await server.close()
    expect(performance.now() - started).toBeLessThan(1000)
    expect((await failed).message).toBe('socket hang up')
    expect(answered).toBe(0)
  })
})

describe('choosing which requests fail', () => {
  test('the picker sees connectionId and indexOnConnection: fail every second request on a connection', async () => {
    const server = await startServer({
      fault: (request) => (request.indexOnConnection === 1 ? 'no-response' : undefined),
    })
    const agent = keepAliveAgent()
    const first = await get(server.url, { agent })
    expect((await rejection(get(server.url, { agent }))).message).toBe('socket hang up')
    if (!first.socket.destroyed) await once(first.socket, 'close')
    expect((await get(server.url, { agent })).body).toBe('ok')
    expect(ids(server)).toEqual([1, 1, 2])
    expect(server.connections.map((c) => c.fault)).toEqual(['no-response', undefined])
  })

  test('injectFault() inside a handler fails just the requests it picks', async () => {
    const server = await startServer({
      handler: async (req, res) => {
        if (req.url === '/flaky') return injectFault(res, 'reset')
        res.end('ok')
      },
    })
    expect((await rejection(get(server.urlFor('/flaky')))).code).toBe('ECONNRESET')
    expect((await get(server.urlFor('/fine'))).body).toBe('ok')
    expect(server.connections.map((c) => c.fault)).toEqual(['reset', undefined])
  })

  test('injectFault() with a delay is awaited before answering', async () => {
    const server = await startServer({
      handler: async (_req, res) => {
        await injectFault(res, { delay: 50 })
        res.end('later')
      },
    })
    const started = performance.now()
    expect((await get(server.url)).body).toBe('later')
    expect(performance.now() - started).toBeGreaterThanOrEqual(45)
  })

  test('a picker that returns something else answers 500 with what was wrong', async () => {
    const server = await startServer({ fault: () => 'explode' as never })
    const answer = await get(server.url)
    expect(answer.status).toBe(500)
    expect(answer.body).toContain(
      `keepalive-kit: Failed to inject a fault: expected 'close-after-response', 'no-response', 'reset', { delay: ms } or { partialBody: bytes } with a whole number from 0, got "explode".`,
    )
  })

  test('injectFault() rejects a bad fault', async () => {
    const server = await startServer({
      handler: async (_req, res) => injectFault(res, { delay: -1 }),
    })
    expect((await get(server.url)).body).toContain('got {"delay":-1}.')
  })
})

describe('failNextReusedRequest()', () => {
  test('fails the next request on a used connection once, with no answer', async () => {
    const server = await startServer()
    const agent = keepAliveAgent()
    const first = await get(server.url, { agent })
    server.failNextReusedRequest()
    const error = await rejection(get(server.url, { agent }))
    expect([error.code, error.message]).toEqual(['ECONNRESET', 'socket hang up'])
    if (!first.socket.destroyed) await once(first.socket, 'close')
    // One-shot: the new connection and its reuse are served.
    await get(server.url, { agent })
    await get(server.url, { agent })
    expect(server.requests.map((r) => [r.connectionId, r.indexOnConnection])).toEqual([
      [1, 0],
      [1, 1],
      [2, 0],
      [2, 1],
    ])
    expect(closes(server)[0]).toBe('server server-closed')
    expect(server.connections.map((c) => c.fault)).toEqual(['no-response', undefined])
  })

  test("'reset' resets the connection instead; fetch sees ECONNRESET", async () => {
    const server = await startServer()
    // A macrotask between requests makes fetch reuse its one connection (CLIENTS.md).
    expect(await (await fetch(server.url)).text()).toBe('ok')
    await new Promise(setImmediate)
    server.failNextReusedRequest('reset')
    expect(await fetchFailure(fetch(server.url))).toBe(
      'TypeError: fetch failed (cause: ECONNRESET: read ECONNRESET)',
    )
    expect(server.requests.map((r) => r.indexOnConnection)).toEqual([0, 1])
    expect(server.connections[0]?.fault).toBe('reset')
  })

  test('leaves requests that open a connection alone', async () => {
    const server = await startServer()
    server.failNextReusedRequest()
    for (let i = 0; i < 3; i++) expect((await get(server.url, { agent: false })).body).toBe('ok')
    expect(server.connections.map((c) => c.fault)).toEqual([undefined, undefined, undefined])
  })

  test('refuses a fault that answers', async () => {
    const server = await startServer()
    expect(() => server.failNextReusedRequest('close-after-response' as never)).toThrow(
      `keepalive-kit: failNextReusedRequest() takes 'no-response' or 'reset', got "close-after-response".`,
    )
  })
})

describe('faults on a raw socket', () => {
  const twoPipelined = 'GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n'

  // Regression: a 'no-response' fault on pipelined request #2 also killed the answer to #1.
  test("'no-response' on the second of two pipelined requests lets the answer to the first go out", async () => {
    const server = await startServer({
      handler: async (_req, res) => {
        await new Promise(setImmediate)
        res.end('first')
      },
      fault: (request) => (request.indexOnConnection === 1 ? 'no-response' : undefined),
    })
    const socket = await rawSocket(server)
    const text = readAll(socket)
    socket.write(twoPipelined)
    expect(await text).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nfirst$/)
    expect(await recorded(server)).toEqual({
      closedBy: 'server',
      closeReason: 'server-closed',
      fault: 'no-response',
    })
  })

  /** A client that keeps its half of the connection open after the server's FIN. */
  async function halfOpenClient(server: Awaited<ReturnType<typeof startServer>>, bytes: string) {
    const to = { port: server.port, host: '127.0.0.1', allowHalfOpen: true }
    const socket =
      server.ca === undefined
        ? connect(to)
        : connectTls({ ...to, ca: server.ca, servername: 'localhost' })
    socket.on('error', () => {})
    await once(socket, server.ca === undefined ? 'connect' : 'secureConnect')
    socket.write(bytes)
    return socket
  }

  // Regression: after 'no-response', a client that kept its half open kept the record open for ever.
  test("'no-response' to a client that keeps its half open: the record still closes", async () => {
    const server = await startServer({ idleTimeout: 0, fault: () => 'no-response' })
    const socket = await halfOpenClient(server, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    try {
      expect(await recorded(server)).toMatchObject({ closedBy: 'server', fault: 'no-response' })
    } finally {
      socket.destroy()
    }
  }, 5000)

  // Regression: after { partialBody }, a client that kept its half open kept the record open for ever.
  test('{ partialBody } to a client that keeps its half open: the record still closes', async () => {
    const server = await startServer({ idleTimeout: 0, fault: () => ({ partialBody: 1 }) })
    const socket = await halfOpenClient(server, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    try {
      expect(await recorded(server)).toMatchObject({ closedBy: 'server', fault: 'partial-body' })
    } finally {
      socket.destroy()
    }
  }, 5000)

  // Regression: { partialBody: n } on a HEAD request wrote body bytes after the headers.
  test('{ partialBody } on a HEAD request sends the headers alone, then closes', async () => {
    const server = await startServer({
      handler: (_req, res) => void res.writeHead(200).end('hello world'),
      fault: () => ({ partialBody: 5 }),
    })
    const socket = await rawSocket(server)
    const text = readAll(socket)
    socket.write('HEAD / HTTP/1.1\r\nHost: x\r\n\r\n')
    const received = await text
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(received).toContain('\nContent-Length: 11\r\n')
    expect(received.endsWith('\r\n\r\n')).toBe(true)
    expect((await recorded(server)).fault).toBe('partial-body')
  })
})
