import type { RecordedConnection, RecordedRequest } from '../types.js'

/** A recorded request as plain JSON data, for `--json` output. */
export function requestJson(request: RecordedRequest): Record<string, unknown> {
  return {
    index: request.index,
    connectionId: request.connectionId,
    indexOnConnection: request.indexOnConnection,
    reusedConnection: request.reusedConnection,
    remoteAddress: request.remoteAddress,
    remotePort: request.remotePort,
    httpVersion: request.httpVersion,
    method: request.method,
    url: request.url,
    connectionHeader: request.connectionHeader ?? null,
    keepAliveHeader: request.keepAliveHeader ?? null,
    headers: request.headers,
    receivedAt: request.receivedAt,
    respondedAt: request.respondedAt ?? null,
    streamId: request.streamId ?? null,
  }
}

/**
 * A recorded connection as plain JSON data. Copied field by field: the live record is a class
 * whose state JSON.stringify would not see.
 */
export function connectionJson(connection: RecordedConnection): Record<string, unknown> {
  return {
    id: connection.id,
    remoteAddress: connection.remoteAddress,
    remotePort: connection.remotePort,
    openedAt: connection.openedAt,
    closedAt: connection.closedAt ?? null,
    requestCount: connection.requestCount,
    closedBy: connection.closedBy ?? null,
    closeReason: connection.closeReason ?? null,
    error: connection.error ?? null,
    fault: connection.fault ?? null,
    protocol: connection.protocol ?? null,
    tls: connection.tls === undefined ? null : { ...connection.tls },
    maxInFlight: connection.maxInFlight,
    resetStreams: connection.resetStreams ?? [],
  }
}

/** Writes one line to stdout: a JSON object, or text. */
export function printLine(line: string | Record<string, unknown>): void {
  process.stdout.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`)
}
