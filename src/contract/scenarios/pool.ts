import type { ServerResponse } from 'node:http'
import { awaitBurst } from '../../burst.js'
import { hasOpenConnections, reusesConnection, usesAtMostConnections } from '../../verdicts.js'
import { type Answer, patternOf, type Reply } from '../context.js'
import { paths, type Scenario } from './types.js'

/**
 * Holds answers until `size` requests wait, so they are in flight at once; then answers all.
 * It is the public `awaitBurst`, with each request's `reply` found by its response.
 */
function burst(size: number): Answer {
  const replies = new WeakMap<ServerResponse, Reply>()
  // A client whose pool is smaller than declared never fills the burst; don't hang it.
  const held = awaitBurst(size, (_req, res) => replies.get(res)?.(200), { timeout: 1000 })
  return (_request, reply, res) => {
    replies.set(res, reply)
    return held(res.req, res)
  }
}

export const concurrency: Scenario = {
  id: 'concurrency',
  short: 'pool',
  title: 'parallel requests stay within the pool, and its connections are reused afterwards',
  healthy:
    'A healthy client opens at most its pool size of connections for parallel requests, then sends later requests on them.',
  waits: 6,
  async run(context) {
    const { concurrency: count, poolSize } = context.options
    const limit = Math.min(count, poolSize)
    const server = await context.server({ answer: burst(limit) })
    const urls = paths('/parallel', count).map((path) => server.urlFor(path))
    await Promise.all(urls.map((url) => context.sequential([url])))
    const parallel = [...server.requests]
    await context.sequential(paths('/after', count).map((path) => server.urlFor(path)))
    const after = server.requests.slice(parallel.length)
    context.expect(
      usesAtMostConnections(parallel, limit),
      `expect(requests).toUseAtMostConnections(${limit})`,
    )
    // An unbounded pool may open one more connection later (undici does); a declared size holds.
    if (Number.isFinite(poolSize))
      context.expect(
        usesAtMostConnections(server, poolSize),
        `expect(server).toUseAtMostConnections(${poolSize})`,
      )
    context.expect(reusesConnection(after), 'expect(after).toReuseConnection()')
    return `${patternOf(parallel)} | ${patternOf(after)}`
  },
}

export const staleConnection: Scenario = {
  id: 'stale-connection',
  short: 'stale',
  title: 'the server closes a kept-alive connection just as the client reuses it',
  healthy:
    'When the server closes a kept-alive connection as a request is sent on it, a client that retries sends it again on a new connection; one that does not rejects promptly, and its next request succeeds on a new connection. Over HTTP/2 the request is a later stream of a session that carried one, and the close is a GOAWAY naming that stream (it may have been processed), then the connection closed: the client surfaces the error or resends on a new session, and never sends on the dead one.',
  waits: 5,
  async run(context) {
    const server = await context.server()
    server.failNextReusedRequest('no-response')
    const hit = (): boolean =>
      server.connections.some((connection) => connection.fault !== undefined)
    for (const [i, path] of paths('/stale', 4).entries()) {
      const { error } = await context.attempt(server.urlFor(path))
      if (!hit()) {
        if (error !== undefined)
          context.fail(`request ${i + 1} failed before the race was staged: ${String(error)}`)
        continue
      }
      const retried = error === undefined
      if (retried && !context.options.retriesStaleConnections)
        context.fail(
          'the request succeeded on a retry, but the contract was told `retriesStaleConnections: false`. Declare `retriesStaleConnections: true`.',
        )
      if (!retried && context.options.retriesStaleConnections)
        context.fail(
          `the request failed instead of being retried on a new connection: ${String(error)}`,
        )
      // The closed connection is gone, so this one can only succeed on a live one.
      const after = server.urlFor('/stale/after')
      const next = await context.attempt(after)
      if (next.error !== undefined)
        context.fail(
          `the request after the race (${after}) failed: ${String(next.error)}. The server closed the connection the race was staged on${context.options.http2 ? ' (GOAWAY, then a close)' : ''}, so the client must send this request on a new ${context.options.http2 ? 'session' : 'connection'}.`,
        )
      return `${patternOf(server.requests)} · ${retried ? 'retried' : 'error surfaced'}`
    }
    return context.fail(
      `the client never reused a connection, so the race could not be staged: ${patternOf(server.requests)}`,
    )
  },
}

export const closesConnections: Scenario = {
  id: 'close',
  short: 'close()',
  title: 'the client closes its connections when told to',
  healthy:
    'A healthy client closes every connection it holds when its close() is called, leaving none open on the server.',
  waits: 5,
  async run(context) {
    const server = await context.server({ idleTimeout: 0 })
    const { client } = context
    if (client.close === undefined) return context.skip('the client has no `close()`')
    await context.sequential(paths('/before-close', 3).map((path) => server.urlFor(path)))
    await context.bounded('close()', () => client.close?.())
    await context.allClosed(server)
    context.expect(hasOpenConnections(server, 0), 'expect(server).toHaveOpenConnections(0)')
    return patternOf(server.requests)
  },
}
