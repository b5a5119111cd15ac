import type { IncomingMessage, ServerResponse } from 'node:http'
import { defaultHandler } from './answer.js'
import { InvalidOptionError } from './errors.js'
import type { RequestHandler } from './types.js'

/**
 * Options of `awaitBurst()`.
 *
 * @example
 * createTestServer({ handler: awaitBurst(5, undefined, { timeout: 500 }) })
 */
export interface AwaitBurstOptions {
  /**
   * ms to wait, from the first held request, for the burst to fill up; then the held requests
   * are answered anyway, so a client that never sends `size` at once does not hang. Default `2000`.
   */
  timeout?: number
}

/**
 * A handler that makes a concurrent burst visible to the server: it holds the first `size`
 * requests unanswered until `size` are in flight at once, then lets `handler` answer them all;
 * every later request is answered at once. Without it, a server that answers instantly can see a
 * client's concurrent requests one after another, which no rule can tell from a client that
 * opens a new connection while another sits idle (see docs/matchers.md).
 *
 * @example
 * const server = await createTestServer({ handler: awaitBurst(5) })
 * await Promise.all(Array.from({ length: 5 }, () => get(server.url)))
 * for (let i = 0; i < 5; i++) await get(server.url)
 * expect(server).toReuseConnection()
 */
export function awaitBurst(
  size: number,
  handler: RequestHandler = defaultHandler,
  options: AwaitBurstOptions = {},
): RequestHandler {
  if (!Number.isSafeInteger(size) || size < 1)
    throw new InvalidOptionError(
      `awaitBurst(size): size must be a whole number of at least 1, the number of requests your client sends at once. Received ${JSON.stringify(size) ?? String(size)}.`,
    )
  const { timeout = 2000 } = options
  if (typeof timeout !== 'number' || !(timeout >= 0) || !Number.isFinite(timeout))
    throw new InvalidOptionError(
      `awaitBurst(size, handler, { timeout }): timeout must be a number of ms of at least 0. Received ${JSON.stringify(timeout) ?? String(timeout)}.`,
    )
  let held: (() => void)[] | undefined = []
  let timer: NodeJS.Timeout | undefined
  const release = (): void => {
    clearTimeout(timer)
    const waiting = held ?? []
    held = undefined
    for (const answer of waiting) answer()
  }
  return (req: IncomingMessage, res: ServerResponse) => {
    if (held === undefined) return handler(req, res)
    return new Promise<unknown>((resolve, reject) => {
      held?.push(() => {
        try {
          resolve(handler(req, res))
        } catch (error) {
          reject(error)
        }
      })
      if (held?.length === 1) {
        timer = setTimeout(release, timeout)
        timer.unref()
      }
      if ((held?.length ?? 0) >= size) release()
    })
  }
}
