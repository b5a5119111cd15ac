import { countsBehind, droppedBefore } from '../journal/view.js'
import type { TestServer } from '../server.js'
import type { RecordedConnection } from '../types.js'
import { plural } from '../verdicts/wording.js'

/** What a server's journal kept of the requests it recorded (`--journal`, docs/cli.md). */
export interface Kept {
  /** The `--journal` in effect: `all`, `counts` or `last=N`. */
  readonly journal: string
  /** Every request the server recorded, kept or not. */
  readonly recorded: number
  /** The requests `server.requests` holds: the last ones recorded. */
  readonly kept: number
  /** The requests recorded before the kept ones and not kept. */
  readonly notKept: number
  /** Requests that reused a connection, all of them: connection records count every request. */
  readonly reused: number
}

/** What `server`, run with `--journal journal`, kept. */
export function keptOf(server: TestServer, journal: string): Kept {
  const { requests } = server
  const notKept = droppedBefore(requests)
  return {
    journal,
    recorded: requests.length + notKept,
    kept: requests.length,
    notKept,
    // A journal of counts counted the reuses itself, and its verdict says that number.
    reused: countsBehind(requests)?.reused ?? reusesOn(server.connections),
  }
}

/** Every request after the first on a connection reused it; connection records are kept whole. */
function reusesOn(connections: readonly RecordedConnection[]): number {
  let reused = 0
  for (const connection of connections) reused += Math.max(connection.requestCount - 1, 0)
  return reused
}

/**
 * What the journal did not keep, as a clause for the reports (`the last 1,000 of 2,500 requests
 * are kept…`), or `undefined` when it kept every request.
 */
export function notKeptClause(kept: Kept): string | undefined {
  if (kept.notKept === 0) return undefined
  if (kept.kept === 0)
    return `no request records are kept (--journal ${kept.journal}), only how many requests each connection carried`
  const are = kept.kept === 1 ? 'is' : 'are'
  const were = kept.notKept === 1 ? 'was' : 'were'
  return `the last ${plural(kept.kept, 'request')} ${are} kept (--journal ${kept.journal}); ${plural(kept.notKept, 'earlier request')} ${were} not kept`
}
