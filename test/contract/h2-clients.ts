import { type ClientHttp2Session, connect } from 'node:http2'
import type { ClientTarget, ContractClient, ContractRequestInit } from '../../src/contract/index.js'

/** How the node:http2 test client treats a session that got GOAWAY or closed. */
export interface Http2ClientOptions {
  /** Opens a new session when the cached one is closing or gone. `false` is the bug: it keeps the dead one. */
  reconnect?: boolean
  /** Sends a request again, once, on a new session when its stream closed with no response. */
  retry?: boolean
}

/** The error of a stream that the server's GOAWAY cut before any response. */
class NoResponseError extends Error {
  override name = 'NoResponseError'
}

/**
 * A client on node:http2 as an SDK would write it: one session per origin, reused for every
 * request, trusting the contract's CA over TLS (h2c with prior knowledge over `http:`).
 * node:http2 ends a stream cut by GOAWAY with no `response` event and no error
 * (docs/faults.md), so this client rejects a stream that closed without a response.
 */
export function http2Client(
  { ca }: ClientTarget,
  { reconnect = true, retry = false }: Http2ClientOptions = {},
): ContractClient {
  const sessions = new Map<string, ClientHttp2Session>()
  const sessionFor = (origin: string): ClientHttp2Session => {
    const cached = sessions.get(origin)
    if (cached !== undefined && (!reconnect || !(cached.closed || cached.destroyed))) return cached
    const session = connect(origin, ca === undefined ? {} : { ca })
    // A session's error also reaches its streams, which report it to the caller.
    session.on('error', () => {})
    sessions.set(origin, session)
    return session
  }
  const once = (url: string, init: ContractRequestInit = {}): Promise<number> =>
    new Promise((resolve, reject) => {
      const { origin, pathname, search } = new URL(url)
      const stream = sessionFor(origin).request({
        ':method': init.method ?? 'GET',
        ':path': `${pathname}${search}`,
        ...init.headers,
      })
      let status: number | undefined
      stream.on('response', (headers) => {
        status = Number(headers[':status'])
      })
      stream.on('error', reject)
      stream.on('close', () =>
        status === undefined
          ? reject(new NoResponseError(`the stream to ${url} closed with no response`))
          : resolve(status),
      )
      stream.resume()
      stream.end(init.body)
    })
  return {
    request: async (url, init) => {
      try {
        return await once(url, init)
      } catch (error) {
        if (!retry || !(error instanceof NoResponseError)) throw error
        return once(url, init)
      }
    },
    close: () => {
      for (const session of sessions.values()) session.destroy()
    },
  }
}
