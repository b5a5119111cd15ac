import type { RecordedConnection, RecordedRequest } from '../../src/index.js'

/** A recorded request as the server would record it; the renderer is a pure function of these. */
export function request(
  fields: Partial<RecordedRequest> & { index: number; connectionId: number; receivedAt: number },
): RecordedRequest {
  const indexOnConnection = fields.indexOnConnection ?? 0
  return {
    indexOnConnection,
    reusedConnection: indexOnConnection > 0,
    remoteAddress: '127.0.0.1',
    remotePort: 40000 + fields.connectionId,
    httpVersion: '1.1',
    method: 'GET',
    url: '/',
    headers: {},
    connectionHeader: 'keep-alive',
    keepAliveHeader: undefined,
    respondedAt: undefined,
    ...fields,
  }
}

/** A recorded connection, closed by the client unless told otherwise. */
export function connection(
  fields: Partial<RecordedConnection> & { id: number; openedAt: number },
): RecordedConnection {
  return {
    remoteAddress: '127.0.0.1',
    remotePort: 40000 + fields.id,
    closedAt: fields.openedAt + 10,
    requestCount: 1,
    closedBy: 'client',
    closeReason: 'client-closed',
    error: undefined,
    fault: undefined,
    openedBy: undefined,
    protocol: 'http/1.1',
    tls: undefined,
    maxInFlight: 1,
    ...fields,
  }
}

/** `count` requests, each on its own connection opened just before it: 1,2,3,…,count. */
export function newSocketPerRequest(count: number) {
  const connections = Array.from({ length: count }, (_, i) =>
    connection({ id: i + 1, openedAt: i }),
  )
  const requests = connections.map((c, i) =>
    request({ index: i, connectionId: c.id, receivedAt: c.openedAt + 0.5 }),
  )
  return { requests, connections }
}

/** `count` requests one after another on one connection: 1,1,1,…. */
export function oneConnection(count: number) {
  const requests = Array.from({ length: count }, (_, i) =>
    request({ index: i, connectionId: 1, indexOnConnection: i, receivedAt: 1 + i * 0.2 }),
  )
  const connections = [
    connection({ id: 1, openedAt: 0, closedAt: 2 + count * 0.2, requestCount: count }),
  ]
  return { requests, connections }
}
