// Hand-built journals for the verdict tests and the benchmark (bench/verdicts.ts), which imports
// this file as `../test/journal.ts` under Node's type stripping: type imports only.
import type { IncomingHttpHeaders } from 'node:http'
import type {
  CloseReason,
  FaultName,
  RecordedConnection,
  RecordedRequest,
  TestServer,
} from '../src/index.js'

/**
 * One step of a hand-built timeline: a connection id is one request on it, sent after the
 * previous step's response; an array is a burst (its new connections open, then every request
 * arrives, then every response is written); `{ open: id }` opens a connection that sends nothing.
 */
export type Step = number | readonly number[] | { readonly open: number }

/** How a connection of a hand-built timeline ended, right after its last response. */
type Ending = CloseReason | { readonly reason: CloseReason; readonly fault: FaultName }

export interface JournalOptions {
  /** The `Connection` header every request sends. Default `'keep-alive'`. */
  connectionHeader?: string | undefined
  /** Shared by every request, as the server's interner shares equal header sets. */
  headers?: Readonly<IncomingHttpHeaders>
  httpVersion?: string
  /** How connections ended, by id; the rest stay open. */
  ended?: Readonly<Record<number, Ending>>
}

const byClient: ReadonlySet<CloseReason> = new Set(['client-closed', 'client-reset'])

/**
 * A timeline as the test server would record it, on one clock that ticks once per event: a
 * server-shaped subject (`requests`, `connections`) that the verdicts read as they read a server.
 *
 * @example
 * reusesConnection(recorded([[1, 2, 3], 3, 3])).pass // true: a burst, then reuse
 */
export function recorded(steps: readonly Step[], options: JournalOptions = {}): TestServer {
  const { headers = {}, httpVersion = '1.1' } = options
  // `connectionHeader: undefined` is a client that sends none, not the default.
  const connectionHeader = 'connectionHeader' in options ? options.connectionHeader : 'keep-alive'
  const requests: RecordedRequest[] = []
  const connections = new Map<
    number,
    { -readonly [K in keyof RecordedConnection]: RecordedConnection[K] }
  >()
  let clock = 0
  const open = (id: number): void => {
    if (connections.has(id)) return
    connections.set(id, {
      id,
      remoteAddress: '127.0.0.1',
      remotePort: 40_000 + (id % 20_000),
      openedAt: ++clock,
      closedAt: undefined,
      requestCount: 0,
      closedBy: undefined,
      closeReason: undefined,
      error: undefined,
      fault: undefined,
      openedBy: undefined,
      protocol: 'http/1.1',
      tls: undefined,
      maxInFlight: 1,
    })
  }
  const receive = (id: number): { respondedAt: number | undefined } => {
    const connection = connections.get(id)
    if (connection === undefined) throw new Error(`connection ${id} never opened`)
    const indexOnConnection = connection.requestCount++
    const request = {
      index: requests.length,
      connectionId: id,
      indexOnConnection,
      reusedConnection: indexOnConnection > 0,
      remoteAddress: connection.remoteAddress,
      remotePort: connection.remotePort,
      httpVersion,
      method: 'GET',
      url: '/',
      headers,
      connectionHeader,
      keepAliveHeader: undefined,
      receivedAt: ++clock,
      respondedAt: undefined as number | undefined,
    }
    requests.push(request)
    return request
  }
  const lastResponse = new Map<number, number>()
  for (const step of steps) {
    if (typeof step === 'object' && 'open' in step) {
      open(step.open)
      continue
    }
    const burst = typeof step === 'number' ? [step] : step
    for (const id of burst) open(id)
    const received = burst.map((id) => receive(id))
    for (const [i, request] of received.entries()) {
      request.respondedAt = ++clock
      lastResponse.set(burst[i] as number, clock)
    }
  }
  for (const [id, ending] of Object.entries(options.ended ?? {})) {
    const connection = connections.get(Number(id))
    if (connection === undefined) continue
    const reason = typeof ending === 'string' ? ending : ending.reason
    connection.closedAt = (lastResponse.get(connection.id) ?? connection.openedAt) + 0.5
    connection.closeReason = reason
    connection.closedBy = byClient.has(reason) ? 'client' : 'server'
    connection.fault = typeof ending === 'string' ? undefined : ending.fault
  }
  const all = [...connections.values()].sort((a, b) => a.id - b.id)
  const server = {
    requests,
    connections: all,
    openConnections: all.filter((connection) => connection.closedAt === undefined),
    closeIdleConnections: async () => {},
  }
  return server as unknown as TestServer
}

/**
 * Requests carried by the given connection ids, in order, one after another, numbered as the
 * server would number them; every request shares `headers` and sends `connectionHeader`. No
 * connection records come with them: the verdicts judge them from the requests alone.
 *
 * @example
 * reusesConnection(journal([1, 2, 1, 2])).pass // true
 */
export function journal(
  ids: readonly number[],
  options: Omit<JournalOptions, 'ended'> = {},
): RecordedRequest[] {
  return [...recorded(ids, options).requests]
}
