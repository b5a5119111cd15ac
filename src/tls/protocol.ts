import { MatcherUsageError } from '../errors.js'
import { describeValue } from '../subject.js'
import type { RecordedRequest } from '../types.js'
import type { Journal } from '../verdicts/journal.js'

/** What a connection spoke, as `RecordedConnection.protocol` and ALPN name it. */
export type Protocol = 'http/1.1' | 'h2'

/**
 * The protocol the connection that carried `request` spoke: its record's when the journal has it;
 * otherwise read from the request itself (HTTP/2 requests say `httpVersion: '2.0'`).
 */
const protocolOf = (request: RecordedRequest, journal: Journal): Protocol =>
  journal.connection(request.connectionId)?.protocol ??
  (request.httpVersion === '2.0' ? 'h2' : 'http/1.1')

/**
 * Throws a `MatcherUsageError` unless `value` is a protocol name (or `undefined`: any protocol).
 */
export function checkProtocol(value: unknown, usage: string): Protocol | undefined {
  if (value === undefined || value === 'http/1.1' || value === 'h2') return value
  throw new MatcherUsageError(
    `${usage}: protocol must be 'http/1.1' or 'h2'. Received ${describeValue(value)}.`,
  )
}

/**
 * Whether every request travelled over `protocol`, and the clause a verdict's summary adds to
 * say so: `'; every one over h2'`, or which requests went over what instead.
 */
export function onProtocol(
  journal: Journal,
  protocol: Protocol,
): { pass: boolean; clause: string } {
  const { requests } = journal
  const others = new Map<Protocol, number>()
  for (const request of requests) {
    const spoke = protocolOf(request, journal)
    if (spoke !== protocol) others.set(spoke, (others.get(spoke) ?? 0) + 1)
  }
  if (others.size === 0)
    return {
      pass: true,
      clause: `; ${requests.length === 1 ? 'it travelled' : 'every one travelled'} over ${protocol}`,
    }
  const off = [...others].map(
    ([spoke, count]) => `${count} of ${requests.length} requests travelled over ${spoke}`,
  )
  return { pass: false, clause: `; ${off.join(', ')}, not ${protocol}` }
}
