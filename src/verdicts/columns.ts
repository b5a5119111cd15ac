import { requestAsksToClose } from '../connection-header.js'
import type { RecordedRequest } from '../types.js'

/**
 * The fields of some requests that verdicts read in their loops, one array per field, so a
 * verdict over a million requests walks typed arrays rather than objects. Index `i` is
 * `requests[i]`.
 */
export interface Columns {
  readonly length: number
  readonly connectionId: Float64Array
  readonly indexOnConnection: Uint32Array
  readonly receivedAt: Float64Array
  /** `NaN` while unanswered or never answered. */
  readonly respondedAt: Float64Array
  /** 1 when the request ended its connection by what it sent (see `requestAsksToClose`). */
  readonly asksToClose: Uint8Array
  /** The raw `Connection` header of each request, `undefined` when it sent none. */
  readonly connectionHeader: readonly (string | undefined)[]
}

// Journals that keep their own columns hand them over here rather than be read object by object.
const provided = new WeakMap<readonly RecordedRequest[], () => Columns>()

/** Lets a journal that stores columns hand them to the verdicts for `requests` (its own view). */
export function provideColumns(requests: readonly RecordedRequest[], columns: () => Columns): void {
  provided.set(requests, columns)
}

/** The columns of `requests`: the journal's own when it keeps them, else read in one pass. */
export function columnsOf(requests: readonly RecordedRequest[]): Columns {
  const own = provided.get(requests)
  if (own !== undefined) return own()
  const { length } = requests
  const columns = {
    length,
    connectionId: new Float64Array(length),
    indexOnConnection: new Uint32Array(length),
    receivedAt: new Float64Array(length),
    respondedAt: new Float64Array(length),
    asksToClose: new Uint8Array(length),
    // Filled by push: `new Array(n)` of a million is a dictionary, slow to read.
    connectionHeader: [] as (string | undefined)[],
  }
  for (let i = 0; i < length; i++) {
    const request = requests[i] as RecordedRequest
    columns.connectionId[i] = request.connectionId
    columns.indexOnConnection[i] = request.indexOnConnection
    columns.receivedAt[i] = request.receivedAt
    columns.respondedAt[i] = request.respondedAt ?? Number.NaN
    columns.connectionHeader.push(request.connectionHeader)
    columns.asksToClose[i] = requestAsksToClose(request) ? 1 : 0
  }
  return columns
}
