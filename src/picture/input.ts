import { KeepAliveKitError } from '../errors.js'
import { describeValue, isRecordedRequest } from '../subject.js'
import type { RecordedConnection, RecordedRequest } from '../types.js'

/**
 * What a timeline picture is drawn from: the requests, and the connections when they are known
 * (a test server knows them; a slice of its requests does not).
 *
 * @example
 * renderTimelineSvg({ requests: server.requests.slice(2), connections: server.connections })
 */
export interface TimelineRecord {
  readonly requests: readonly RecordedRequest[]
  readonly connections?: readonly RecordedConnection[] | undefined
}

/** The requests and connections a picture's subject stands for, or a usage error. */
export function timelineRecordOf(subject: unknown): TimelineRecord {
  if (Array.isArray(subject) && subject.every(isRecordedRequest)) return { requests: subject }
  if (isRecordedRequest(subject)) return { requests: [subject] }
  if (typeof subject === 'object' && subject !== null) {
    const { requests, connections } = subject as TimelineRecord
    if (
      Array.isArray(requests) &&
      requests.every(isRecordedRequest) &&
      (connections === undefined || Array.isArray(connections))
    )
      return { requests, connections }
  }
  throw new KeepAliveKitError(
    `renderTimelineSvg(subject): the subject must be a test server from createTestServer(), an array of its recorded requests, or { requests, connections }. Received ${describeValue(subject)}.`,
  )
}
