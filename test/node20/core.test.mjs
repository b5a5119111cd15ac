// What keepalive-kit offers on Node 20 (no `await using` there), where vitest 5 and msw 3 do not run: the recording
// server and the verdicts, driven by node's own test runner over the built package.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { get } from 'node:http'
import { test } from 'node:test'
import { toReuseConnection } from '../../dist/matchers/index.js'
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

test('the matchers work as plain functions, without a test runner', async (t) => {
  const server = await createTestServer()
  t.after(() => server.close())
  for (let i = 0; i < 3; i++) await request(server.url, { agent: false })
  const result = toReuseConnection.call({ isNot: false }, server)
  assert.equal(result.pass, false)
  assert.match(result.message(), /3 requests used 3 connections; none was reused/)
})

// The CLI runs on the Node that runs this file, not on the pinned Node 24.
const cli = (...args) =>
  new Promise((resolve) => {
    execFile(process.execPath, ['dist/src/cli/main.js', ...args], (error, stdout, stderr) =>
      resolve({ code: error ? error.code : 0, stdout, stderr }),
    )
  })

test('keepalive-kit check judges curl: one invocation reuses, one per request does not', async () => {
  const reuse = await cli('check', '--expect', 'reuse', '--', 'curl', '-s', '{url}', '{url}')
  assert.equal(reuse.code, 0, reuse.stdout + reuse.stderr)
  assert.match(reuse.stdout, /PASS {2}expect reuse: 2 requests used 1 connection/)
  const fresh = await cli(
    'check',
    '--expect',
    'reuse',
    '--',
    'sh',
    '-c',
    'curl -s $KEEPALIVE_URL; curl -s $KEEPALIVE_URL',
  )
  assert.equal(fresh.code, 1, fresh.stdout + fresh.stderr)
  assert.match(fresh.stdout, /FAIL {2}expect reuse: 2 requests used 2 connections; none was reused/)
})

test('over TLS, a keep-alive agent reuses one connection and resumes its session', async (t) => {
  const https = await import('node:https')
  const { resumesTlsSession } = await import('../../dist/src/index.js')
  const server = await createTestServer({ tls: true })
  t.after(() => server.close())
  const agent = new https.Agent({ keepAlive: true, ca: server.ca })
  t.after(() => agent.destroy())
  const secureGet = () =>
    new Promise((resolve, reject) => {
      https
        .get(server.url, { agent }, (res) => res.resume().on('end', resolve).on('error', reject))
        .on('error', reject)
    })
  await secureGet()
  await secureGet()
  assert.equal(reusesConnection(server, { protocol: 'http/1.1', maxConnections: 1 }).pass, true)
  await server.closeIdleConnections()
  while (Object.values(agent.freeSockets).flat().length > 0)
    await once(Object.values(agent.freeSockets).flat()[0], 'close')
  await secureGet()
  assert.deepEqual(
    server.connections.map((c) => c.tls?.resumed),
    [false, true],
  )
  assert.equal(resumesTlsSession(server).pass, true)
})

test('HTTP/2 over TLS and h2c: two streams on one connection', async (t) => {
  const { connect } = await import('node:http2')
  for (const tls of [true, false]) {
    const server = await createTestServer({ tls, http2: true })
    t.after(() => server.close())
    const session = connect(server.url, tls ? { ca: server.ca } : {})
    t.after(() => session.destroy())
    for (let i = 0; i < 2; i++)
      await new Promise((resolve, reject) => {
        const stream = session.request({ ':path': '/' })
        stream.resume()
        stream.on('end', resolve)
        stream.on('error', reject)
      })
    assert.deepEqual(
      server.requests.map((r) => [r.connectionId, r.streamId, r.httpVersion]),
      [
        [1, 1, '2.0'],
        [1, 3, '2.0'],
      ],
    )
    assert.equal(reusesConnection(server, { protocol: 'h2', maxConnections: 1 }).pass, true)
  }
})
