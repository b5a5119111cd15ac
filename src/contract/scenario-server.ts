import type { IncomingMessage, ServerResponse } from 'node:http'
import { createTestServer, type TestServer } from '../server.js'
import { formatConnection, formatTimeline } from '../timeline.js'
import type { RecordedRequest, TestServerOptions } from '../types.js'
import { bodyFor, readBody, send } from './respond.js'
import { type Exchange, findRetries, formatRetry } from './retries.js'
import type { Respond } from './types.js'

/** Answers one request of a scenario; `reply(status)` sends the adopter's body with that status. */
export type Answer = (request: RecordedRequest, reply: Reply, res: ServerResponse) => unknown

/** Sends the adopter's body for `status`, with any extra headers the scenario adds. */
export type Reply = (status: number, headers?: Record<string, string>) => Promise<void>

/** A server of a scenario: test-server options (no handler) and how the scenario answers. */
export type ScenarioServerOptions = Omit<TestServerOptions, 'handler' | 'handlers'> & {
  answer?: Answer
}

/** A server a scenario started, with what it did with each request. */
export interface Started {
  readonly server: TestServer
  readonly exchanges: Map<RecordedRequest, Exchange>
}

/**
 * Starts a test server whose every answer carries `respond`'s body, recording the status and
 * request body of each exchange. An error from `respond` goes to `failed`; the response is cut.
 */
export async function startServer(
  { answer, ...options }: ScenarioServerOptions,
  respond: Respond | undefined,
  failed: (error: unknown) => void,
): Promise<Started> {
  const exchanges = new Map<RecordedRequest, Exchange>()
  let server: TestServer | undefined
  const answerWith: Answer = answer ?? ((_, reply) => reply(200))
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // The server records a request just before it calls the handler, in the same tick.
    const request = server?.requests.at(-1)
    if (request === undefined) return void res.destroy()
    const exchange: Exchange = { status: undefined, body: undefined }
    exchanges.set(request, exchange)
    exchange.body = await readBody(req)
    const reply: Reply = async (status, headers) => {
      try {
        const body = await bodyFor(respond, { method: request.method, path: request.url, status })
        exchange.status = status
        send(res, status, { ...body, headers: { ...body.headers, ...headers } })
      } catch (error) {
        failed(error)
        res.destroy()
      }
    }
    await answerWith(request, reply, res)
  }
  server = await createTestServer({ ...options, handler })
  return { server, exchanges }
}

/** What each server recorded: its requests (when `timeline`), retries and connections. */
export function describeServers(started: readonly Started[], timeline: boolean): string {
  const several = started.length > 1
  return started
    .map(({ server, exchanges }, i) => {
      const name = several
        ? `Server ${'AB'[i] ?? i + 1} (${server.url})`
        : `The server (${server.url})`
      const requests = !timeline
        ? ':'
        : server.requests.length
          ? ` received:\n${formatTimeline(server.requests)}`
          : ' received no request.'
      const retries = findRetries(server.requests, exchanges)
      const connections = server.connections.map((each) => `  ${formatConnection(each)}`)
      return [
        `${name}${requests}`,
        ...(retries.length ? ['Retries:', ...retries.map(formatRetry)] : []),
        ...(connections.length ? ['Connections:', ...connections] : []),
      ].join('\n')
    })
    .join('\n\n')
}
