import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestServer, type TestServer } from '../../src/index.js'
import { exchange } from './helpers.js'

// One server for the whole corpus: the point is that it survives every case and keeps recording.
let server: TestServer
beforeAll(async () => {
  server = await createTestServer({ idleTimeout: 200 })
})
afterAll(() => server.close())

const wellFormed = (path: string): string =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`

/** After every case: the server still answers and records an ordinary request. */
async function expectStillRecording(path: string): Promise<void> {
  const before = server.requests.length
  const { connection, received } = await exchange(server, wellFormed(path))
  expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nok$/)
  expect(server.requests.length).toBe(before + 1)
  expect(server.requests.at(-1)).toMatchObject({ url: path, connectionId: connection.id })
  expect(connection).toMatchObject({ requestCount: 1, closeReason: 'client-asked' })
}

const malformed: { name: string; bytes: string | Uint8Array; status: string }[] = [
  {
    name: 'garbage bytes',
    bytes: new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x0d, 0x0a, 0x0d, 0x0a]),
    status: '400',
  },
  { name: 'printable garbage', bytes: 'hello there\r\n\r\n', status: '400' },
  {
    name: 'a request line with an empty version',
    bytes: 'GET / \r\nHost: x\r\n\r\n',
    status: '400',
  },
  { name: 'an unknown version', bytes: 'GET / HTTP/7.5\r\nHost: x\r\n\r\n', status: '400' },
  {
    name: 'headers over 16 KiB',
    bytes: `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`,
    status: '431',
  },
  {
    name: 'a NUL byte in a header value',
    bytes: 'GET / HTTP/1.1\r\nHost: x\r\nX-Nul: a\0b\r\n\r\n',
    status: '400',
  },
  { name: 'a NUL byte in the path', bytes: 'GET /a\0b HTTP/1.1\r\nHost: x\r\n\r\n', status: '400' },
  { name: 'bare LF line endings', bytes: 'GET / HTTP/1.1\nHost: x\n\n', status: '400' },
  { name: 'a space before the colon', bytes: 'GET / HTTP/1.1\r\nHost : x\r\n\r\n', status: '400' },
  {
    name: 'both Content-Length and Transfer-Encoding',
    bytes:
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    status: '400',
  },
  {
    name: 'a negative Content-Length',
    bytes: 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
    status: '400',
  },
]

describe('a malformed request', () => {
  test.for(malformed)(
    '$name is answered $status, recorded as an error, and the server keeps going',
    async ({ name, bytes, status }) => {
      const { connection, received } = await exchange(server, bytes)
      expect(
        received.startsWith(`HTTP/1.1 ${status} `),
        `${name}: ${JSON.stringify(received.slice(0, 80))}`,
      ).toBe(true)
      expect(connection).toMatchObject({
        closedBy: 'server',
        closeReason: 'error',
        requestCount: 0,
      })
      expect(connection.error).toMatch(/^HPE_[A-Z_]+: /)
      if (process.env.RELIABILITY_REPORT) console.log(`${name}: ${status}, ${connection.error}`)
      await expectStillRecording(`/after-${name.replaceAll(/\W+/g, '-')}`)
    },
  )
})

describe('a request node parses in pieces', () => {
  test('three pipelined requests in one write are all recorded, numbered 0, 1, 2 on their connection', async () => {
    const request = (path: string, last = false): string =>
      `GET ${path} HTTP/1.1\r\nHost: x\r\n${last ? 'Connection: close\r\n' : ''}\r\n`
    const { connection, received } = await exchange(
      server,
      request('/pipelined-0') + request('/pipelined-1') + request('/pipelined-2', true),
    )
    const mine = server.requests.filter((each) => each.connectionId === connection.id)
    expect(mine.map((each) => [each.url, each.indexOnConnection, each.reusedConnection])).toEqual([
      ['/pipelined-0', 0, false],
      ['/pipelined-1', 1, true],
      ['/pipelined-2', 2, true],
    ])
    expect(received.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(3)
    expect(connection).toMatchObject({ requestCount: 3, closeReason: 'client-asked' })
  })

  test('a request followed at once by a half-close is still answered and recorded', async () => {
    const { connection, received } = await exchange(
      server,
      'GET /half-closed HTTP/1.1\r\nHost: x\r\n\r\n',
      { end: true },
    )
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nok$/)
    expect(server.requests.at(-1)).toMatchObject({
      url: '/half-closed',
      connectionId: connection.id,
    })
    expect(connection).toMatchObject({
      requestCount: 1,
      closedBy: 'client',
      closeReason: 'client-closed',
    })
  })

  test('a chunked body that breaks after the answer is recorded: the request, then the error', async () => {
    const { connection, received } = await exchange(
      server,
      'POST /bad-chunk HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n',
    )
    // The default handler answers before the body is read, as node's own server would; the
    // parse error then closes the connection with a 400, as node's own server would.
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*okHTTP\/1\.1 400 Bad Request\r\n/)
    expect(server.requests.at(-1)).toMatchObject({ url: '/bad-chunk', connectionId: connection.id })
    expect(connection).toMatchObject({ requestCount: 1, closedBy: 'server', closeReason: 'error' })
    expect(connection.error).toMatch(/^HPE_INVALID_CHUNK_SIZE: /)
    await expectStillRecording('/after-bad-chunk')
  })

  // Regression: a parse error while a response was being written spliced a raw 400 into its body.
  test('a chunked body that breaks while the answer is being written does not splice a 400 into it', async () => {
    await using streaming = await createTestServer({
      handler: (req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' })
        res.write('partial;')
        req.on('close', () => res.end())
      },
    })
    const { connection, received } = await exchange(
      streaming,
      'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n0\r\n\r\n',
    )
    expect(connection).toMatchObject({ closedBy: 'server', closeReason: 'error' })
    expect(received).not.toContain('400 Bad Request')
  })

  test('a request line without any version is taken as HTTP/0.9, answered, and the connection closed', async () => {
    const { connection, received } = await exchange(server, 'GET /http-0.9\r\n\r\n')
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Connection: close\r\n/)
    expect(server.requests.at(-1)).toMatchObject({ url: '/http-0.9', httpVersion: '0.9' })
    expect(connection).toMatchObject({ requestCount: 1, closedBy: 'server' })
  })

  // Regression: the close after an HTTP/0.9 request was recorded as 'server-closed', which is
  // reserved for close(), closeIdleConnections() and closeClientConnections().
  test('the close after an HTTP/0.9 request is put down to the client', async () => {
    const { connection } = await exchange(server, 'GET /http-0.9-reason\r\n\r\n')
    expect(connection.closeReason).toBe('client-asked')
  })
})

describe('request lines node accepts that are not plain HTTP/1.x', () => {
  test('an HTTP/0.9 line ended by one CRLF gets no answer: node waits for more, and the idle clock closes it', async () => {
    const { connection, received } = await exchange(server, 'GET /\r\n')
    expect(received).toBe('')
    expect(connection).toMatchObject({ requestCount: 0, closeReason: 'idle-timeout' })
  })

  test('an HTTP/2.0 request line is answered over HTTP/1.1, recorded as 2.0, and closed as client-asked', async () => {
    const { connection, received } = await exchange(
      server,
      'GET /h2-line HTTP/2.0\r\nHost: x\r\n\r\n',
    )
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Connection: close\r\n/)
    expect(server.requests.at(-1)).toMatchObject({ url: '/h2-line', httpVersion: '2.0' })
    expect(connection).toMatchObject({ requestCount: 1, closeReason: 'client-asked' })
  })

  test('an absolute-form URL is answered and recorded as sent, scheme and host included', async () => {
    await exchange(
      server,
      'GET http://example.com/abs?q=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    )
    expect(server.requests.at(-1)?.url).toBe('http://example.com/abs?q=1')
  })
})

test('a connection that sends nothing is closed by the idle clock and recorded', async () => {
  const { connection, received } = await exchange(server, '')
  expect(received).toBe('')
  expect(connection).toMatchObject({
    requestCount: 0,
    closedBy: 'server',
    closeReason: 'idle-timeout',
  })
})

test('a partial request followed by a hang-up is recorded as closed by the client', async () => {
  const { connection } = await exchange(server, 'GET /never-finished HTTP/1.1\r\nHost: x\r\n', {
    end: true,
  })
  expect(connection.closedBy).toBe('client')
  expect(['client-closed', 'error']).toContain(connection.closeReason)
  await expectStillRecording('/after-partial')
})
