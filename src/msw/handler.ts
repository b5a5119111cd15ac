import { getResponse } from 'msw'
import type { RequestHandler } from '../types.js'
import { createRoute, type GetResponse } from './route.js'

/**
 * The test server's handler for `createTestServer({ handlers })`. Loaded only when that option
 * is given, so the main entry never loads msw. The handlers are untyped here (the option is
 * `unknown[]` so the main entry's types never need msw); msw checks them when it runs them.
 */
export function createMswHandler(handlers: readonly unknown[]): RequestHandler {
  return createRoute(getResponse as GetResponse<unknown>, handlers)
}
