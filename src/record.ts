import type { IncomingMessage } from 'node:http'
import { performance } from 'node:perf_hooks'
import type { Connection } from './connection.js'
import { asksToClose } from './connection-header.js'
import type { Interner } from './interner.js'
import type { ResolvedOptions } from './options.js'
import { lacksHost } from './refusals.js'
import type { CloseReason, RecordedRequest } from './types.js'

const single = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(', ') : value

/** The record of a request node parsed, the `index`-th on its server, carried by `connection`. */
export function recordOf(
  req: IncomingMessage,
  connection: Connection,
  index: number,
  interner: Interner,
  streamId: number | undefined,
): RecordedRequest {
  const indexOnConnection = connection.requestCount
  const recorded: RecordedRequest = {
    index,
    connectionId: connection.id,
    indexOnConnection,
    reusedConnection: indexOnConnection > 0,
    remoteAddress: connection.remoteAddress,
    remotePort: connection.remotePort,
    httpVersion: req.httpVersion,
    method: req.method ?? '',
    url: interner.string(req.url ?? ''),
    headers: interner.headers(req),
    connectionHeader: req.headers.connection,
    keepAliveHeader: single(req.headers['keep-alive']),
    receivedAt: performance.now(),
    respondedAt: undefined,
  }
  // Only HTTP/2 records carry a stream id, so HTTP/1.1 records keep their shape and size.
  return streamId === undefined ? recorded : { ...recorded, streamId }
}

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
