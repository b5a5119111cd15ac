import { MatcherUsageError } from '../errors.js'
import type { Subject } from '../subject.js'
import type { RecordedConnection } from '../types.js'
import { journalOf } from '../verdicts/journal.js'
import { plural } from '../verdicts/wording.js'
import type { Verdict } from '../verdicts.js'

const list = (ids: readonly number[]): string =>
  ids.length === 1 ? `connection ${ids[0]}` : `connections ${ids.join(', ')}`

/**
 * Every TLS connection that carried a request of the subject, except the first, resumed a TLS
 * session (an abbreviated handshake). Fewer than two such connections is a usage error: there is
 * nothing to judge.
 *
 * @example
 * await get(server.url, { agent })
 * await server.closeIdleConnections()
 * await get(server.url, { agent })
 * resumesTlsSession(server).pass // true for a node:https keep-alive agent
 */
export function resumesTlsSession(subject: Subject): Verdict {
  const usage = 'toResumeTlsSession()'
  const journal = journalOf(subject, usage)
  const { requests } = journal
  const byId = new Map<number, RecordedConnection>()
  let known = 0
  for (const request of requests) {
    const connection = journal.connection(request.connectionId)
    if (connection !== undefined) known++
    if (connection?.tls !== undefined) byId.set(connection.id, connection)
  }
  const connections = [...byId.values()].sort((a, b) => a.id - b.id)
  const [first, ...later] = connections
  if (known === 0)
    throw new MatcherUsageError(
      `${usage}: the connections of these requests are not known (requests recorded before server.clear(), or built by hand), so there is no TLS handshake to judge. Pass the server, or requests from server.requests since its last clear().`,
    )
  if (first === undefined)
    throw new MatcherUsageError(
      `${usage}: the requests travelled in clear text, so there is no TLS session to judge. Create the server with createTestServer({ tls: true }) and send the client to its https:// URL.`,
    )
  if (later.length === 0)
    throw new MatcherUsageError(
      `${usage}: ${requests.length === 1 ? 'the request' : `all ${plural(requests.length, 'request')}`} travelled on one TLS connection (conn ${first.id}), so there is nothing to judge: a client resumes a session on its next connection. Make it open another: await server.closeIdleConnections() between two requests, then wait until the client has seen the close (for a node agent, until agent.freeSockets is empty), as docs/tls.md shows.`,
    )
  const full = later.filter((connection) => connection.tls?.resumed !== true).map((c) => c.id)
  const carried = `${plural(requests.length, 'request')} used ${plural(connections.length, 'TLS connection')}`
  const summary =
    full.length === 0
      ? `${carried}; every one after the first (conn ${first.id}) resumed a TLS session`
      : `${carried}; ${list(full)} made a full handshake instead of resuming the session of an earlier one`
  const reused = requests.filter((request) => request.reusedConnection).length
  return {
    pass: full.length === 0,
    summary,
    requests,
    // The findings explain a connection pattern; whether a handshake resumed is the summary's.
    findings: [],
    counts: { requests: requests.length, connections: connections.length, reused },
  }
}
