import { MatcherUsageError } from './errors.js'
import type { TestServer } from './server.js'
import type { RecordedRequest } from './types.js'

/** What a verdict or matcher takes: a test server, some of its recorded requests, or one. */
export type Subject = TestServer | readonly RecordedRequest[] | RecordedRequest

const isRequest = (value: unknown): value is RecordedRequest =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as RecordedRequest).connectionId === 'number' &&
  typeof (value as RecordedRequest).indexOnConnection === 'number'

/** True for the servers `createTestServer()` returns. */
export const isTestServer = (value: unknown): value is TestServer =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as TestServer).requests) &&
  Array.isArray((value as TestServer).connections) &&
  typeof (value as TestServer).closeIdleConnections === 'function'

/** Names a received value the way a usage error shows it. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`
  if (Array.isArray(value))
    return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`
  if (typeof value === 'object') return `an object of type ${value.constructor?.name ?? 'Object'}`
  return `${typeof value} ${String(value)}`
}

/**
 * The recorded requests a subject stands for. Throws a `MatcherUsageError` for anything else,
 * and for a subject with no requests, which means nothing reached the server.
 */
export function requestsOf(subject: unknown, usage: string): readonly RecordedRequest[] {
  const requests = isTestServer(subject)
    ? subject.requests
    : isRequest(subject)
      ? [subject]
      : subject
  if (!Array.isArray(requests) || !requests.every(isRequest)) {
    throw new MatcherUsageError(
      `${usage}: the received value must be a test server from createTestServer(), an array of its recorded requests (server.requests or a slice of it), or one recorded request. Received ${describeValue(subject)}.`,
    )
  }
  if (requests.length === 0) {
    throw new MatcherUsageError(
      `${usage}: no request reached the test server, so there is nothing to judge. Likely causes:\n` +
        '  - the client was sent to another URL: use server.url or server.urlFor(path);\n' +
        '  - the request was never awaited, so the test checked before it was sent;\n' +
        "  - msw's setupServer() answered it in-process: add passthroughTestServers() from 'keepalive-kit/msw' to its handlers;\n" +
        '  - server.clear() ran after the requests.',
    )
  }
  return requests
}

/** Throws a `MatcherUsageError` unless `n` is a whole number of at least `min`. */
export function checkCount(n: unknown, usage: string, min = 1): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min)
    throw new MatcherUsageError(
      `${usage}: expected a whole number of at least ${min}, got ${describeValue(n)}.`,
    )
  return n
}
