// The bare server the CPU benchmarks compare the test server with: node:http, node:https or
// node:http2's secure server (with the test certificate), answering as the test server's default
// handler does.
import { createServer, type RequestListener, type Server } from 'node:http'
import { createSecureServer } from 'node:http2'
import { createServer as createHttpsServer } from 'node:https'

/** A bare server for `mode` (clear text, `tls` or `h2`) whose every answer calls `answered`. */
export async function bareServer(
  mode: string | undefined,
  answered: () => void = () => {},
): Promise<Server> {
  const answer: RequestListener = (_req, res) => {
    answered()
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' }).end('ok')
  }
  const overTls = mode === 'tls' || mode === 'h2'
  const certificate = overTls ? (await import('./certificate.ts')).testCertificate() : undefined
  if (certificate === undefined) return createServer(answer)
  const { key, cert } = certificate
  return mode === 'h2'
    ? (createSecureServer(
        { key, cert },
        answer as unknown as Parameters<typeof createSecureServer>[1],
      ) as unknown as Server)
    : createHttpsServer({ key, cert }, answer)
}
