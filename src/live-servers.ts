import type { Server } from 'node:net'
import { isLoopback } from './loopback.js'

/**
 * The node servers behind every keepalive-kit test server that is listening in this process: a
 * neutral registry the core writes and integrations (msw's passthrough) read.
 */
const live = new Map<Server, 'http:' | 'https:'>()

/**
 * Registers a test server's node server while it listens, so `passthroughTestServers()` can
 * tell requests to it from requests msw should answer. Called once by the test server.
 */
export function trackLiveServer(server: Server, scheme: 'http:' | 'https:'): void {
  server.on('listening', () => live.set(server, scheme))
  server.once('close', () => live.delete(server))
}

/**
 * Whether `url` points at a keepalive-kit test server listening in this process: its port is a
 * live test server's port, and its host is that server's address or a loopback name (a client
 * may say `localhost` where the server says `127.0.0.1`; both reach the same socket).
 *
 * @example
 * const server = await createTestServer()
 * isTestServerUrl(server.urlFor('/user')) // true
 * isTestServerUrl('https://api.example.com/user') // false
 */
export function isTestServerUrl(url: string | URL): boolean {
  const parsed = new URL(url)
  const port = parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port)
  const host = parsed.hostname.replace(/^\[|\]$/g, '')
  for (const [server, scheme] of live) {
    if (scheme !== parsed.protocol) continue
    const address = server.address()
    if (address === null || typeof address === 'string' || address.port !== port) continue
    if (isLoopback(host) || host === address.address) return true
  }
  return false
}
