import { droppedBefore } from '../journal/view.js'
import type { TestServer } from '../server.js'
import { isTestServer, requestsOf } from '../subject.js'
import type { RecordedConnection, RecordedRequest } from '../types.js'

/**
 * What a verdict judges: the requests, and, when the server that recorded them is known, its
 * connection records (when each opened and closed, who closed it and why).
 */
export interface Journal {
  readonly requests: readonly RecordedRequest[]
  /** The record of connection `id`, or `undefined` for a hand-built journal. */
  connection(id: number): RecordedConnection | undefined
  /**
   * Every connection the server recorded, when the requests judged are its whole journal (the
   * subject was the server); `undefined` otherwise. For "carried no request".
   */
  readonly connections: readonly RecordedConnection[] | undefined
  /**
   * Requests the server recorded before `requests` and did not keep (a bounded journal, see
   * docs/server.md), when the requests judged are its whole journal; 0 otherwise. Verdicts judge
   * what was kept and say what was not.
   */
  readonly dropped: number
}

// The servers of this process, so that a slice of `server.requests` finds its connections.
const servers = new Set<WeakRef<TestServer>>()

/**
 * Remembers a server so that verdicts over its requests alone (a slice, one request) can read
 * its connection records. Held weakly: a forgotten server is collected as before.
 */
export function trackRecordingServer(server: TestServer): void {
  servers.add(new WeakRef(server))
}

// A bounded journal shows its requests from `index` = what it dropped; its records are made
// when read and the same object is handed out after.
const holds = (server: TestServer, request: RecordedRequest | undefined): boolean =>
  request !== undefined &&
  server.requests[request.index - droppedBefore(server.requests)] === request

/** The server whose journal holds these very request objects, if one of ours does. */
function ownerOf(requests: readonly RecordedRequest[]): TestServer | undefined {
  for (const ref of servers) {
    const server = ref.deref()
    if (server === undefined) servers.delete(ref)
    else if (holds(server, requests[0]) && holds(server, requests.at(-1))) return server
  }
  return undefined
}

/** Finds connection records by id: by position while ids are dense, as they are until clear(). */
function lookup(connections: readonly RecordedConnection[]): Journal['connection'] {
  const first = connections[0]?.id ?? 0
  let byId: Map<number, RecordedConnection> | undefined
  return (id) => {
    const at = connections[id - first]
    if (at?.id === id) return at
    byId ??= new Map(connections.map((connection) => [connection.id, connection]))
    return byId.get(id)
  }
}

const none = (): undefined => undefined

/** The journal a subject stands for. Throws the usage errors of `requestsOf`. */
export function journalOf(subject: unknown, usage: string): Journal {
  // A server's journal holds only its own records: not each of a million is looked at.
  const own = isTestServer(subject) && subject.requests.length > 0
  const requests = own ? subject.requests : requestsOf(subject, usage)
  return journalOfRequests(requests, isTestServer(subject) ? subject : ownerOf(requests))
}

/**
 * The journal of requests already in hand, with the connection records of `server`: by default
 * the server of ours that recorded them. The one way a request finds its connection (the
 * timeline's TLS columns, the protocol and resumption verdicts read it too).
 */
export function journalOfRequests(
  requests: readonly RecordedRequest[],
  server = ownerOf(requests),
): Journal {
  if (server === undefined)
    return { requests, connection: none, connections: undefined, dropped: 0 }
  const whole = requests === server.requests
  return {
    requests,
    connection: lookup(server.connections),
    connections: whole ? server.connections : undefined,
    dropped: whole ? droppedBefore(requests) : 0,
  }
}
