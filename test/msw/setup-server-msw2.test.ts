import * as msw2 from 'msw2'
import { HttpResponse, http } from 'msw2'
import { setupServer } from 'msw2/node'
import { describe, expect, it, onTestFinished } from 'vitest'
import { opensNewSocketPerRequest, reusesConnection } from '../../src/index.js'
import { withMsw } from '../../src/msw/index.js'
import { fetchText, ids, keepAliveAgent, request, sequential, startServer } from './helpers.js'

const { passthroughTestServers } = withMsw(msw2)
const mocked = http.all('*', () => HttpResponse.text('mocked'))

/** msw 2's setupServer with passthroughTestServers() first, listening until the test finishes. */
function mswServer(): void {
  const mocks = setupServer(passthroughTestServers(), mocked)
  mocks.listen({ onUnhandledRequest: 'error' })
  onTestFinished(() => mocks.close())
}

describe("msw 2's setupServer and a test server", () => {
  it('answers in-process with a catch-all handler and no passthrough', async () => {
    const server = await startServer()
    const mocks = setupServer(mocked)
    mocks.listen()
    onTestFinished(() => mocks.close())

    expect(await fetchText(server.url)).toBe('mocked')
    expect((await request(server.url, { agent: keepAliveAgent() })).body).toBe('mocked')
    expect(server.connections).toHaveLength(0)
  })

  // msw 2.15 / @mswjs/interceptors 0.41: a passed-through http.Agent request goes out with
  // Connection: close on a new socket, whatever the agent's keepAlive says.
  it('sends a keep-alive agent through on a new socket per request, with Connection: close', async () => {
    const server = await startServer()
    mswServer()
    const agent = keepAliveAgent()

    await sequential(5, () => request(server.url, { agent }))

    expect(ids(server)).toEqual([1, 2, 3, 4, 5])
    expect(server.requests.map((recorded) => recorded.connectionHeader)).toEqual(
      Array(5).fill('close'),
    )
    expect(opensNewSocketPerRequest(server).pass).toBe(true)
    expect(reusesConnection(server).pass).toBe(false)
  })

  it('leaves fetch its keep-alive', async () => {
    const server = await startServer()
    mswServer()

    await sequential(5, () => fetchText(server.url))

    expect(server.requests).toHaveLength(5)
    expect(reusesConnection(server).pass).toBe(true)
    expect(await fetchText('http://api.example.test/user')).toBe('mocked')
  })
})
