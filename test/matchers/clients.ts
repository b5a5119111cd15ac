// Real clients that produce the connection patterns of API.md's verdict table, measured on
// Node 24 against the test server (CLIENTS.md has the survey they come from).
import { once } from 'node:events'
import { type Agent, type IncomingMessage, request } from 'node:http'
import { onTestFinished } from 'vitest'
import type { RequestHandler, TestServer } from '../../src/index.js'
import { keepAliveAgent } from '../server/helpers.js'

type Options = { agent: Agent | false; headers?: Record<string, string>; noConnectionHeader?: true }

/** Sends one GET and resolves with the response, its body not read yet. */
function send(url: string, options: Options): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: options.agent, headers: options.headers ?? {} }, resolve)
    // Node adds `Connection` itself unless told it was removed: a client that sends none.
    if (options.noConnectionHeader) req.removeHeader('connection')
    req.on('error', reject).end()
  })
}

/** Sends one GET and reads its body to the end, which frees the socket for the next request. */
async function get(url: string, options: Options): Promise<void> {
  const res = await send(url, options)
  res.resume()
  await once(res, 'end')
}

// The connection id of each request (the pattern the verdict table is written in), and a wait
// for every connection to close: the server tests' helpers, shared.
export { allClosed, ids } from '../server/helpers.js'

/** node:http with a keep-alive agent, one request after another: 1,1,1,… */
export async function keepAliveInTurn(server: TestServer, n: number): Promise<void> {
  const agent = keepAliveAgent()
  for (let i = 0; i < n; i++) await get(server.url, { agent })
}

/** node:http with a keep-alive agent that sends no `Connection` header (HTTP/1.1's default). */
export async function keepAliveWithoutHeader(server: TestServer, n: number): Promise<void> {
  const agent = keepAliveAgent()
  for (let i = 0; i < n; i++) await get(server.url, { agent, noConnectionHeader: true })
}

/** node:http with `agent: false`: `Connection: close` and a new socket each time, 1,2,3,… */
export async function withoutAgent(server: TestServer, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await get(server.url, { agent: false })
}

/** fetch, `await fetch(); await res.text()` back to back: undici alternates, 1,2,1,2,… */
export async function fetchBackToBack(server: TestServer, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await fetch(server.url)
    await res.text()
  }
}

/**
 * A keep-alive agent whose first response body is never read: that socket stays busy, so the
 * rest go to a second one, 1,2,2,2,…
 */
export async function firstBodyUnread(server: TestServer, n: number): Promise<void> {
  const agent = keepAliveAgent()
  const unread = await send(server.url, { agent })
  onTestFinished(() => void unread.destroy())
  for (let i = 1; i < n; i++) await get(server.url, { agent })
}

/** 8 MB: more than loopback's socket buffers hold, so it never finishes unless it is read. */
const big = Buffer.alloc(8 * 1024 * 1024, 'a')

/** A handler that answers `/big` with 8 MB and anything else with `200 ok`. */
export const bigBodyHandler: RequestHandler = (req, res) =>
  void res.end(req.url === '/big' ? big : 'ok')

/**
 * A keep-alive agent whose first request gets 8 MB (serve it with `bigBodyHandler`), then `n - 1`
 * requests in turn. With `readAll: false` it reads only the first chunk of that body and leaves
 * the rest: the server ends the response but never finishes writing it, 1,2,2,2,…; else 1,1,1,…
 */
export async function firstBodyBig(
  server: TestServer,
  n: number,
  { readAll }: { readAll: boolean },
): Promise<void> {
  const agent = keepAliveAgent()
  const first = await send(server.urlFor('/big'), { agent })
  onTestFinished(() => void first.destroy())
  if (readAll) {
    first.resume()
    await once(first, 'end')
  } else {
    await once(first, 'data')
    first.pause()
  }
  for (let i = 1; i < n; i++) await get(server.url, { agent })
}

/**
 * The message of the assertion `assert` runs, which must fail. Remote ports change every run,
 * so they read `:PORT`, which keeps inline snapshots stable.
 */
export function failureOf(assert: () => void): string {
  try {
    assert()
  } catch (error) {
    return (error as Error).message.replace(/:\d{4,5}\b/g, ':PORT')
  }
  throw new Error('the assertion passed; the test expected it to fail')
}

/**
 * A concurrent burst of `size` requests from `agent` (or fetch), then `after` one at a time.
 * Pair it with `awaitBurst(size)` on the server, as docs/matchers.md tells users to.
 */
export async function burstThenInTurn(
  server: TestServer,
  client: 'node' | 'fetch' | 'undici',
  size: number,
  after: number,
): Promise<void> {
  const agent = keepAliveAgent()
  const { Agent: UndiciAgent, request: undiciRequest } = await import('undici')
  const dispatcher = new UndiciAgent()
  onTestFinished(() => dispatcher.close())
  const one = async (): Promise<void> => {
    if (client === 'node') return get(server.url, { agent })
    if (client === 'fetch') return void (await (await fetch(server.url)).text())
    return void (await (await undiciRequest(server.url, { dispatcher })).body.text())
  }
  await Promise.all(Array.from({ length: size }, one))
  for (let i = 0; i < after; i++) await one()
}

/**
 * A burst of `size` from one keep-alive agent, whose sockets then sit idle in its pool, then
 * `after` requests each from a new keep-alive agent: a client that makes a new pool per request.
 */
export async function burstThenNewClients(
  server: TestServer,
  size: number,
  after: number,
): Promise<void> {
  const agent = keepAliveAgent()
  await Promise.all(Array.from({ length: size }, () => get(server.url, { agent })))
  for (let i = 0; i < after; i++) await get(server.url, { agent: keepAliveAgent() })
}
