import type { IncomingMessage } from 'node:http'
import type { ResolvedOptions } from './options.js'
import { lacksHost } from './refusals.js'
import type { CloseReason } from './types.js'

/**
 * Why the server closes after answering this request, or `undefined` to keep it alive.
 * `clientAsks`: the request asks to close (`asksToClose`; never over HTTP/2).
 */
export function closeReason(
  req: IncomingMessage,
  clientAsks: boolean,
  requestsOnConnection: number,
  options: ResolvedOptions,
): CloseReason | undefined {
  // Node's own rule, kept: an HTTP/1.1 request without Host is answered 400 and the connection closed.
  if (lacksHost(req)) return 'error'
  if (clientAsks) return 'client-asked'
  if (!options.keepAlive) return 'keep-alive-disabled'
  if (requestsOnConnection >= options.maxRequestsPerConnection) return 'max-requests'
  return undefined
}
