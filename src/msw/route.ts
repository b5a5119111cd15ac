import type { IncomingMessage, ServerResponse } from 'node:http'
import { originOf, toFetchRequest } from './fetch-request.js'
import { threwMessage, unhandledMessage } from './messages.js'
import { writeResponse } from './write-response.js'

/** msw's `getResponse` (msw 2 and 3 share its shape), generic over the handler type. */
export type GetResponse<Handler> = (
  handlers: Handler[],
  request: Request,
  context?: { baseUrl?: string },
) => Promise<Response | undefined>

/**
 * A test server handler (`createTestServer({ handler })`) that answers with msw request
 * handlers, plus the per-test controls of msw's `setupServer`.
 */
export interface MswRoute<Handler> {
  (req: IncomingMessage, res: ServerResponse): Promise<void>
  /** Prepends handlers that win over the current ones until `resetHandlers()`. */
  use(...handlers: Handler[]): void
  /** Drops `use()` overrides; with arguments, makes those the handlers instead. */
  resetHandlers(...next: Handler[]): void
  /** Lets `{ once: true }` handlers that already answered answer again. */
  restoreHandlers(): void
  /** The handlers in the order they are tried. */
  listHandlers(): readonly Handler[]
}

const isPassthrough = (response: Response): boolean =>
  response.status === 302 && response.headers.get('x-msw-intention') === 'passthrough'

const textHead = { 'content-type': 'text/plain; charset=utf-8' }

/** Builds the route over `initial` handlers, resolving each request with `getResponse`. */
export function createRoute<Handler>(
  getResponse: GetResponse<Handler>,
  initial: readonly Handler[],
): MswRoute<Handler> {
  let base = [...initial]
  let current = [...initial]

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const origin = originOf(req)
    const controller = new AbortController()
    res.once('close', () => {
      if (!res.writableFinished) controller.abort()
    })
    // A body the handler never read would block the next request on this kept-alive socket.
    res.once('finish', () => {
      if (!req.readableEnded) req.resume()
    })
    const request = toFetchRequest(req, origin, controller.signal)
    const url = new URL(request.url)
    let response: Response | undefined
    try {
      response = await getResponse(current, request, { baseUrl: origin })
    } catch (error) {
      return void res.writeHead(500, textHead).end(threwMessage(request.method, url, error))
    }
    if (response === undefined || isPassthrough(response)) {
      const body = unhandledMessage(request.method, url, response !== undefined)
      return void res.writeHead(501, textHead).end(body)
    }
    // Response.error() is a network error: the client must see the connection fail, not a status.
    if (response.type === 'error') return void req.socket.destroy()
    await writeResponse(req, res, response)
  }

  return Object.assign(answer, {
    use(...handlers: Handler[]): void {
      current = [...handlers, ...current]
    },
    resetHandlers(...next: Handler[]): void {
      if (next.length > 0) base = [...next]
      current = [...base]
    },
    restoreHandlers(): void {
      for (const handler of current) {
        if (typeof handler === 'object' && handler !== null && 'isUsed' in handler)
          (handler as { isUsed: boolean }).isUsed = false
      }
    },
    listHandlers: (): readonly Handler[] => [...current],
  })
}
