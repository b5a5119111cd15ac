import type { RecordedConnection, RecordedRequest } from '../types.js'

// Requests carry no link to their connection; for TLS ones the timeline and the TLS verdicts
// need its protocol and handshake, so the server notes it here. Clear-text requests pay nothing.
const connectionOf = new WeakMap<RecordedRequest, RecordedConnection>()

/** Notes that `request` travelled on the TLS connection `connection`. */
export function recordTlsRequest(request: RecordedRequest, connection: RecordedConnection): void {
  connectionOf.set(request, connection)
}

/**
 * The TLS connection that carried `request`, or `undefined` for a clear-text request (or a
 * hand-made record).
 */
export const tlsConnectionOf = (request: RecordedRequest): RecordedConnection | undefined =>
  connectionOf.get(request)
