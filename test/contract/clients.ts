import { Agent, get, type IncomingMessage } from 'node:http'
import type { ContractClient } from '../../src/contract/index.js'

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
