import type { RecordedRequest } from '../types.js'

/** What the contract's server did with one request: the status it sent and the body it read. */
export interface Exchange {
  /** `undefined` when the request got no answer (a fault, or a cut connection). */
  status: number | undefined
  body: string | undefined
}

/** A request that repeats an earlier one that failed. */
export interface Retry {
  readonly request: RecordedRequest
  readonly of: RecordedRequest
  /** How the earlier one failed: `503`, or `no answer`. */
  readonly after: string
  /** Headers SDKs send on retries (an attempt counter), as `name: value`. */
  readonly headers: readonly string[]
}

/** How long after a failure a repeat still counts as its retry. */
const soon = 60_000

const retryHeader = /retry|attempt|amz-sdk-request/i

const failed = (exchange: Exchange | undefined): boolean =>
  exchange?.status === undefined || exchange.status >= 500 || exchange.status === 429

/**
 * The requests that repeat an earlier one (same method, path and body) soon after it failed
 * with a 5xx or 429, or got no answer at all.
 */
export function findRetries(
  requests: readonly RecordedRequest[],
  exchanges: ReadonlyMap<RecordedRequest, Exchange>,
): Retry[] {
  const retries: Retry[] = []
  for (const [i, request] of requests.entries()) {
    const body = exchanges.get(request)?.body
    for (let j = i - 1; j >= 0; j--) {
      const earlier = requests[j]
      if (earlier === undefined || request.receivedAt - earlier.receivedAt > soon) break
      const exchange = exchanges.get(earlier)
      const sameBody = exchange?.body === undefined || body === undefined || exchange.body === body
      if (earlier.method !== request.method || earlier.url !== request.url || !sameBody) continue
      if (!failed(exchange)) break
      const headers = Object.entries(request.headers)
        .filter(([name]) => retryHeader.test(name))
        .map(([name, value]) => `${name}: ${String(value)}`)
      retries.push({
        request,
        of: earlier,
        after: exchange?.status === undefined ? 'no answer' : String(exchange.status),
        headers,
      })
      break
    }
  }
  return retries
}

/** One retry as one line, for failure messages and annotations. */
export function formatRetry({ request, of, after, headers }: Retry): string {
  const connection = `conn ${request.connectionId}${request.reusedConnection ? '' : ', a new connection'}`
  return `  #${request.index} repeats #${of.index} (after ${after}) on ${connection}${headers.length ? ` · ${headers.join(', ')}` : ''}`
}
