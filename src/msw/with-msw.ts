import { isTestServerUrl } from '../live-servers.js'
import { createRoute, type GetResponse, type MswRoute } from './route.js'

/** The parts of an msw module (`import * as msw from 'msw'`) keepalive-kit uses. */
export interface MswModule {
  getResponse: GetResponse<never>
  passthrough(): Response
  http: {
    all(predicate: (info: { request: Request }) => boolean, resolver: () => Response): unknown
  }
}

/** The request handler type of an msw module. */
export type HandlerOf<M extends MswModule> = Parameters<M['getResponse']>[0][number]

/** What `withMsw()` returns: the msw integration bound to one msw module. */
export interface BoundMsw<M extends MswModule> {
  fromHandlers(...handlers: HandlerOf<M>[]): MswRoute<HandlerOf<M>>
  passthroughTestServers(): ReturnType<M['http']['all']>
}

/**
 * The msw integration bound to the msw module you pass, for projects where `import 'msw'`
 * is not the msw your handlers come from (two majors side by side, an npm alias). The plain
 * `fromHandlers` and `passthroughTestServers` exports are this, bound to `'msw'`.
 *
 * @example
 * import * as msw2 from 'msw2' // "msw2": "npm:msw@^2"
 * const { fromHandlers, passthroughTestServers } = withMsw(msw2)
 * const server = await createTestServer({ handler: fromHandlers(msw2.http.get('/user', resolver)) })
 */
export function withMsw<M extends MswModule>(msw: M): BoundMsw<M> {
  return {
    fromHandlers: (...handlers) =>
      createRoute(msw.getResponse as GetResponse<HandlerOf<M>>, handlers),
    passthroughTestServers: () =>
      msw.http.all(
        ({ request }) => isTestServerUrl(request.url),
        () => msw.passthrough(),
      ) as ReturnType<M['http']['all']>,
  }
}
