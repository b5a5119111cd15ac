import { KeepAliveKitError } from '../errors.js'
import { describeValue, isRecordedRequest } from '../subject.js'
import type { RecordedConnection, RecordedRequest } from '../types.js'
import { journalOfRequests } from '../verdicts/journal.js'

/**
 * What a timeline picture is drawn from: the requests, and the connections when they are known
 * (a test server knows them, and so does a slice of its requests, through the server).
 *
 * @example
 * renderTimelineSvg({ requests: server.requests.slice(2), connections: server.connections })
 */
export interface TimelineRecord {
  readonly requests: readonly RecordedRequest[]
  readonly connections?: readonly RecordedConnection[] | undefined
}

/**
 * Requests alone, with the records of the connections they used when a server of ours recorded
 * them (found as every verdict finds them); requests alone otherwise (built by hand, or recorded
 * before `clear()`).
 */
function withTheirConnections(requests: readonly RecordedRequest[]): TimelineRecord {
  const journal = journalOfRequests(requests)
  const connections: RecordedConnection[] = []
  for (const id of new Set(requests.map((request) => request.connectionId))) {
    const connection = journal.connection(id)
    if (connection !== undefined) connections.push(connection)
  }
  connections.sort((a, b) => a.id - b.id)
  return connections.length === 0 ? { requests } : { requests, connections }
}

/** The requests and connections a picture's subject stands for, or a usage error. */
export function timelineRecordOf(subject: unknown): TimelineRecord {
  if (Array.isArray(subject) && subject.every(isRecordedRequest))
    return withTheirConnections(subject)
  if (isRecordedRequest(subject)) return withTheirConnections([subject])
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
