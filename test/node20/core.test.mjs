// What keepalive-kit offers on Node 20 (no `await using` there), where vitest 5 and msw 3 do not run: the recording
// server and the verdicts, driven by node's own test runner over the built package.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { get } from 'node:http'
import { test } from 'node:test'
import {
  createTestServer,
  opensNewSocketPerRequest,
  reusesConnection,
} from '../../dist/src/index.js'

const request = (url, options = {}) =>
  new Promise((resolve, reject) => {
    get(url, options, (res) => res.resume().on('end', resolve).on('error', reject)).on(
      'error',
      reject,
    )
  })

test('the default agent reuses one connection', async (t) => {
  const server = await createTestServer()
  t.after(() => server.close())
  for (let i = 0; i < 3; i++) await request(server.url)
  assert.deepEqual(
    server.requests.map((r) => r.connectionId),
    [1, 1, 1],
  )
  assert.equal(reusesConnection(server).pass, true)
  assert.equal(opensNewSocketPerRequest(server).pass, false)
})

test('agent: false opens a socket per request and the server records why each closed', async (t) => {
  const server = await createTestServer()
  t.after(() => server.close())
  for (let i = 0; i < 3; i++) await request(server.url, { agent: false })
  assert.deepEqual(
    server.requests.map((r) => r.connectionId),
    [1, 2, 3],
  )
  assert.equal(opensNewSocketPerRequest(server).pass, true)
  assert.equal(reusesConnection(server).pass, false)
  await server.close()
  assert.deepEqual(
    server.connections.map((c) => c.closeReason),
    ['client-asked', 'client-asked', 'client-asked'],
  )
})

test('the idle timeout closes a kept-alive connection', async (t) => {
  const server = await createTestServer({ idleTimeout: 100 })
  t.after(() => server.close())
  await request(server.url)
  const [closed] = await once(server, 'connectionClose')
  assert.equal(closed.closeReason, 'idle-timeout')
  assert.equal(closed.closedBy, 'server')
})
