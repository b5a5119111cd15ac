import { Agent, type ClientRequest, get, type IncomingMessage, request } from 'node:http'
import type {
  ContractClient,
  ContractRequestInit,
  KeepAliveContractOptions,
} from '../../src/contract/index.js'
import { runKeepAliveScenario, type ScenarioResult } from '../../src/contract/runner.js'
import { keepAliveScenarios } from '../../src/contract/scenarios.js'

/** Runs the one scenario named `id` with `options`, outside any runner. */
export const run = (id: string, options: KeepAliveContractOptions): Promise<ScenarioResult> => {
  const scenario = keepAliveScenarios.find((each) => each.id === id)
  if (scenario === undefined) throw new Error(`no scenario ${id}`)
  return runKeepAliveScenario(scenario, options)
}

/** node:http with the given agent and headers; reads every body unless told not to. */
export function httpClient(
  agent: () => Agent | false,
  {
    headers = {},
    readErrorBodies = true,
  }: { headers?: Record<string, string>; readErrorBodies?: boolean } = {},
): ContractClient {
  return {
    request: (url) =>
      new Promise((resolve, reject) => {
        get(url, { agent: agent(), headers }, (res: IncomingMessage) => {
          // The bug this client is built to have: an error response's body is never read.
          if (!readErrorBodies && (res.statusCode ?? 0) >= 400) return resolve(res.statusCode)
          res.resume().on('end', resolve).on('error', reject)
        }).on('error', reject)
      }),
  }
}

/** A healthy client: one keepAlive agent for all its requests, destroyed by close(). */
export function keepAliveClient(): ContractClient {
  const agent = new Agent({ keepAlive: true })
  return { ...httpClient(() => agent), close: () => agent.destroy() }
}

/** keep-alive switched off the usual way: a non-keepAlive agent, which sends Connection: close. */
export const keepAliveOffClient = (): ContractClient =>
  httpClient(() => new Agent({ keepAlive: false }))

/** Sends one request with node:http and gives the response, body unread. */
export function send(
  agent: Agent,
  url: string,
  init: ContractRequestInit = {},
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req: ClientRequest = request(url, {
      agent,
      method: init.method ?? 'GET',
      headers: init.headers ?? {},
    })
    req.on('response', resolve).on('error', reject).end(init.body)
  })
}

/** Reads a response's body whole, as text. */
export async function text(res: IncomingMessage): Promise<string> {
  let body = ''
  for await (const chunk of res) body += String(chunk)
  return body
}

/**
 * A keepAlive client whose `stream()` gives node's response as it is; `breaks` picks the bug:
 * `'destroy-after-end'` throws the socket away after a stream read to its end;
 * `'abandon-keeps-socket'` leaves an abandoned stream paused and holding its socket, with a pool
 * of one socket, so the next request waits for ever.
 */
export function streamingClient(
  breaks?: 'destroy-after-end' | 'abandon-keeps-socket',
): ContractClient {
  const agent = new Agent({
    keepAlive: true,
    ...(breaks === 'abandon-keeps-socket' ? { maxSockets: 1 } : {}),
  })
  return {
    ...httpClient(() => agent),
    async stream(url, init) {
      const res = await send(agent, url, init)
      const { socket } = res
      if (breaks === 'destroy-after-end') res.on('end', () => socket.destroy())
      if (breaks !== 'abandon-keeps-socket') return res
      const chunks = res[Symbol.asyncIterator]()
      return {
        [Symbol.asyncIterator]: () => ({
          next: () => chunks.next(),
          // Walking away without destroying: the body stays unread on a busy socket.
          return: async () => {
            res.pause()
            return { done: true as const, value: undefined }
          },
        }),
      }
    },
    close: () => agent.destroy(),
  }
}

/**
 * A keepAlive client that retries a 5xx once, with an attempt header, and streams bodies. `drains: false` is the
 * bug of CLIENTS.md's "Real SDKs": the failed body is left unread, so the retry needs a new socket.
 */
export function retryingClient({ drains }: { drains: boolean }): ContractClient {
  const agent = new Agent({ keepAlive: true })
  const call = async (url: string, attempt: number): Promise<string> => {
    const res = await send(agent, url, { headers: { 'x-retry-attempt': String(attempt) } })
    if ((res.statusCode ?? 0) >= 500 && attempt === 0) {
      if (drains) await text(res)
      return call(url, attempt + 1)
    }
    return text(res)
  }
  return {
    request: (url) => call(url, 0),
    stream: (url, init) => send(agent, url, init),
    close: () => agent.destroy(),
  }
}

/**
 * An SDK bound to the host it was made with, as many are: it takes only the path of each URL,
 * and parses every body as JSON, rejecting anything else (no try/catch around it).
 */
export function boundJsonClient({ baseUrl }: { baseUrl: string }): ContractClient {
  const agent = new Agent({ keepAlive: true })
  return {
    request: async (url, init) => {
      const { pathname, search } = new URL(url)
      const res = await send(agent, `${baseUrl}${pathname}${search}`, init)
      const parsed: unknown = JSON.parse(await text(res))
      if ((res.statusCode ?? 0) >= 400) throw new Error(`HTTP ${res.statusCode}`)
      return parsed
    },
    close: () => agent.destroy(),
  }
}
