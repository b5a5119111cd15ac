import type { TestServer } from '../server.js'
import { checkCount, serverOf } from '../subject.js'
import type { Verdict } from './types.js'
import { plural } from './wording.js'

/**
 * The server has exactly `n` connections open now. Takes a server, not requests; a server with
 * no requests is fine here.
 *
 * @example
 * await server.closeIdleConnections()
 * hasOpenConnections(server, 0).pass // true
 */
export function hasOpenConnections(server: TestServer, n: number): Verdict {
  const usage = 'toHaveOpenConnections(n)'
  const checked = serverOf(server, usage)
  const count = checkCount(n, usage, 'n', 0)
  const open = checked.openConnections.length
  const total = checked.connections.length
  const summary =
    total === 0
      ? 'no connection was opened'
      : `${open} of ${plural(total, 'connection')} ${open === 1 ? 'is' : 'are'} open`
  const counts = { requests: checked.requests.length, connections: total, reused: 0 }
  return { pass: open === count, summary, requests: checked.requests, findings: [], counts }
}
