import {
  opensNewSocketPerRequest,
  reusesConnection,
  sendsConnectionHeader,
} from '../../verdicts.js'
import { patternOf } from '../context.js'
import { paths, type Scenario } from './types.js'

export const sequentialReuse: Scenario = {
  id: 'sequential',
  short: 'reuse',
  title: 'sequential requests reuse connections',
  healthy:
    'A healthy client sends each request on a connection it has already opened: 1,1,1,1,1, or 1,2,1,2,1 for a pool.',
  waits: 5,
  async run(context) {
    const server = await context.server()
    await context.sequential(paths('/sequential', 5).map((path) => server.urlFor(path)))
    // Over `http2: true`, a client that falls back to HTTP/1.1 must not pass as an h2 client.
    if (context.options.http2)
      context.expect(
        reusesConnection(server, { protocol: 'h2' }),
        "expect(server).toReuseConnection({ protocol: 'h2' })",
      )
    context.expect(reusesConnection(server), 'expect(server).toReuseConnection()')
    return patternOf(server.requests)
  },
}

export const clientKeepAliveOff: Scenario = {
  id: 'client-keep-alive-off',
  short: 'ka off',
  title:
    "with the client's keep-alive off, it sends Connection: close and opens a socket per request",
  healthy:
    'A healthy client with keep-alive switched off says `Connection: close` on every request and opens a new socket for each.',
  withoutKeepAlive: true,
  waits: 5,
  skip: (options) =>
    options.http2
      ? 'HTTP/2 has no `Connection: close` (RFC 9113 §8.2.2 forbids the header): a client ends an h2 connection with GOAWAY, not per request'
      : options.createClientWithoutKeepAlive
        ? undefined
        : 'no `createClientWithoutKeepAlive` given',
  async run(context) {
    const server = await context.server()
    await context.sequential(paths('/no-keep-alive', 5).map((path) => server.urlFor(path)))
    context.expect(
      sendsConnectionHeader(server, 'close'),
      "expect(server).toSendConnectionHeader('close')",
    )
    context.expect(opensNewSocketPerRequest(server), 'expect(server).toOpenNewSocketPerRequest()')
    return patternOf(server.requests)
  },
}

export const serverKeepAliveOff: Scenario = {
  id: 'server-keep-alive-off',
  short: 'srv close',
  title: 'a server that disables keep-alive gets a new socket per request, and no request fails',
  healthy:
    "A healthy client honours the server's `Connection: close`: it opens a new socket for the next request and never sends it on the closed one.",
  waits: 5,
  async run(context) {
    const server = await context.server({ keepAlive: false })
    await context.sequential(paths('/server-closes', 5).map((path) => server.urlFor(path)))
    context.expect(opensNewSocketPerRequest(server), 'expect(server).toOpenNewSocketPerRequest()')
    return patternOf(server.requests)
  },
}

export const idleTimeout: Scenario = {
  id: 'idle-timeout',
  short: 'idle',
  title: 'after the server closes idle connections, the client reconnects and reuses again',
  healthy:
    'A healthy client reuses its connection within a burst, notices when the server closes it while idle, and opens a fresh one for the next burst without a failed request.',
  waits: 7,
  async run(context) {
    const server = await context.server({ idleTimeout: 300 })
    await context.sequential(paths('/burst-1', 3).map((path) => server.urlFor(path)))
    const first = [...server.requests]
    await context.allClosed(server)
    await context.sequential(paths('/burst-2', 3).map((path) => server.urlFor(path)))
    const second = server.requests.slice(first.length)
    context.expect(reusesConnection(first), 'expect(firstBurst).toReuseConnection()')
    context.expect(reusesConnection(second), 'expect(secondBurst).toReuseConnection()')
    return `${patternOf(first)} | ${patternOf(second)}`
  },
}

export const twoServers: Scenario = {
  id: 'two-servers',
  short: '2 servers',
  title: 'one client keeps a separate kept-alive connection to each of two servers',
  healthy:
    'A healthy client keeps a pool per origin: alternating between two servers, it reuses its connection to each.',
  waits: 6,
  skip: (options) =>
    options.boundToBaseUrl
      ? 'the client is bound to one origin (`boundToBaseUrl: true`): each origin gets its own client, so there is no shared pool to judge'
      : undefined,
  async run(context) {
    const a = await context.server()
    const b = await context.server()
    for (const path of paths('/alternate', 3))
      await context.sequential([a.urlFor(path), b.urlFor(path)])
    if (b.requests.length === 0)
      context.fail(
        `every request reached server A, none server B: the client sends everything to the baseUrl it was made with (${a.url}), whatever the URL's origin. If your SDK is bound to one host by design, declare \`boundToBaseUrl: true\` and this scenario is skipped with that reason.`,
      )
    context.expect(reusesConnection(a), 'expect(serverA).toReuseConnection()')
    context.expect(reusesConnection(b), 'expect(serverB).toReuseConnection()')
    return context.pattern()
  },
}
