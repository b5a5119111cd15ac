import { MatcherUsageError } from './errors.js'
import { droppedBefore } from './journal/view.js'
import type { TestServer } from './server.js'
import type { RecordedRequest } from './types.js'
import { describeValue } from './values.js'

export { describeValue } from './values.js'

/** What a verdict or matcher takes: a test server, some of its recorded requests, or one. */
export type Subject = TestServer | readonly RecordedRequest[] | RecordedRequest

/** True for one recorded request (checked by shape: records cross module and realm lines). */
export const isRecordedRequest = (value: unknown): value is RecordedRequest =>
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

const isThenable = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as PromiseLike<unknown>).then === 'function'

/** The usage error for a subject that is not a server, requests or one request. */
function wrongSubject(subject: unknown, usage: string): MatcherUsageError {
  // A forgotten `await createTestServer()` is the usual way to get here with an object.
  const hint = isThenable(subject) ? ' Did you forget to await it?' : ''
  return new MatcherUsageError(
    `${usage}: the received value must be a test server from createTestServer(), an array of its recorded requests (server.requests or a slice of it), or one recorded request. Received ${describeValue(subject)}.${hint}`,
  )
}

/**
 * The recorded requests a subject stands for. Throws a `MatcherUsageError` for anything else,
 * and for a subject with no requests, which means nothing reached the server.
 */
export function requestsOf(subject: unknown, usage: string): readonly RecordedRequest[] {
  const requests = isTestServer(subject)
    ? subject.requests
    : isRecordedRequest(subject)
      ? [subject]
      : subject
  // One pass, no copy: the journal can hold a million requests. A server's own requests need
  // none, and reading them would make every record of a journal kept as columns.
  if (!Array.isArray(requests) || (!isTestServer(subject) && !requests.every(isRecordedRequest)))
    throw wrongSubject(subject, usage)
  const dropped = requests.length === 0 && isTestServer(subject) ? droppedBefore(requests) : 0
  if (dropped > 0)
    throw new MatcherUsageError(
      `${usage}: the test server recorded ${dropped} request${dropped === 1 ? '' : 's'} but keeps no request records (option journal: 'counts'), and this check needs them. toUseConnections(n), toUseAtMostConnections(n) and toOpenNewSocketPerRequest() judge the counts; for this one, pass journal: { keepLast: n } instead.`,
    )
  if (requests.length === 0) {
    throw new MatcherUsageError(
      `${usage}: no request reached the test server, so there is nothing to judge. Likely causes:\n` +
        '  - the client was sent to another URL: use server.url or server.urlFor(path);\n' +
        '  - the request was never awaited, so the test checked before it was sent;\n' +
        "  - msw's setupServer() answered it in-process: add passthroughTestServers() from 'keepalive-kit/msw' to its handlers;\n" +
        '  - server.clear() ran after the requests' +
        (isTestServer(subject)
          ? '.'
          : ';\n  - the slice of server.requests is empty: check its bounds.'),
    )
  }
  return requests
}

/** Throws a `MatcherUsageError` unless `value` is a whole number of at least `min`. */
export function checkCount(value: unknown, usage: string, name: string, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw new MatcherUsageError(
      `${usage}: ${name} must be a whole number of at least ${min}. Received ${describeValue(value)}.`,
    )
  return value
}

/**
 * Throws a `MatcherUsageError` unless `value` is a test server; for the checks that read the
 * server's connections, which requests alone do not carry.
 */
export function serverOf(value: unknown, usage: string): TestServer {
  if (isTestServer(value)) return value
  const hint = isThenable(value)
    ? ' Did you forget to await it?'
    : Array.isArray(value) || isRecordedRequest(value)
      ? ' Recorded requests do not know which connections are open now: pass the server itself.'
      : ''
  throw new MatcherUsageError(
    `${usage}: the received value must be a test server from createTestServer(). Received ${describeValue(value)}.${hint}`,
  )
}
