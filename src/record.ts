import type { IncomingMessage } from 'node:http'
import { asksToClose } from './connection-header.js'
import type { ResolvedOptions } from './options.js'
import { lacksHost } from './refusals.js'
import type { CloseReason } from './types.js'

/** Why the server closes after answering this request, or `undefined` to keep it alive. */
export function closeReason(
  req: IncomingMessage,
  requestsOnConnection: number,
  overHttp2: boolean,
  options: ResolvedOptions,
): CloseReason | undefined {
  // Node's own rule, kept: an HTTP/1.1 request without Host is answered 400 and the connection closed.
  if (lacksHost(req)) return 'error'
  // HTTP/2 has no Connection header: a client ends a session by closing it, not by asking.
  // (An `HTTP/2.0` request line over HTTP/1 is not HTTP/2, and closes as HTTP/1.0 would.)
  if (!overHttp2 && asksToClose(req.httpVersion, req.headers.connection)) return 'client-asked'
  if (!options.keepAlive) return 'keep-alive-disabled'
  if (requestsOnConnection >= options.maxRequestsPerConnection) return 'max-requests'
  return undefined
}
