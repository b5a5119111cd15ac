import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import * as http from 'node:http'
import * as net from 'node:net'
import { promisify } from 'node:util'
import { describe, expect, test } from 'vitest'
import type { TestServer } from '../src/index.js'
import { userFrame } from '../src/openers.js'
import { failureOf } from './matchers/clients.js'
import { allClosed, startServer } from './server/helpers.js'

/** Where a line of this file is, as `test/openers.test.ts:N`: the tests name the line they expect. */
const lineOf = (text: string): string =>
  `test/openers.test.ts:${
    readFileSync(new URL(import.meta.url), 'utf8')
      .split('\n')
      .findIndex((line) => line.includes(text)) + 1
  }`

/** Resolves with the response once its body has been read, or at once when told not to read it. */
const settle = (req: http.ClientRequest, read = true) =>
  new Promise<http.IncomingMessage>((resolve, reject) => {
    req.on('error', reject)
    req.on('response', (res) => {
      if (!read) return resolve(res)
      res.resume().on('end', () => resolve(res))
    })
  })

// The bug: an SDK that builds a new agent on every call, so no socket is ever reused.
function getUserWithNewAgent(url: string) {
  return settle(http.get(url, { agent: new http.Agent({ keepAlive: true }) }))
}

const pooled = new http.Agent({ keepAlive: true })
function listUsers(url: string) {
  return settle(http.get(url, { agent: pooled }))
}
// The bug: one wrapper of the SDK leaves the pool and sends `Connection: close`.
function deleteUser(url: string) {
  return settle(
    http.request(url, { method: 'DELETE', agent: false, headers: { connection: 'close' } }).end(),
  )
}

// The bug: a call that never reads its response's body, so its socket never returns to the pool.
function headlessGet(url: string, agent: http.Agent) {
  return settle(http.get(url, { agent }), false)
}

describe('RecordedConnection.openedBy', () => {
  test('names the SDK function and line that built a new agent per call', async () => {
    const server = await startServer()
    await getUserWithNewAgent(server.url)
    await getUserWithNewAgent(server.url)
    expect(server.connections.map((c) => c.openedBy)).toEqual([
      `getUserWithNewAgent (${lineOf('agent: new http.Agent')})`,
      `getUserWithNewAgent (${lineOf('agent: new http.Agent')})`,
    ])
  })

  test('names the wrapper that left the pool with Connection: close', async () => {
    const server = await startServer()
    await listUsers(server.url)
    await deleteUser(server.urlFor('/users/1'))
    await listUsers(server.url)
    pooled.destroy()
    expect(server.requests.map((r) => r.connectionId)).toEqual([1, 2, 1])
    expect(server.connections.map((c) => c.openedBy)).toEqual([
      `listUsers (${lineOf('{ agent: pooled }')})`,
      `deleteUser (${lineOf("method: 'DELETE'")})`,
    ])
  })

  test('names the call whose unread body kept its socket from the pool', async () => {
    const server = await startServer()
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 })
    const unread = await headlessGet(server.url, agent)
    await settle(http.get(server.url, { agent }))
    unread.destroy()
    agent.destroy()
    await allClosed(server)
    expect(server.connections[0]?.openedBy).toBe(`headlessGet (${lineOf('}), false)')})`)
    expect(server.connections[1]?.openedBy).toMatch(/^test\/openers\.test\.ts:\d+$/)
  })

  test('names the function that called fetch, thirty frames below undici', async () => {
    const server = await startServer()
    async function loadProfile() {
      return (await fetch(server.urlFor('/profile'), { headers: { connection: 'close' } })).text()
    }
    await loadProfile()
    expect(server.connections[0]?.openedBy).toBe(`loadProfile (${lineOf("urlFor('/profile')")})`)
  })

  test('names the function that called axios', async () => {
    const server = await startServer()
    const { default: axios } = await import('axios')
    async function saveOrder() {
      return axios.post(server.urlFor('/orders'), { id: 1 })
    }
    await saveOrder()
    expect(server.connections[0]?.openedBy).toBe(`saveOrder (${lineOf("urlFor('/orders')")})`)
  })

  test('records nothing for a client in another process', async () => {
    const server = await startServer()
    const { execFile } = await import('node:child_process')
    await promisify(execFile)('curl', ['-s', server.url])
    await allClosed(server)
    expect(server.connections[0]?.openedBy).toBeUndefined()
  })
})

/** The block of a failure message that says who opened each connection. */
const openersIn = (message: string): string =>
  message.slice(message.indexOf('Connections opened in this process:')).split('\n\n')[0] ?? ''

describe('a failing matcher names who opened each connection', () => {
  test('the SDK function that built a new agent per call, once for all its connections', async () => {
    const server = await startServer()
    await getUserWithNewAgent(server.url)
    await getUserWithNewAgent(server.url)
    await getUserWithNewAgent(server.url)
    expect(openersIn(failureOf(() => expect(server).toReuseConnection()))).toBe(
      [
        'Connections opened in this process:',
        `  conn 1–3  opened by getUserWithNewAgent (${lineOf('agent: new http.Agent')})`,
      ].join('\n'),
    )
  })

  test('the wrapper that left the pool with Connection: close', async () => {
    const server = await startServer()
    await listUsers(server.url)
    await deleteUser(server.urlFor('/users/1'))
    await listUsers(server.url)
    pooled.destroy()
    const message = failureOf(() => expect(server).toSendConnectionHeader('keep-alive'))
    expect(openersIn(message)).toBe(
      [
        'Connections opened in this process:',
        `  conn 1  opened by listUsers (${lineOf('{ agent: pooled }')})`,
        `  conn 2  opened by deleteUser (${lineOf("method: 'DELETE'")})`,
      ].join('\n'),
    )
  })

  test('the call whose unread body kept its socket from the pool', async () => {
    const server = await startServer()
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 })
    const unread = await headlessGet(server.url, agent)
    for (let i = 0; i < 3; i++) await settle(http.get(server.url, { agent })) // the next calls
    unread.destroy()
    agent.destroy()
    expect(server.requests.map((r) => r.connectionId)).toEqual([1, 2, 2, 2])
    expect(openersIn(failureOf(() => expect(server).toReuseConnection()))).toBe(
      [
        'Connections opened in this process:',
        `  conn 1  opened by headlessGet (${lineOf('}), false)')})`,
        `  conn 2  opened by ${lineOf('// the next calls')}`,
      ].join('\n'),
    )
  })

  test('nothing for a client in another process', async () => {
    const server = await startServer()
    const { execFile } = await import('node:child_process')
    await promisify(execFile)('curl', ['-s', server.url, server.url])
    expect(failureOf(() => expect(server).toUseConnections(2))).not.toContain('opened')
  })
})

describe('where no code of the test was on the stack', () => {
  // A socket node's agent opens from a closed socket's handler for a queued request.
  test('names the request that first used the connection', async () => {
    const server = await startServer({ keepAlive: false })
    const agent = new http.Agent({ maxSockets: 1 })
    const first = settle(http.get(server.urlFor('/first'), { agent }))
    const second = settle(http.get(server.urlFor('/second'), { agent }))
    await Promise.all([first, second])
    await allClosed(server)
    expect(server.connections.map((c) => c.openedBy)).toEqual([
      expect.stringMatching(/^test\/openers\.test\.ts:\d+$/),
      undefined,
    ])
    expect(openersIn(failureOf(() => expect(server).toReuseConnection()))).toBe(
      [
        'Connections opened in this process:',
        `  conn 1  opened by ${lineOf("urlFor('/first')")}`,
        '  conn 2  first used by GET /second (no code of yours was on the stack when it connected)',
      ].join('\n'),
    )
  })

  // A socket opened from a timer, bound to node's own connect: no frame of the test, no request.
  test('names the test that was running when it carried no request', async () => {
    const server = await startServer()
    await getUserWithNewAgent(server.url)
    const connected = once(server as TestServer & NodeJS.EventEmitter, 'connection')
    const connect = net.connect as (port: number, host: string) => net.Socket
    setImmediate(connect.bind(net, server.port, '127.0.0.1'))
    await connected
    await server.closeClientConnections()
    expect(openersIn(failureOf(() => expect(server).toReuseConnection()))).toBe(
      [
        'Connections opened in this process:',
        `  conn 1  opened by getUserWithNewAgent (${lineOf('agent: new http.Agent')})`,
        '  conn 2  opened while test "where no code of the test was on the stack > names the test that was running when it carried no request" ran (no code of yours was on the stack when it connected, and it carried no request)',
      ].join('\n'),
    )
  })
})

describe('userFrame', () => {
  test('skips node, node_modules and keepalive-kit, and names the caller of an anonymous frame', () => {
    const stack = [
      'Error',
      '    at Socket.connect (node:net:1533:28)',
      `    at Agent.createConnection (${process.cwd()}/node_modules/undici/lib/x.js:1:2)`,
      `    at claim (${process.cwd()}/src/openers.ts:3:4)`,
      `    at file://${process.cwd()}/sdk/client.ts:12:5`,
      `    at new Promise (<anonymous>)`,
      `    at async getUser (file://${process.cwd()}/sdk/client.ts:11:9)`,
    ].join('\n')
    expect(userFrame(stack)).toBe('getUser (sdk/client.ts:12)')
  })

  // The bug: `at async file:///…` (an anonymous async frame) was read as a file named `async file:…`, so keepalive-kit's own frames counted as the user's.
  test('skips an anonymous async frame of keepalive-kit and node_modules', () => {
    const stack = [
      'Error',
      `    at async file://${process.cwd()}/node_modules/undici/lib/x.js:1:2`,
      `    at async file://${process.cwd()}/src/survey/clients.ts:3:4`,
      `    at async file://${process.cwd()}/sdk/client.ts:12:5`,
    ].join('\n')
    expect(userFrame(stack)).toBe('sdk/client.ts:12')
  })

  test('is undefined when no user frame is on the stack', () => {
    expect(
      userFrame(
        'Error\n    at Socket.connect (node:net:1533:28)\n    at process.processTicksAndRejections (node:internal/process/task_queues:89:21)',
      ),
    ).toBeUndefined()
  })
})
