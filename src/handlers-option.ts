import type { RequestHandler } from './types.js'

/**
 * The `handlers` option as a request handler: the one seam between the core and the msw
 * integration. Loaded on first use only, so the core never loads msw unless a server is given
 * handlers, and users need not import `keepalive-kit/msw` first.
 */
export async function handlersHandler(handlers: readonly unknown[]): Promise<RequestHandler> {
  const { createMswHandler } = await import('./msw/handler.js')
  return createMswHandler(handlers)
}
