import { countsBehind } from '../journal/view.js'
import { isTestServer, requestsOf } from '../subject.js'
import type { Verdict } from './types.js'
import { plural } from './wording.js'

/** What the counts of a `journal: 'counts'` server tell: requests, connections used, reuses. */
export interface Counted {
  readonly requests: number
  readonly used: number
  readonly reused: number
}

/**
 * The verdict of `holds` over the counts of a server whose journal keeps no request
 * (`journal: 'counts'`, docs/server.md), or `undefined` for any other subject. Only verdicts
 * that counts settle come here: how many connections, whether any request reused one.
 */
export function fromCounts(
  subject: unknown,
  usage: string,
  holds: (counted: Counted) => boolean,
): Verdict | undefined {
  if (!isTestServer(subject)) return undefined
  const counts = countsBehind(subject.requests)
  if (counts === undefined) return undefined
  // No request at all: the usage error every verdict gives for an empty journal.
  if (counts.requests === 0) requestsOf(subject, usage)
  const counted = {
    requests: counts.requests,
    used: counts.byConnection.size,
    reused: counts.reused,
  }
  const reuse =
    counted.reused === 0
      ? 'none was reused'
      : `${plural(counted.reused, 'request')} reused a connection`
  return {
    pass: holds(counted),
    summary: `${plural(counted.requests, 'request')} used ${plural(counted.used, 'connection')}; ${reuse} (counted per connection: the journal keeps no request records)`,
    requests: subject.requests,
    findings: [],
    counts: { requests: counted.requests, connections: counted.used, reused: counted.reused },
  }
}
