import { isTestServer } from '../subject.js'
import { formatConnection } from '../timeline.js'

/**
 * For a server subject, the lines that list its connections that completed a TLS handshake but
 * carried no request (Go and got open such connections on h2), or `''`. They use no request,
 * so the request timeline alone would never show them.
 */
export function unusedConnections(subject: unknown): string {
  if (!isTestServer(subject)) return ''
  const unused = subject.connections.filter(
    (connection) => connection.tls !== undefined && connection.requestCount === 0,
  )
  if (unused.length === 0) return ''
  const count = unused.length === 1 ? '1 connection' : `${unused.length} connections`
  return `\n\n${count} completed a TLS handshake but carried no request:\n${unused.map((connection) => `  ${formatConnection(connection)}`).join('\n')}`
}
