// The journal against the wire, on raw sockets: what the server records must be what it answered,
// for pipelined requests and for the requests node answers without a 'request' event.
import { describe, expect, test } from 'vitest'
import type { TestServer } from '../../src/index.js'
import { allClosed, rawSocket, readAll, startServer } from './helpers.js'

const get = (path: string, headers = 'Host: x\r\n'): string =>
  `GET ${path} HTTP/1.1\r\n${headers}\r\n`

/** Sends `bytes` on a new connection; resolves with what the server sent once both ends closed. */
async function wire(server: TestServer, bytes: string): Promise<string> {
  const socket = await rawSocket(server)
  const text = readAll(socket)
  socket.write(bytes)
  const received = await text
  await allClosed(server)
  return received
}

/** The status of every response on the wire, in order. */
const statuses = (text: string): string[] =>
  [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => match[1] ?? '')

/** Each recorded request as `url@indexOnConnection`. */
const journal = (server: TestServer): string[] =>
  server.requests.map((request) => `${request.url}@${request.indexOnConnection}`)

describe('pipelined requests and bad bytes', () => {
  // Regression: a 400 for bad bytes took the place of a queued pipelined answer on the wire.
  test('bad bytes behind two pipelined requests cut the connection; no 400 replaces an answer', async () => {
    const server = await startServer({ idleTimeout: 100 })
    const received = await wire(server, `${get('/a')}${get('/b')}\x01bad\r\n\r\n`)
    expect(statuses(received)).not.toContain('400')
    // /b was received, so it is recorded; the connection was cut before its answer went out.
    expect(journal(server)).toEqual(['/a@0', '/b@1'])
    expect(statuses(received)).toEqual(['200'])
    expect(server.connections[0]).toMatchObject({ closedBy: 'server', closeReason: 'error' })
  })

  // Regression: a request after `Connection: close` got a 400 that took the place of the queued answers.
  test('a request after one that says Connection: close is not read; the answers before it all go out', async () => {
    const server = await startServer({ idleTimeout: 100 })
    const received = await wire(
      server,
      `${get('/a')}${get('/b')}${get('/c', 'Host: x\r\nConnection: close\r\n')}${get('/d')}`,
    )
    expect(statuses(received)).toEqual(['200', '200', '200'])
    expect(journal(server)).toEqual(['/a@0', '/b@1', '/c@2'])
    expect(server.connections[0]).toMatchObject({
      requestCount: 3,
      closedBy: 'server',
      closeReason: 'client-asked',
      error: undefined,
    })
  })

  test('a broken body of the request that says Connection: close is still an error, and cuts its streaming answer', async () => {
    const server = await startServer({
      handler: (req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' })
        res.write('partial;')
        req.on('close', () => res.end())
      },
    })
    const received = await wire(
      server,
      'POST /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    )
    expect(statuses(received)).not.toContain('400')
    expect(server.connections[0]).toMatchObject({ closeReason: 'error' })
    expect(server.connections[0]?.error).toMatch(/^HPE_INVALID_CHUNK_SIZE: /)
  })

  test('bad bytes after a complete answer are answered 400 after it, as node does', async () => {
    const server = await startServer({ idleTimeout: 100 })
    const socket = await rawSocket(server)
    const text = readAll(socket)
    socket.write(get('/a'))
    await new Promise((resolve) => server.once('request', resolve))
    socket.write('\x01bad\r\n\r\n')
    expect(statuses(await text)).toEqual(['200', '400'])
    await allClosed(server)
    expect(journal(server)).toEqual(['/a@0'])
  })
})

describe('requests pipelined after the server decided to close', () => {
  // Regression: requests pipelined after the closing answer were recorded and counted, never answered.
  test('maxRequestsPerConnection: 2 with five pipelined: two are recorded, counted and answered', async () => {
    let handled = 0
    const server = await startServer({
      maxRequestsPerConnection: 2,
      handler: (_req, res) => {
        handled++
        res.end('ok')
      },
    })
    const received = await wire(server, ['/1', '/2', '/3', '/4', '/5'].map((p) => get(p)).join(''))
    expect(statuses(received)).toEqual(['200', '200'])
    expect(journal(server)).toEqual(['/1@0', '/2@1'])
    expect(handled).toBe(2)
    expect(server.connections[0]).toMatchObject({ requestCount: 2, closeReason: 'max-requests' })
  })

  test('keepAlive: false with three pipelined: one is recorded and answered', async () => {
    const server = await startServer({ keepAlive: false })
    const received = await wire(server, get('/1') + get('/2') + get('/3'))
    expect(statuses(received)).toEqual(['200'])
    expect(journal(server)).toEqual(['/1@0'])
    expect(server.connections[0]).toMatchObject({
      requestCount: 1,
      closeReason: 'keep-alive-disabled',
    })
  })

  test("a 'no-response' fault on the second of three: the third is not recorded", async () => {
    const server = await startServer({
      fault: (request) => (request.indexOnConnection === 1 ? 'no-response' : undefined),
    })
    const received = await wire(server, get('/1') + get('/2') + get('/3'))
    expect(statuses(received)).toEqual(['200'])
    expect(journal(server)).toEqual(['/1@0', '/2@1'])
    expect(server.connections[0]).toMatchObject({ requestCount: 2, fault: 'no-response' })
  })
})

describe('requests node would answer without a request event', () => {
  // Regression: an HTTP/1.1 request without Host got node's 400 and left no record, no error.
  test('an HTTP/1.1 request without Host is recorded, answered 400, and the connection closed as an error', async () => {
    let handled = 0
    const server = await startServer({
      handler: (_req, res) => {
        handled++
        res.end('ok')
      },
    })
    const received = await wire(server, `GET /nohost HTTP/1.1\r\n\r\n${get('/after')}`)
    expect(statuses(received)).toEqual(['400'])
    expect(received).toMatch(/\r\nConnection: close\r\n/)
    expect(journal(server)).toEqual(['/nohost@0'])
    expect(handled).toBe(0)
    expect(server.connections[0]).toMatchObject({
      requestCount: 1,
      closedBy: 'server',
      closeReason: 'error',
      error: 'HTTP/1.1 request without a Host header, answered 400',
    })
  })

  test('an HTTP/1.0 request without Host is answered by the handler', async () => {
    const server = await startServer()
    expect(statuses(await wire(server, 'GET /old HTTP/1.0\r\n\r\n'))).toEqual(['200'])
    expect(journal(server)).toEqual(['/old@0'])
  })

  // Regression: `Expect: bogus` got node's 417 unrecorded, so the next request was numbered 0, not reused.
  test('an unknown Expect is recorded and answered 417; the next request on the connection is numbered 1', async () => {
    const server = await startServer({ idleTimeout: 100 })
    const received = await wire(server, get('/e', 'Host: x\r\nExpect: bogus\r\n') + get('/b'))
    expect(statuses(received)).toEqual(['417', '200'])
    expect(server.requests.map((r) => [r.url, r.indexOnConnection, r.reusedConnection])).toEqual([
      ['/e', 0, false],
      ['/b', 1, true],
    ])
    expect(server.connections[0]).toMatchObject({ requestCount: 2, closeReason: 'idle-timeout' })
  })

  // Regression: CONNECT got no answer and no record; the journal showed a silent connection.
  test('CONNECT is recorded and refused with a 501 that says the server is not a proxy', async () => {
    const server = await startServer()
    const received = await wire(
      server,
      'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
    )
    expect(statuses(received)).toEqual(['501'])
    expect(received).toContain(
      'keepalive-kit: CONNECT example.com:443 refused: the test server is not a proxy. Send requests to server.url directly, without a proxy.',
    )
    expect(server.requests.map((r) => [r.method, r.url])).toEqual([['CONNECT', 'example.com:443']])
    expect(server.connections[0]).toMatchObject({
      requestCount: 1,
      closedBy: 'server',
      closeReason: 'error',
      error: 'CONNECT example.com:443 refused: the test server is not a proxy',
    })
  })

  test('CONNECT pipelined behind a request waits for its answer, then is refused', async () => {
    const server = await startServer({
      handler: async (_req, res) => {
        await new Promise(setImmediate)
        res.end('ok')
      },
    })
    const received = await wire(server, `${get('/a')}CONNECT example.com:443 HTTP/1.1\r\n\r\n`)
    expect(statuses(received)).toEqual(['200', '501'])
    expect(journal(server)).toEqual(['/a@0', 'example.com:443@1'])
  })

  test('an Upgrade request is an ordinary request: recorded and answered by the handler', async () => {
    const server = await startServer({ idleTimeout: 100 })
    const socket = await rawSocket(server)
    const text = readAll(socket)
    socket.write(get('/ws', 'Host: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n'))
    await new Promise((resolve) => socket.once('data', resolve))
    socket.write(get('/next'))
    expect(statuses(await text)).toEqual(['200', '200'])
    await allClosed(server)
    expect(journal(server)).toEqual(['/ws@0', '/next@1'])
  })

  test('bytes pipelined behind an Upgrade request are not read: node stops parsing there', async () => {
    const server = await startServer({ idleTimeout: 100 })
    const received = await wire(
      server,
      get('/ws', 'Host: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n') + get('/next'),
    )
    expect(statuses(received)).toEqual(['200'])
    expect(journal(server)).toEqual(['/ws@0'])
    expect(server.connections[0]).toMatchObject({ closeReason: 'idle-timeout' })
  })
})

describe('the Connection header is a token list', () => {
  // Regression: `Connection: close-later` matched `close` as a substring and counted as client-asked.
  test('HTTP/1.1 `Connection: close-later` does not ask to close', async () => {
    const server = await startServer({ idleTimeout: 100 })
    const received = await wire(server, get('/a', 'Host: x\r\nConnection: close-later\r\n'))
    expect(received).toMatch(/\r\nConnection: keep-alive\r\n/)
    expect(server.connections[0]).toMatchObject({ closedBy: 'server', closeReason: 'idle-timeout' })
  })

  // Regression: HTTP/1.0 `Connection: not-keep-alive` matched `keep-alive` and was put down to the server.
  test('HTTP/1.0 `Connection: not-keep-alive` asks to close', async () => {
    const server = await startServer()
    const received = await wire(server, 'GET /a HTTP/1.0\r\nConnection: not-keep-alive\r\n\r\n')
    expect(received).toMatch(/\r\nConnection: close\r\n/)
    expect(server.connections[0]).toMatchObject({ closedBy: 'server', closeReason: 'client-asked' })
  })
})
