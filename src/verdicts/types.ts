import type { RecordedRequest } from '../types.js'

/**
 * A fact the server recorded that explains what the requests did with their connections. Each
 * one is produced only when its cause is in the record: nothing here is guessed.
 * - `client-asked-close`: requests sent `Connection: close`;
 * - `http-1.0`: requests were HTTP/1.0, which closes after the response unless it asks otherwise;
 * - `client-closed`: the client closed connections itself after one request each;
 * - `server-closed`: the server closed connections (keep-alive off, idle timeout, max requests,
 *   a fault, an error); `reason` says which;
 * - `left-idle`: a response was written, then its connection sat idle and was never used again
 *   while the client opened another;
 * - `left-unfinished`: the server ended a response that never finished being written (the client
 *   did not read all of it), and the client never used its connection again while it opened
 *   another;
 * - `client-reset`: the client reset connections;
 * - `no-request`: connections carried no request.
 */
export interface Finding {
  readonly kind:
    | 'client-asked-close'
    | 'http-1.0'
    | 'client-closed'
    | 'server-closed'
    | 'left-idle'
    | 'left-unfinished'
    | 'client-reset'
    | 'no-request'
  /** For `server-closed`: the close reason, or `fault <name>`. */
  readonly reason?: string
  /** The connection ids it is about, ascending. */
  readonly connections: readonly number[]
  /** The fact in one sentence, as every report prints it. */
  readonly text: string
}

/** The outcome of checking recorded requests against one keep-alive expectation. */
export interface Verdict {
  /** Whether the expectation holds. Comes from the data only. */
  readonly pass: boolean
  /** One sentence that says what the requests did, true whether or not the verdict passed. */
  readonly summary: string
  /** The requests judged, for the timeline. */
  readonly requests: readonly RecordedRequest[]
  /** Recorded facts that explain the pattern (see `Finding`); empty when none applies. */
  readonly findings: readonly Finding[]
  /** Requests judged, distinct connections they used, and requests that reused one. */
  readonly counts: {
    readonly requests: number
    readonly connections: number
    readonly reused: number
  }
}
