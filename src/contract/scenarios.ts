import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  toHaveOpenConnections,
  toOpenNewSocketPerRequest,
  toReuseConnection,
  toSendConnectionHeader,
  toUseAtMostConnections,
} from '../../matchers/index.js'
import { patternOf, type ResolvedContractOptions, type ScenarioContext } from './run.js'
import type { ContractClient } from './types.js'

/** One scenario of the contract: what it checks, what a healthy client does, and the check. */
export interface Scenario {
  readonly id: string
  /** A few words for a table column. */
  readonly short: string
  readonly title: string
  readonly healthy: string
  /** Runs with the client from `createClientWithoutKeepAlive`. */
  readonly withoutKeepAlive?: boolean
  /** Why the scenario does not apply to this client, if it does not. */
  skip?(options: ResolvedContractOptions, client: ContractClient): string | undefined
  /** Runs the scenario; throws a `ContractFailure`; resolves to the connection pattern seen. */
  run(context: ScenarioContext): Promise<string>
}

const paths = (base: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${base}/${i + 1}`)

const errorBody = 'x'.repeat(16 * 1024)

/** 404 and 500 with a 16 KiB body on their paths, `200 ok` elsewhere. */
function errorsWithBodies(req: IncomingMessage, res: ServerResponse): void {
  const status = req.url?.includes('/404') ? 404 : req.url?.includes('/500') ? 500 : 200
  const body = status === 200 ? 'ok' : errorBody
  res
    .writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) })
    .end(body)
}

const sequentialReuse: Scenario = {
  id: 'sequential',
  short: 'reuse',
  title: 'sequential requests reuse connections',
  healthy:
    'A healthy client sends each request on a connection it has already opened: 1,1,1,1,1, or 1,2,1,2,1 for a pool.',
  async run(context) {
    const server = await context.server()
    await context.sequential(paths('/sequential', 5).map((path) => server.urlFor(path)))
    context.expect(toReuseConnection, server)
    return patternOf(server.requests)
  },
}

const clientKeepAliveOff: Scenario = {
  id: 'client-keep-alive-off',
  short: 'ka off',
  title:
    "with the client's keep-alive off, it sends Connection: close and opens a socket per request",
  healthy:
    'A healthy client with keep-alive switched off says `Connection: close` on every request and opens a new socket for each.',
  withoutKeepAlive: true,
  async run(context) {
    const server = await context.server()
    await context.sequential(paths('/no-keep-alive', 5).map((path) => server.urlFor(path)))
    context.expect(toSendConnectionHeader, server, 'close')
    context.expect(toOpenNewSocketPerRequest, server)
    return patternOf(server.requests)
  },
}

const serverKeepAliveOff: Scenario = {
  id: 'server-keep-alive-off',
  short: 'srv close',
  title: 'a server that disables keep-alive gets a new socket per request, and no request fails',
  healthy:
    "A healthy client honours the server's `Connection: close`: it opens a new socket for the next request and never sends it on the closed one.",
  async run(context) {
    const server = await context.server({ keepAlive: false })
    await context.sequential(paths('/server-closes', 5).map((path) => server.urlFor(path)))
    context.expect(toOpenNewSocketPerRequest, server)
    return patternOf(server.requests)
  },
}

const idleTimeout: Scenario = {
  id: 'idle-timeout',
  short: 'idle',
  title: 'after the server closes idle connections, the client reconnects and reuses again',
  healthy:
    'A healthy client reuses its connection within a burst, notices when the server closes it while idle, and opens a fresh one for the next burst without a failed request.',
  async run(context) {
    const server = await context.server({ idleTimeout: 300 })
    await context.sequential(paths('/burst-1', 3).map((path) => server.urlFor(path)))
    const first = [...server.requests]
    await context.allClosed(server)
    await context.sequential(paths('/burst-2', 3).map((path) => server.urlFor(path)))
    const second = server.requests.slice(first.length)
    context.expect(toReuseConnection, first)
    context.expect(toReuseConnection, second)
    return `${patternOf(first)} | ${patternOf(second)}`
  },
}

const twoServers: Scenario = {
  id: 'two-servers',
  short: '2 servers',
  title: 'one client keeps a separate kept-alive connection to each of two servers',
  healthy:
    'A healthy client keeps a pool per origin: alternating between two servers, it reuses its connection to each.',
  async run(context) {
    const a = await context.server()
    const b = await context.server()
    for (const path of paths('/alternate', 3))
      await context.sequential([a.urlFor(path), b.urlFor(path)])
    context.expect(toReuseConnection, a)
    context.expect(toReuseConnection, b)
    return `A ${patternOf(a.requests)} | B ${patternOf(b.requests)}`
  },
}

const errorResponses: Scenario = {
  id: 'error-responses',
  short: 'errors',
  title: 'error responses (404, 500 with a body) do not cost the connection',
  healthy:
    'A healthy client reads or discards the body of an error response, so the connection goes back to its pool and the next request reuses it.',
  async run(context) {
    const server = await context.server({ handler: errorsWithBodies })
    for (const path of ['/ok/1', '/404', '/500', '/ok/2', '/ok/3']) {
      // SDKs may reject error statuses; that is theirs to decide. Only the connection is judged.
      await context.request(server.urlFor(path)).catch((error: unknown) => {
        if (path.startsWith('/ok')) context.fail(`the request to ${path} failed: ${String(error)}`)
      })
    }
    context.expect(toReuseConnection, server)
    return patternOf(server.requests)
  },
}

/** Holds responses until `size` requests wait, so they are in flight at once; then answers all. */
function barrier(size: number): (req: IncomingMessage, res: ServerResponse) => void {
  const waiting: ServerResponse[] = []
  let open = false
  const release = (): void => {
    open = true
    clearTimeout(guard)
    for (const res of waiting.splice(0)) res.writeHead(200, { 'content-length': 2 }).end('ok')
  }
  // A client whose pool is smaller than declared never fills the barrier; don't hang it.
  const guard = setTimeout(release, 1000).unref()
  return (_req, res) => {
    waiting.push(res)
    if (open || waiting.length >= size) release()
  }
}

const concurrency: Scenario = {
  id: 'concurrency',
  short: 'pool',
  title: 'parallel requests stay within the pool, and its connections are reused afterwards',
  healthy:
    'A healthy client opens at most its pool size of connections for parallel requests, then sends later requests on them.',
  async run(context) {
    const { concurrency: count, poolSize } = context.options
    const limit = Math.min(count, poolSize)
    const server = await context.server({ handler: barrier(limit) })
    const urls = paths('/parallel', count).map((path) => server.urlFor(path))
    await Promise.all(urls.map((url) => context.sequential([url])))
    const parallel = [...server.requests]
    await context.sequential(paths('/after', count).map((path) => server.urlFor(path)))
    const after = server.requests.slice(parallel.length)
    context.expect(toUseAtMostConnections, parallel, limit)
    // An unbounded pool may open one more connection later (undici does); a declared size holds.
    if (Number.isFinite(poolSize)) context.expect(toUseAtMostConnections, server, poolSize)
    context.expect(toReuseConnection, after)
    return `${patternOf(parallel)} | ${patternOf(after)}`
  },
}

const staleConnection: Scenario = {
  id: 'stale-connection',
  short: 'stale',
  title: 'the server closes a kept-alive connection just as the client reuses it',
  healthy:
    'When the server closes a kept-alive connection as a request is sent on it, a client that retries sends it again on a new connection; one that does not rejects promptly, and its next request succeeds on a new connection.',
  async run(context) {
    const server = await context.server()
    server.failNextReusedRequest('no-response')
    const hit = (): boolean =>
      server.connections.some((connection) => connection.fault !== undefined)
    for (const [i, path] of paths('/stale', 4).entries()) {
      const outcome = await context.request(server.urlFor(path)).then(
        () => undefined,
        (error: unknown) => error,
      )
      if (!hit()) {
        if (outcome !== undefined)
          context.fail(`request ${i + 1} failed before the race was staged: ${String(outcome)}`)
        continue
      }
      const retried = outcome === undefined
      if (retried && !context.options.retriesStaleConnections)
        context.fail(
          'the request succeeded on a retry, but the contract was told `retriesStaleConnections: false`. Declare `retriesStaleConnections: true`.',
        )
      if (!retried && context.options.retriesStaleConnections)
        context.fail(
          `the request failed instead of being retried on a new connection: ${String(outcome)}`,
        )
      // The closed connection is gone, so this one can only succeed on a live one.
      await context.sequential([server.urlFor('/stale/after')])
      return `${patternOf(server.requests)} · ${retried ? 'retried' : 'error surfaced'}`
    }
    return context.fail(
      `the client never reused a connection, so the race could not be staged:\n${patternOf(server.requests)}`,
    )
  },
}

const closesConnections: Scenario = {
  id: 'close',
  short: 'close()',
  title: 'the client closes its connections when told to',
  healthy:
    'A healthy client closes every connection it holds when its close() is called, leaving none open on the server.',
  skip: (_, client) => (client.close ? undefined : 'the client has no `close()`'),
  async run(context) {
    const server = await context.server({ idleTimeout: 0 })
    await context.sequential(paths('/before-close', 3).map((path) => server.urlFor(path)))
    await context.client.close?.()
    await context.allClosed(server)
    context.expect(toHaveOpenConnections, server, 0)
    return patternOf(server.requests)
  },
}

/** Every scenario of the contract, in the order they run. */
export const keepAliveScenarios: readonly Scenario[] = [
  sequentialReuse,
  clientKeepAliveOff,
  serverKeepAliveOff,
  idleTimeout,
  twoServers,
  errorResponses,
  concurrency,
  staleConnection,
  closesConnections,
]
