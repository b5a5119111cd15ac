import * as msw2 from 'msw2'
import { HttpResponse, http } from 'msw2'
import { describe, expect, it } from 'vitest'
import { reusesConnection } from '../../src/index.js'
import { withMsw } from '../../src/msw/index.js'
import { fetchText, ids, keepAliveAgent, request, sequential, startServer } from './helpers.js'

const kit = withMsw(msw2)

describe('msw 2 handlers on the test server', () => {
  it("answer through msw 2's own getResponse when bound with withMsw(msw2)", async () => {
    const api = kit.fromHandlers(http.get('/user', () => HttpResponse.json({ major: 2 })))
    const server = await startServer({ handler: api })

    expect(await fetchText(server.urlFor('/user'))).toBe('{"major":2}')
    expect((await fetch(server.urlFor('/nope'))).status).toBe(501)
  })

  it('take per-test overrides like msw 3 handlers', async () => {
    const api = kit.fromHandlers(http.get('/user', () => HttpResponse.text('base')))
    const server = await startServer({ handler: api })

    api.use(http.get('/user', () => HttpResponse.text('override')))
    const overridden = await fetchText(server.urlFor('/user'))
    api.resetHandlers()

    expect([overridden, await fetchText(server.urlFor('/user'))]).toEqual(['override', 'base'])
  })

  it('also answer through createTestServer({ handlers }), whose msw 3 getResponse runs them', async () => {
    const server = await startServer({
      handlers: [http.get('/user', () => HttpResponse.text('2'))],
    })
    const agent = keepAliveAgent()

    await sequential(3, () => request(server.urlFor('/user'), { agent }))

    expect(ids(server)).toEqual([1, 1, 1])
    expect(reusesConnection(server, { maxConnections: 1 }).pass).toBe(true)
  })
})
