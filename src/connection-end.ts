import type { RecordedConnection } from './types.js'

/**
 * Who closed a connection and why, in the words every report uses (the text timeline, `serve`,
 * `check`, the picture and the HTML tables): `by client (client-closed)`,
 * `by server (idle-timeout)`, or `open`. A fault the test put on a response names the close in
 * place of its reason (`by server (fault reset)`), as the verdict findings do. With `withError`,
 * the error recorded on the connection follows (`by server (error: EPIPE: …)`); the picture and
 * the HTML table show it apart.
 */
export function closeOf(connection: RecordedConnection, withError = false): string {
  if (connection.closedAt === undefined || connection.closedBy === undefined) return 'open'
  const why = connection.fault === undefined ? connection.closeReason : `fault ${connection.fault}`
  const error = withError && connection.error !== undefined ? `: ${connection.error}` : ''
  return `by ${connection.closedBy} (${why}${error})`
}
