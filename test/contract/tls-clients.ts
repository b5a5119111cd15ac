import * as https from 'node:https'
import { Agent, request } from 'undici'
import type { ClientTarget, ContractClient, ContractRequestInit } from '../../src/contract/index.js'

/** Sends one request with node:https and gives the response, body unread. */
function send(agent: https.Agent, url: string, init: ContractRequestInit = {}) {
  return new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    https
      .request(url, { agent, method: init.method ?? 'GET', headers: init.headers ?? {} })
      .on('response', resolve)
      .on('error', reject)
      .end(init.body)
  })
}

/**
 * node:https with a keepAlive agent that trusts the contract's CA: reads every body, streams
 * bodies, closes its sockets on close(). `agent` adds options (`maxCachedSessions: 0`, `keepAlive: false`).
 */
export function httpsClient({ ca }: ClientTarget, agent: https.AgentOptions = {}): ContractClient {
  const pool = new https.Agent({ keepAlive: true, ca, ...agent })
  return {
    request: async (url, init) => {
      const res = await send(pool, url, init)
      res.resume()
      await new Promise((resolve, reject) => res.on('end', resolve).on('error', reject))
      return res.statusCode
    },
    stream: (url, init) => send(pool, url, init),
    close: () => pool.destroy(),
  }
}

/** Retries a 5xx once: `client.request` has read the failed body, so the retry can reuse its connection. */
export function retryingOnce(client: ContractClient): ContractClient {
  return {
    ...client,
    request: async (url, init) => {
      const status = await client.request(url, {
        ...init,
        headers: { ...init?.headers, 'x-attempt': '1' },
      })
      if (typeof status !== 'number' || status < 500) return status
      return client.request(url, { ...init, headers: { ...init?.headers, 'x-attempt': '2' } })
    },
  }
}

/** undici 8 with HTTP/2 allowed (by ALPN over TLS, h2c with prior knowledge in clear text). */
export function undiciH2Client({ baseUrl, ca }: ClientTarget): ContractClient {
  const dispatcher = new Agent({
    allowH2: true,
    ...(baseUrl.startsWith('http:') ? { useH2c: true } : { connect: { ca } }),
  })
  const call = (url: string, init: ContractRequestInit = {}) =>
    request(url, {
      dispatcher,
      method: (init.method ?? 'GET') as 'GET',
      headers: init.headers ?? {},
      ...(init.body === undefined ? {} : { body: init.body }),
    })
  return {
    request: async (url, init) => {
      const res = await call(url, init)
      await res.body.text()
      return res.statusCode
    },
    stream: async (url, init) => (await call(url, init)).body,
    close: () => dispatcher.close(),
  }
}
