import { once } from 'node:events'
import { request } from 'node:http'
import { connect } from 'node:net'
import { expect, test } from 'vitest'
import { createTestServer } from '../../src/index.js'

function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number | undefined; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          body += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

test('binds 127.0.0.1 by default', async () => {
  await using server = await createTestServer()
  expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
  const socket = connect(server.port, '127.0.0.1')
  await once(socket, 'connect')
  socket.destroy()
  await once(server, 'connectionClose')
  expect(server.connections[0]?.remoteAddress).toBe('127.0.0.1')
})

// Another address of this machine, in the loopback range so the probe never leaves it: a server
// bound to 0.0.0.0 would accept it, one bound to 127.0.0.1 refuses it.
test('is not reachable on the machine’s other addresses by default', async () => {
  await using server = await createTestServer()
  const socket = connect(server.port, '127.0.0.2')
  const [error] = (await once(socket, 'error').catch((caught: unknown) => [caught])) as [
    NodeJS.ErrnoException,
  ]
  expect(error.code).toBe('ECONNREFUSED')
  expect(server.connections).toEqual([])
})

/** keepalive-kit's process warnings while `run` starts and closes a server. */
async function ourWarnings(run: () => Promise<void>): Promise<NodeJS.ErrnoException[]> {
  const warnings: NodeJS.ErrnoException[] = []
  const onWarning = (warning: NodeJS.ErrnoException): void => void warnings.push(warning)
  process.on('warning', onWarning)
  try {
    await run()
    // process.emitWarning() emits on the next tick.
    await new Promise((resolve) => process.nextTick(resolve))
  } finally {
    process.off('warning', onWarning)
  }
  return warnings.filter((warning) => warning.code?.startsWith('KEEPALIVE_KIT'))
}

test('binding 0.0.0.0 warns with code KEEPALIVE_KIT_NOT_LOOPBACK, and the URL still names loopback', async () => {
  const warnings = await ourWarnings(async () => {
    // Closed as soon as it is up: the point is the warning, not traffic from elsewhere.
    const server = await createTestServer({ host: '0.0.0.0' })
    await server.close()
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
  })
  expect(warnings.map((warning) => warning.code)).toEqual(['KEEPALIVE_KIT_NOT_LOOPBACK'])
  expect(warnings[0]?.message).toContain('0.0.0.0')
  expect(warnings[0]?.message).toContain('127.0.0.1')
})

test('binding loopback gives no such warning', async () => {
  const warnings = await ourWarnings(async () => {
    await (await createTestServer({ host: '127.0.0.1' })).close()
  })
  expect(warnings).toEqual([])
})

test('nothing the server records is served back: every path answers the same two bytes', async () => {
  await using server = await createTestServer()
  const secret = 'secret-token-3c1f'
  await send(server.urlFor(`/login?password=${secret}`), {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, cookie: `session=${secret}` },
    body: secret,
  })
  const probes = [
    '/',
    '/requests',
    '/connections',
    '/journal',
    '/__keepalive-kit',
    '/__keepalive-kit/requests',
    '/.well-known/keepalive-kit',
    '/debug',
    '/status',
  ]
  for (const path of probes) {
    for (const method of ['GET', 'POST', 'OPTIONS', 'TRACE']) {
      const response = await send(server.urlFor(path), {
        method,
        headers: { 'x-probe': secret },
      })
      expect({ path, method, status: response.status, body: response.body }).toEqual({
        path,
        method,
        status: 200,
        body: 'ok',
      })
      expect(JSON.stringify(response.headers)).not.toContain(secret)
    }
  }
  // It was recorded, just never served.
  expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${secret}`)
  expect(server.requests).toHaveLength(1 + probes.length * 4)
})
