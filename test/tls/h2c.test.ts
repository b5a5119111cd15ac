// h2c: HTTP/2 in clear text by prior knowledge, and HTTP/1.1 on the same port.
import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { promisify } from 'node:util'
import { describe, expect, onTestFinished, test } from 'vitest'
import { requireTool } from '../cli/helpers.js'
import { closed, closes, get, ids, keepAliveAgent, startServer } from '../server/helpers.js'
import { h2Get, h2Session } from './helpers.js'

const run = promisify(execFile)

describe('createTestServer({ http2: true }) without tls', () => {
  test('node:http2 by prior knowledge sends two streams on one connection', async () => {
    const server = await startServer({ http2: true, tls: false })
    expect(server.url).toMatch(/^http:\/\//)
    const session = await h2Session(server.url)
    expect(await h2Get(session)).toBe('ok')
    expect(await h2Get(session)).toBe('ok')
    expect(server.requests.map((r) => [r.connectionId, r.streamId, r.httpVersion])).toEqual([
      [1, 1, '2.0'],
      [1, 3, '2.0'],
    ])
    expect(server.connections[0]).toMatchObject({ protocol: 'h2', tls: undefined })
    expect(server).toReuseConnection({ protocol: 'h2', maxConnections: 1 })
  })

  test('an HTTP/1.1 client keeps working on the same port', async () => {
    const server = await startServer({ http2: true, tls: false })
    const agent = keepAliveAgent()
    for (let i = 0; i < 3; i++) expect((await get(server.url, { agent })).body).toBe('ok')
    expect(ids(server)).toEqual([1, 1, 1])
    expect(server.connections[0]?.protocol).toBe('http/1.1')
    expect(server).toReuseConnection({ protocol: 'http/1.1' })
  })

  test('fetch alternates its two HTTP/1.1 connections as on a plain server', async () => {
    const server = await startServer({ http2: true, tls: false })
    for (let i = 0; i < 5; i++) expect(await (await fetch(server.url)).text()).toBe('ok')
    expect(ids(server)).toEqual([1, 2, 1, 2, 1])
  })

  test('bytes that are neither are an HTTP/1.1 parse error, as on a plain server', async () => {
    const server = await startServer({ http2: true, tls: false })
    const { connect: connectTcp } = await import('node:net')
    const socket = connectTcp(server.port, '127.0.0.1')
    onTestFinished(() => void socket.destroy())
    socket.write('HELLO\r\n\r\n')
    socket.resume()
    await once(socket, 'close')
    expect(await closed(server, 1)).toMatchObject({ closedBy: 'server', closeReason: 'error' })
  })

  test('keepAlive: false ends each h2c session after its first response', async () => {
    const server = await startServer({ http2: true, tls: false, keepAlive: false })
    const session = await h2Session(server.url)
    const sessionClosed = once(session, 'close')
    expect(await h2Get(session)).toBe('ok')
    await sessionClosed
    expect(closes(server)).toEqual(['server keep-alive-disabled'])
  })

  test('an idle h2c session is closed after idleTimeout', async () => {
    const server = await startServer({ http2: true, tls: false, idleTimeout: 100 })
    const session = await h2Session(server.url)
    const sessionClosed = once(session, 'close')
    await h2Get(session)
    expect(await closed(server, 1)).toMatchObject({
      closedBy: 'server',
      closeReason: 'idle-timeout',
    })
    await sessionClosed
  })

  test('curl --http2-prior-knowledge reaches it', async () => {
    requireTool('curl', 'curl')
    const server = await startServer({ http2: true, tls: false })
    // One URL: curl 7.88 fails from the second URL on with prior knowledge (fixed in curl 8).
    const { stdout } = await run('curl', ['-sS', '--http2-prior-knowledge', server.url])
    expect(stdout).toBe('ok')
    expect(server.requests[0]).toMatchObject({ httpVersion: '2.0', streamId: 1 })
  })
})
