import { HttpResponse, http, passthrough } from 'msw'
import { describe, expect, it } from 'vitest'
import { opensNewSocketPerRequest, reusesConnection } from '../../src/index.js'
import { fetchText, ids, keepAliveAgent, request, sequential, startServer } from './helpers.js'

const user = http.get('/user', () => HttpResponse.json({ id: 1 }))

describe('createTestServer({ handlers })', () => {
  it('answers with msw handlers on a real socket, relative paths included', async () => {
    const server = await startServer({ handlers: [user] })

    const res = await fetch(server.urlFor('/user'))

    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ id: 1 })
    expect(server.requests.map((recorded) => recorded.url)).toEqual(['/user'])
  })

  it('matches relative paths against the host name the client used', async () => {
    const server = await startServer({ handlers: [user] })

    const res = await request(server.urlFor('/user'), {
      headers: { host: `localhost:${server.port}` },
    })

    expect(res.body).toBe('{"id":1}')
  })

  it('answers an unmatched request with a 501 that says how to add a handler', async () => {
    const server = await startServer({ handlers: [user] })

    const res = await fetch(server.urlFor('/nope?x=1'), { method: 'POST', body: 'hi' })

    expect(res.status).toBe(501)
    expect(await res.text()).toBe(
      `keepalive-kit: Failed to answer POST ${server.url}/nope?x=1: no msw handler returned a response for it. Did you forget to add a handler such as http.post('/nope', () => HttpResponse.text('ok'))? Pass it to createTestServer({ handlers }) or fromHandlers(), or add it for one test with .use().\n`,
    )
  })

  it('answers a handler that returns passthrough() with a 501: nothing stands behind the test server', async () => {
    const server = await startServer({ handlers: [http.get('/user', () => passthrough())] })

    const res = await fetch(server.urlFor('/user'))

    expect(res.status).toBe(501)
    expect(await res.text()).toBe(
      `keepalive-kit: Failed to answer GET ${server.url}/user: its msw handler returned passthrough(), and the test server has no other server behind it. Did you forget to add a handler such as http.get('/user', () => HttpResponse.text('ok'))? Pass it to createTestServer({ handlers }) or fromHandlers(), or add it for one test with .use().\n`,
    )
  })

  it('answers a handler that throws with a 500 naming the error', async () => {
    const server = await startServer({
      handlers: [
        http.get('/boom', () => {
          throw new TypeError('no user')
        }),
      ],
    })

    const res = await fetch(server.urlFor('/boom'))
    const body = await res.text()

    expect(res.status).toBe(500)
    expect(body.split('\n')[0]).toBe(
      `keepalive-kit: Failed to answer GET ${server.url}/boom: its msw handler threw TypeError: no user. Did you mean to answer with an error status? Return HttpResponse.text('...', { status: 500 }) instead.`,
    )
    expect(body).toContain('at ')
  })

  it('writes status, status text, repeated headers and each Set-Cookie of the mocked response', async () => {
    const server = await startServer({
      handlers: [
        http.get('/created', () => {
          const headers = new Headers({ 'x-kind': 'mock' })
          headers.append('x-many', 'a')
          headers.append('x-many', 'b')
          headers.append('set-cookie', 'a=1; Path=/')
          headers.append('set-cookie', 'b=2; HttpOnly')
          return new HttpResponse('made', { status: 201, statusText: 'Made It', headers })
        }),
      ],
    })

    const res = await request(server.urlFor('/created'))

    expect(res).toMatchObject({ status: 201, statusText: 'Made It', body: 'made' })
    expect(res.headers['x-kind']).toBe('mock')
    expect(res.headers['x-many']).toBe('a, b')
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; HttpOnly'])
  })

  it('gives the handler the method, headers and body of the request', async () => {
    const server = await startServer({
      handlers: [
        http.post('/echo', async ({ request: req }) =>
          HttpResponse.json({
            method: req.method,
            type: req.headers.get('content-type'),
            body: await req.text(),
          }),
        ),
      ],
    })

    const res = await request(
      server.urlFor('/echo'),
      { method: 'POST', headers: { 'content-type': 'text/plain' } },
      'hello body',
    )

    expect(JSON.parse(res.body)).toEqual({ method: 'POST', type: 'text/plain', body: 'hello body' })
  })

  it('answers HEAD without a body', async () => {
    const server = await startServer({
      handlers: [http.head('/user', () => HttpResponse.text('x'))],
    })

    const res = await request(server.urlFor('/user'), { method: 'HEAD' })

    expect(res).toMatchObject({ status: 200, body: '' })
  })
})

describe('keep-alive through msw handlers', () => {
  it('gives a node:http keep-alive agent the same connection pattern as a plain handler', async () => {
    const plain = await startServer()
    const mocked = await startServer({ handlers: [http.get('/', () => HttpResponse.text('ok'))] })
    const agent = keepAliveAgent()

    await sequential(5, () => request(plain.url, { agent }))
    await sequential(5, () => request(mocked.url, { agent }))

    expect(ids(mocked)).toEqual(ids(plain))
    expect(ids(mocked)).toEqual([1, 1, 1, 1, 1])
    expect(reusesConnection(mocked, { maxConnections: 1 }).pass).toBe(true)
  })

  it('gives fetch the same verdicts as a plain handler', async () => {
    const plain = await startServer()
    const mocked = await startServer({ handlers: [http.get('/', () => HttpResponse.text('ok'))] })

    await sequential(5, () => fetchText(plain.url))
    await sequential(5, () => fetchText(mocked.url))

    expect(reusesConnection(mocked).pass).toBe(reusesConnection(plain).pass)
    expect(reusesConnection(mocked).pass).toBe(true)
    expect(opensNewSocketPerRequest(mocked).pass).toBe(false)
  })

  it('gives agent: false a new socket per request, as with a plain handler', async () => {
    const mocked = await startServer({ handlers: [http.get('/', () => HttpResponse.text('ok'))] })

    await sequential(3, () => request(mocked.url, { agent: false }))

    expect(ids(mocked)).toEqual([1, 2, 3])
    expect(opensNewSocketPerRequest(mocked).pass).toBe(true)
  })

  it("keeps the server's Connection: close when a mock says keep-alive", async () => {
    const server = await startServer({
      keepAlive: false,
      handlers: [
        http.get('/', () => HttpResponse.text('ok', { headers: { connection: 'keep-alive' } })),
      ],
    })
    const agent = keepAliveAgent()

    const res = await request(server.url, { agent })
    await request(server.url, { agent })

    expect(res.headers.connection).toBe('close')
    expect(ids(server)).toEqual([1, 2])
  })

  it('reuses the connection after a request body the handler never read', async () => {
    const server = await startServer({ handlers: [http.post('/', () => HttpResponse.text('ok'))] })
    const agent = keepAliveAgent()
    const big = 'x'.repeat(256 * 1024)

    await request(server.url, { agent, method: 'POST' }, big)
    await request(server.url, { agent, method: 'POST' }, big)

    expect(ids(server)).toEqual([1, 1])
  })
})
