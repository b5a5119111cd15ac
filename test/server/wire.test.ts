// What the server records for traffic no ordinary client sends: HTTP/1.0, garbage, resets,
// and handlers that fail.
import { once } from 'node:events'
import type { Socket } from 'node:net'
import { describe, expect, test } from 'vitest'
import {
  closed,
  closes,
  connected,
  get,
  ids,
  keepAliveAgent,
  rawSocket,
  readAll,
  startServer,
  uncaught,
} from './helpers.js'

/** Reads from a raw socket until `count` complete `ok` responses arrived. */
async function responses(socket: Socket, count: number): Promise<string> {
  let text = ''
  const complete = (): boolean => text.split('HTTP/1.').length - 1 === count && text.endsWith('ok')
  socket.setEncoding('utf8')
  // Bounded by the test timeout: each turn waits for one more chunk.
  while (!complete()) {
    const [chunk] = (await once(socket, 'data')) as [string]
    text += chunk
  }
  return text
}

describe('HTTP/1.0 on a raw socket', () => {
  test('without Connection: keep-alive, the server answers and closes', async () => {
    const server = await startServer()
    const socket = await rawSocket(server)
    socket.write('GET /old HTTP/1.0\r\nHost: x\r\n\r\n')
    const text = await readAll(socket)
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(text).toMatch(/\r\nConnection: close\r\n/i)
    const [request] = server.requests
    expect(request).toMatchObject({ httpVersion: '1.0', url: '/old', indexOnConnection: 0 })
    expect(request?.connectionHeader).toBeUndefined()
    await closed(server, 1)
    expect(closes(server)).toEqual(['server client-asked'])
  })

  test('with Connection: keep-alive, the connection is reused', async () => {
    const server = await startServer()
    const socket = await rawSocket(server)
    socket.write('GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n')
    expect(await responses(socket, 1)).toMatch(/\r\nConnection: keep-alive\r\n/i)
    socket.write('GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n')
    await responses(socket, 1)
    expect(server.requests.map((r) => [r.url, r.connectionId, r.indexOnConnection])).toEqual([
      ['/a', 1, 0],
      ['/b', 1, 1],
    ])
    expect(server.requests.map((r) => r.connectionHeader)).toEqual(['keep-alive', 'keep-alive'])
    socket.end()
    await closed(server, 1)
    expect(closes(server)).toEqual(['client client-closed'])
  })
})

describe('malformed HTTP', () => {
  test('is answered 400, recorded as an error on its connection, and recording goes on', async () => {
    const server = await startServer()
    const socket = await rawSocket(server)
    socket.write('this is not http\r\n\r\n')
    expect(await readAll(socket)).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/)
    const connection = await closed(server, 1)
    expect(connection).toMatchObject({ closedBy: 'server', closeReason: 'error', requestCount: 0 })
    expect(connection.error).toMatch(/^HPE_/)
    expect(server.requests).toEqual([])
    expect((await get(server.url)).body).toBe('ok')
    expect(ids(server)).toEqual([2])
  })
})

describe('who closed', () => {
  test('a client reset (RST) is recorded as client-reset', async () => {
    const server = await startServer()
    const answer = await get(server.url, { agent: keepAliveAgent() })
    answer.socket.resetAndDestroy()
    const connection = await closed(server, 1)
    expect(connection).toMatchObject({ closedBy: 'client', closeReason: 'client-reset' })
    expect(connection.error).toMatch(/^ECONNRESET/)
  })

  test('a client that resets before sending anything is recorded as client-reset', async () => {
    const server = await startServer()
    const socket = await rawSocket(server)
    await connected(server, 1)
    socket.resetAndDestroy()
    expect(await closed(server, 1)).toMatchObject({
      closedBy: 'client',
      closeReason: 'client-reset',
    })
  })

  test('a client that closes its idle connection is recorded as client-closed', async () => {
    const server = await startServer()
    const agent = keepAliveAgent()
    await get(server.url, { agent })
    agent.destroy()
    expect(await closed(server, 1)).toMatchObject({
      closedBy: 'client',
      closeReason: 'client-closed',
    })
  })

  // Regression: a socket the handler destroyed was blamed on the client.
  test('a handler that destroys the socket is recorded as the server closing it', async () => {
    const server = await startServer({ handler: (req) => void req.socket.destroy() })
    await expect(get(server.url)).rejects.toThrow('socket hang up')
    expect(await closed(server, 1)).toMatchObject({
      closedBy: 'server',
      closeReason: 'server-closed',
    })
  })
})

describe('a handler that fails', () => {
  test('throwing answers 500 with the error, and the connection keeps serving', async () => {
    let calls = 0
    const server = await startServer({
      handler: (_req, res) => {
        if (calls++ === 0) throw new Error('boom')
        res.end('ok')
      },
    })
    const agent = keepAliveAgent()
    const failed = await get(server.url, { agent })
    expect(failed.status).toBe(500)
    expect(failed.body).toMatch(/^keepalive-kit: the test server's handler threw:\nError: boom\n/)
    expect((await get(server.url, { agent })).body).toBe('ok')
    expect(ids(server)).toEqual([1, 1])
  })

  test('rejecting answers 500 too', async () => {
    const server = await startServer({
      handler: async () => {
        throw new Error('async boom')
      },
    })
    const answer = await get(server.url)
    expect(answer.status).toBe(500)
    expect(answer.body).toContain('Error: async boom')
  })

  // Regression: a failure after the headers went out was recorded as the client closing.
  test('failing after the headers went out cuts the connection, recorded as error', async () => {
    const server = await startServer({
      handler: async (_req, res) => {
        res.writeHead(200, { 'content-length': '10' }).write('12345')
        throw new Error('half way')
      },
    })
    await expect(get(server.url)).rejects.toThrow()
    const connection = await closed(server, 1)
    expect(connection).toMatchObject({
      closedBy: 'server',
      closeReason: 'error',
      error: 'half way',
    })
  })

  test('writing after res.end() is an uncaught ERR_STREAM_WRITE_AFTER_END, as with bare node:http; the answer went out', async () => {
    const caught = uncaught()
    const server = await startServer({
      handler: (_req, res) => {
        res.end('ok')
        res.write('more')
      },
    })
    expect((await get(server.url)).body).toBe('ok')
    while (caught.length === 0) await new Promise(setImmediate)
    expect(caught.map((error) => (error as NodeJS.ErrnoException).code)).toEqual([
      'ERR_STREAM_WRITE_AFTER_END',
    ])
    expect((await get(server.url)).body).toBe('ok')
  })
})
