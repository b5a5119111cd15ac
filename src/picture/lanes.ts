import type { RecordedConnection, RecordedRequest } from '../types.js'
import type { TimelineRecord } from './input.js'

/**
 * One row of the picture: one connection, or a run of consecutive connections when there are
 * more than fit (then its marks are counted per few pixels, see draw.ts).
 */
export interface Lane {
  /** The first and last connection id in the lane. */
  readonly firstId: number
  readonly lastId: number
  /** The connections drawn in it; more than one only when lanes are aggregated. */
  readonly connections: readonly LaneConnection[]
  /** Its requests, in arrival order. */
  readonly requests: RecordedRequest[]
  /** When the first of its connections opened and the last one ended (or the picture ends). */
  readonly start: number
  readonly end: number
}

/** A connection as a lane draws it: the recorded one, or what its requests tell of it. */
export interface LaneConnection {
  readonly id: number
  readonly openedAt: number
  /** `undefined` while open, or when only requests were given. */
  readonly closedAt: number | undefined
  readonly requestCount: number
  /** `undefined` when only requests were given: its open and close were not recorded. */
  readonly recorded: RecordedConnection | undefined
}

/** The lanes of a picture and the clock they share. */
export interface Lanes {
  readonly lanes: readonly Lane[]
  /** First and last moment drawn, ms on the `performance.now()` clock. */
  readonly t0: number
  readonly t1: number
  readonly connectionCount: number
  /** How many connections share one lane: 1 unless there were more than `maxLanes`. */
  readonly perLane: number
  /** False when only requests were given, so opens and closes are unknown. */
  readonly connectionsRecorded: boolean
}

function connectionsOf(record: TimelineRecord): LaneConnection[] {
  const byId = new Map<number, LaneConnection>()
  for (const recorded of record.connections ?? []) byId.set(recorded.id, { ...recorded, recorded })
  // Requests on connections the record does not hold (a slice, or recorded before clear()).
  for (const request of record.requests) {
    const known = byId.get(request.connectionId)
    if (known === undefined)
      byId.set(request.connectionId, {
        id: request.connectionId,
        openedAt: request.receivedAt,
        closedAt: undefined,
        requestCount: 1,
        recorded: undefined,
      })
    else if (known.recorded === undefined)
      byId.set(request.connectionId, { ...known, requestCount: known.requestCount + 1 })
  }
  return [...byId.values()].sort((a, b) => a.id - b.id)
}

function clockOf(record: TimelineRecord, connections: readonly LaneConnection[]) {
  let t0 = Number.POSITIVE_INFINITY
  let t1 = Number.NEGATIVE_INFINITY
  const see = (t: number | undefined) => {
    if (t === undefined) return
    if (t < t0) t0 = t
    if (t > t1) t1 = t
  }
  for (const connection of connections) {
    see(connection.openedAt)
    see(connection.closedAt)
  }
  // A loop, not Math.min(...): the journal can hold a million requests.
  for (const request of record.requests) see(request.receivedAt)
  if (!Number.isFinite(t0)) return { t0: 0, t1: 1 }
  // Everything at one instant still needs a width to be drawn.
  return { t0, t1: Math.max(t1, t0 + 1) }
}

/**
 * Splits a record into lanes: one per connection, or runs of consecutive connections, at most
 * `maxLanes` lanes.
 */
export function lanesOf(record: TimelineRecord, maxLanes: number): Lanes {
  const connections = connectionsOf(record)
  const { t0, t1 } = clockOf(record, connections)
  const perLane = Math.max(1, Math.ceil(connections.length / maxLanes))
  const lanes: Lane[] = []
  const laneOfId = new Map<number, Lane>()
  for (let at = 0; at < connections.length; at += perLane) {
    const group = connections.slice(at, at + perLane)
    const first = group[0]
    const last = group[group.length - 1]
    if (first === undefined || last === undefined) continue
    let start = Number.POSITIVE_INFINITY
    let end = Number.NEGATIVE_INFINITY
    for (const c of group) {
      start = Math.min(start, c.openedAt)
      end = Math.max(end, c.closedAt ?? t1)
    }
    const lane: Lane = {
      firstId: first.id,
      lastId: last.id,
      connections: group,
      requests: [],
      start,
      end,
    }
    lanes.push(lane)
    for (const c of group) laneOfId.set(c.id, lane)
  }
  for (const request of record.requests) laneOfId.get(request.connectionId)?.requests.push(request)
  return {
    lanes,
    t0,
    t1,
    connectionCount: connections.length,
    perLane,
    connectionsRecorded: record.connections !== undefined,
  }
}
