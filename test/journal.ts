// Hand-built journals for the verdict tests and the benchmark (bench/verdicts.ts), which imports
// this file as `../test/journal.ts` under Node's type stripping: type imports only.
import type { IncomingHttpHeaders } from 'node:http'
import type { RecordedRequest } from '../src/index.js'

/**
 * Requests carried by the given connection ids, in order, numbered as the server would number
 * them; every request shares `headers` and sends `connectionHeader`.
 *
 * @example
 * reusesConnection(journal([1, 2, 1, 2])).pass // true
 */
export function journal(
  ids: readonly number[],
  { connectionHeader = 'keep-alive', headers = {} as Readonly<IncomingHttpHeaders> } = {},
): RecordedRequest[] {
  const carried = new Map<number, number>()
  return ids.map((connectionId, index) => {
    const indexOnConnection = carried.get(connectionId) ?? 0
    carried.set(connectionId, indexOnConnection + 1)
    return {
      index,
      connectionId,
      indexOnConnection,
      reusedConnection: indexOnConnection > 0,
      remoteAddress: '127.0.0.1',
      remotePort: 40_000 + (connectionId % 20_000),
      httpVersion: '1.1',
      method: 'GET',
      url: '/',
      headers,
      connectionHeader,
      keepAliveHeader: undefined,
      receivedAt: index,
    }
  })
}
