// The example of docs/msw.md, as a user would paste it (test/setup.ts registers the matchers).
import http from 'node:http'
import { HttpResponse, http as mock } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { createTestServer } from '../../src/index.js'
import { fromHandlers, passthroughTestServers } from '../../src/msw/index.js'

const mocks = setupServer(
  passthroughTestServers(),
  mock.get('https://auth.example.com/token', () => HttpResponse.json({ token: 't' })),
)
beforeAll(() => mocks.listen({ onUnhandledFrame: 'error' }))
afterEach(() => mocks.resetHandlers())
afterAll(() => mocks.close())

const api = fromHandlers(mock.get('/user', () => HttpResponse.json({ id: 1 })))
afterEach(() => api.resetHandlers())

it('reuses one connection for five calls', async () => {
  await using server = await createTestServer({ handler: api })
  const agent = new http.Agent({ keepAlive: true })

  for (let i = 0; i < 5; i++) {
    await new Promise((resolve, reject) =>
      http
        .get(server.urlFor('/user'), { agent }, (res) => res.resume().on('end', resolve))
        .on('error', reject),
    )
  }
  agent.destroy()

  expect(server).toReuseConnection({ maxConnections: 1 })
  expect(await fetch('https://auth.example.com/token').then((res) => res.json())).toEqual({
    token: 't',
  })
})

it('overrides a handler for one test', async () => {
  api.use(mock.get('/user', () => HttpResponse.json({ id: 2 })))
  await using server = await createTestServer({ handler: api })

  expect(await fetch(server.urlFor('/user')).then((res) => res.json())).toEqual({ id: 2 })
})
