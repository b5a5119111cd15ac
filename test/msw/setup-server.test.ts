import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { MatcherUsageError, reusesConnection } from '../../src/index.js'
import { passthroughTestServers } from '../../src/msw/index.js'
import { fetchText, ids, keepAliveAgent, request, sequential, startServer } from './helpers.js'

const mocked = http.all('*', () => HttpResponse.text('mocked'))

/** msw 3's setupServer, listening until the test finishes. */
function mswServer(
  handlers: Parameters<typeof setupServer>,
  onUnhandledFrame: 'warn' | 'error' = 'warn',
) {
  const mocks = setupServer(...handlers)
  // msw 3 renamed msw 2's onUnhandledRequest to onUnhandledFrame.
  mocks.listen({ onUnhandledFrame })
  onTestFinished(() => mocks.close())
  return mocks
}

describe("msw 3's setupServer and a test server", () => {
  it('passes an unmatched request through to the socket, warning once per request', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    onTestFinished(() => warn.mockRestore())
    const server = await startServer()
    mswServer([])
    const agent = keepAliveAgent()

    await sequential(3, () => request(server.url, { agent }))

    expect(ids(server)).toEqual([1, 1, 1])
    expect(warn).toHaveBeenCalledTimes(3)
    expect(String(warn.mock.calls[0]?.[0])).toContain(
      '[MSW] Warning: intercepted a request without a matching request handler',
    )
  })

  it('answers in-process with a catch-all handler: nothing reaches the socket, and the verdict names msw', async () => {
    const server = await startServer()
    mswServer([mocked])

    const bodies = [
      await fetchText(server.url),
      (await request(server.url, { agent: keepAliveAgent() })).body,
    ]

    expect(bodies).toEqual(['mocked', 'mocked'])
    expect(server.connections).toHaveLength(0)
    expect(() => reusesConnection(server)).toThrow(MatcherUsageError)
    expect(() => reusesConnection(server)).toThrow(
      "msw's setupServer() answered it in-process: add passthroughTestServers() from 'keepalive-kit/msw' to its handlers;",
    )
  })

  it('lets requests through to the socket with passthroughTestServers() first, keeping keep-alive', async () => {
    const server = await startServer()
    mswServer([passthroughTestServers(), mocked], 'error')
    const agent = keepAliveAgent()

    await sequential(5, () => request(server.url, { agent }))

    expect(ids(server)).toEqual([1, 1, 1, 1, 1])
    expect(server.requests.every((recorded) => recorded.connectionHeader === 'keep-alive')).toBe(
      true,
    )
    expect(reusesConnection(server, { maxConnections: 1 }).pass).toBe(true)
    expect(await fetchText('http://api.example.test/user')).toBe('mocked')
  })

  it("fails an unmatched request under onUnhandledFrame: 'error', so nothing reaches the socket", async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    onTestFinished(() => error.mockRestore())
    const server = await startServer()
    mswServer([], 'error')

    await expect(fetchText(server.url)).rejects.toThrow()

    expect(server.requests).toHaveLength(0)
  })

  it("lets fetch through with its usual pool reuse, even under onUnhandledFrame: 'error'", async () => {
    const server = await startServer()
    mswServer([passthroughTestServers()], 'error')

    await sequential(5, () => fetchText(server.url))

    expect(server.requests).toHaveLength(5)
    expect(reusesConnection(server).pass).toBe(true)
  })

  it('keeps letting requests through after use() and resetHandlers()', async () => {
    const server = await startServer()
    const mocks = mswServer([passthroughTestServers(), mocked], 'error')

    mocks.use(http.get('http://api.example.test/user', () => HttpResponse.text('override')))
    mocks.resetHandlers()
    await fetchText(server.url)

    expect(server.requests).toHaveLength(1)
  })

  it('is shadowed by a catch-all given to use(), unless passthroughTestServers() comes first there too', async () => {
    const server = await startServer()
    const mocks = mswServer([passthroughTestServers(), mocked], 'error')

    mocks.use(mocked)
    const shadowed = await fetchText(server.url)
    mocks.use(passthroughTestServers(), mocked)
    await fetchText(server.url)

    expect(shadowed).toBe('mocked')
    expect(server.requests).toHaveLength(1)
  })

  it('lets requests through to a server answering with its own msw handlers', async () => {
    const server = await startServer({
      handlers: [http.get('/user', () => HttpResponse.text('from the socket'))],
    })
    mswServer([passthroughTestServers(), mocked], 'error')
    const agent = keepAliveAgent()

    const answers = [
      await request(server.urlFor('/user'), { agent }),
      await request(server.urlFor('/user'), { agent }),
    ]

    expect(answers.map((answer) => answer.body)).toEqual(['from the socket', 'from the socket'])
    expect(ids(server)).toEqual([1, 1])
  })

  it('stops letting a closed server through', async () => {
    const server = await startServer()
    mswServer([passthroughTestServers(), mocked], 'error')
    const url = server.url

    await server.close()

    expect(await fetchText(url)).toBe('mocked')
  })
})

describe("what msw 3's setupServer does not see", () => {
  it('misses node:http imported as a namespace: the request reaches the socket under a catch-all', async () => {
    const namespace = await import('node:http')
    const server = await startServer()
    mswServer([mocked], 'error')

    const body = await new Promise<string>((resolve, reject) => {
      namespace
        .get(server.url, { agent: false }, (res) => {
          res.setEncoding('utf8')
          let text = ''
          res.on('data', (chunk: string) => {
            text += chunk
          })
          res.on('end', () => resolve(text))
        })
        .on('error', reject)
    })

    expect(body).toBe('ok')
    expect(server.requests).toHaveLength(1)
  })
})
