import { readFileSync } from 'node:fs'
import * as http from 'node:http'
import { promisify } from 'node:util'
import { describe, expect, test } from 'vitest'
import { userFrame } from '../src/openers.js'
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

  test('is undefined when no user frame is on the stack', () => {
    expect(
      userFrame(
        'Error\n    at Socket.connect (node:net:1533:28)\n    at process.processTicksAndRejections (node:internal/process/task_queues:89:21)',
      ),
    ).toBeUndefined()
  })
})
