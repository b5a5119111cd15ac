import { once } from 'node:events'
import { describe, expect, test } from 'vitest'
import { createTestServer, type TestServer, type TestServerOptions } from '../../src/index.js'
import {
  closed,
  closes,
  connected,
  get,
  ids,
  keepAliveAgent,
  overTls,
  rawSocket,
  rejection,
  request,
  startServer,
} from './helpers.js'

/** Options whose handler holds requests to /hold until `release()`; others get `200 ok`. */
function holding(): { options: TestServerOptions; release: () => void } {
  const waiting: (() => void)[] = []
  return {
    options: {
      handler: (req, res) => {
        if (req.url === '/hold') waiting.push(() => res.end('late'))
        else res.end('ok')
      },
    },
    release: () => {
      for (const answer of waiting.splice(0)) answer()
    },
  }
}

/** Sends a GET that stays in flight; resolves once the server has recorded it. */
async function inFlight(server: TestServer, agent = keepAliveAgent()) {
  const req = request(server.urlFor('/hold'), { agent })
  const outcome = new Promise<string>((resolve, reject) => {
    req.on('response', (res) => {
      let body = ''
      res.on('data', (chunk) => {
        body += chunk
      })
      res.on('end', () => resolve(body))
    })
    req.on('error', reject)
  })
  // Keeps an expected failure from surfacing as an unhandled rejection before it is awaited.
  outcome.catch(() => {})
  req.end()
  await once(server, 'request')
  // Wrapped: an async function returning the promise itself would wait for the answer.
  return { outcome }
}

describe('clear()', () => {
  test('forgets requests and closed connections; open ones keep their ids and counts', async () => {
    const server = await startServer()
    const agent = keepAliveAgent()
    await get(server.url, { agent: false })
    await get(server.url, { agent })
    await closed(server, 1)
    server.clear()
    expect(server.requests).toEqual([])
    expect(server.connections.map((c) => c.id)).toEqual([2])
    await get(server.url, { agent })
    await get(server.url, { agent: false })
    expect(server.requests.map((r) => [r.index, r.connectionId, r.indexOnConnection])).toEqual([
      [0, 2, 1],
      [1, 3, 0],
    ])
    expect(server.connections.map((c) => [c.id, c.requestCount])).toEqual([
      [2, 2],
      [3, 1],
    ])
  })
})

describe('closeIdleConnections()', () => {
  test('closes idle connections only, now, as server-closed', async () => {
    const { options, release } = holding()
    const server = await startServer(options)
    const idle = await get(server.url, { agent: keepAliveAgent() })
    const busy = (await inFlight(server)).outcome
    await server.closeIdleConnections()
    expect(closes(server)).toEqual(['server server-closed', 'undefined undefined'])
    expect(server.openConnections.map((c) => c.id)).toEqual([2])
    await once(idle.socket, 'close')
    release()
    expect(await busy).toBe('late')
    expect(server.connections[1]?.requestCount).toBe(1)
  })

  test('a client reconnects after seeing the close', async () => {
    const server = await startServer()
    const agent = keepAliveAgent()
    const first = await get(server.url, { agent })
    await server.closeIdleConnections()
    // The agent must see the FIN first, or it may send on the dead socket (see CLIENTS.md).
    await once(first.socket, 'close')
    await get(server.url, { agent })
    expect(ids(server)).toEqual([1, 2])
    expect(closes(server)[0]).toBe('server server-closed')
  })
})

describe('closeClientConnections()', () => {
  test('closes every connection, in flight or idle, as server-closed', async () => {
    const server = await startServer(holding().options)
    const busy = (await inFlight(server)).outcome
    const noRequest = await rawSocket(server)
    await connected(server, 2)
    await server.closeClientConnections()
    expect(server.openConnections).toEqual([])
    expect(closes(server)).toEqual(['server server-closed', 'server server-closed'])
    expect((await rejection(busy)).message).toBe('socket hang up')
    if (!noRequest.destroyed) await once(noRequest, 'close')
  })

  test('the server keeps accepting new connections afterwards', async () => {
    const server = await startServer()
    await get(server.url, { agent: keepAliveAgent() })
    await server.closeClientConnections()
    expect((await get(server.url, { agent: keepAliveAgent() })).body).toBe('ok')
    expect(ids(server)).toEqual([1, 2])
  })
})

describe('close()', () => {
  test('is prompt with a request in flight, an idle client and a silent client', async () => {
    const server = await startServer(holding().options)
    const busy = (await inFlight(server)).outcome
    await get(server.url, { agent: keepAliveAgent() })
    await rawSocket(server)
    await connected(server, 3)
    const started = performance.now()
    await server.close()
    expect(performance.now() - started).toBeLessThan(1000)
    expect(server.openConnections).toEqual([])
    expect(closes(server)).toEqual(Array(3).fill('server server-closed'))
    expect((await rejection(busy)).message).toBe('socket hang up')
  })

  test('is idempotent', async () => {
    const server = await startServer()
    await get(server.url)
    const first = server.close()
    expect(server.close()).toBe(first)
    await first
    await server.close()
    expect(closes(server)).toEqual(['server server-closed'])
  })

  test('refuses new connections afterwards', async () => {
    const server = await startServer()
    await server.close()
    expect((await rejection(get(server.url))).code).toBe('ECONNREFUSED')
  })

  test('await using closes the server at the end of the block', async () => {
    let kept: TestServer | undefined
    {
      await using server = await createTestServer(overTls ? { tls: true } : {})
      kept = server
      await get(server.url, { agent: keepAliveAgent() })
      expect(server.openConnections).toHaveLength(1)
    }
    expect(kept.openConnections).toEqual([])
    expect(closes(kept)).toEqual(['server server-closed'])
    expect((await rejection(get(kept.url))).code).toBe('ECONNREFUSED')
  })
})
