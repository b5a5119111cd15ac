import * as msw from 'msw'
import type { MswRoute } from './route.js'
import { type HandlerOf, withMsw } from './with-msw.js'

const bound = withMsw(msw)

/**
 * A test server handler that answers every request with msw request handlers, on a real socket:
 * the client's keep-alive is exercised while msw decides the responses. Relative paths
 * (`http.get('/user')`) match the test server's own URL. The returned handler has
 * `use()`, `resetHandlers()`, `restoreHandlers()` and `listHandlers()` like msw's `setupServer`,
 * for per-test overrides. A request no handler answers gets a 501 that says how to add one.
 *
 * @example
 * const api = fromHandlers(http.get('/user', () => HttpResponse.json({ id: 1 })))
 * const server = await createTestServer({ handler: api })
 * afterEach(() => api.resetHandlers())
 * api.use(http.get('/user', () => HttpResponse.json({ id: 2 }))) // this test only
 */
export function fromHandlers(
  ...handlers: HandlerOf<typeof msw>[]
): MswRoute<HandlerOf<typeof msw>> {
  return bound.fromHandlers(...handlers)
}

/**
 * An msw handler that lets every request to a keepalive-kit test server in this process through
 * msw's `setupServer` to the real socket, so the server records it. Put it first in
 * `setupServer(...)`, and again first in `resetHandlers(...)` when you pass it new handlers.
 *
 * @example
 * const mocks = setupServer(passthroughTestServers(), ...handlers)
 * beforeAll(() => mocks.listen({ onUnhandledRequest: 'error' }))
 * afterAll(() => mocks.close())
 */
export function passthroughTestServers(): ReturnType<typeof msw.http.all> {
  return bound.passthroughTestServers()
}

export { isTestServerUrl } from '../live-servers.js'
export type { MswRoute } from './route.js'
export type { BoundMsw, MswModule } from './with-msw.js'
export { withMsw } from './with-msw.js'
