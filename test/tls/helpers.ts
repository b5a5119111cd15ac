import { once } from 'node:events'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { type ClientHttp2Session, connect } from 'node:http2'
import * as https from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import { createTestServer, type TestServer, type TestServerOptions } from '../../src/index.js'
import { testCertificate } from '../../src/tls/certificate.js'

/** A TLS test server closed when the test finishes. */
export async function startTlsServer(options: TestServerOptions = {}): Promise<TestServer> {
  const server = await createTestServer({ tls: true, ...options })
  onTestFinished(() => server.close())
  return server
}

/** One node:https GET, body read to the end; trusts `ca` unless the options say otherwise. */
export function httpsGet(url: string, options: https.RequestOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, options, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      res.on('error', reject)
      res.on('end', () => resolve(body))
    })
    req.on('error', reject)
  })
}

/** A node:https agent destroyed when the test finishes. */
export function httpsAgent(options: https.AgentOptions): https.Agent {
  const agent = new https.Agent(options)
  onTestFinished(() => agent.destroy())
  return agent
}

/** Resolves once the agent holds no free socket: it has seen the server close them. */
export async function agentSawCloses(agent: https.Agent): Promise<void> {
  for (;;) {
    const free = Object.values(agent.freeSockets).flat()
    if (free.length === 0) return
    await Promise.all(free.map((socket) => socket && once(socket, 'close')))
  }
}

/** `resumed` of each connection as one letter, as CLIENTS.md writes it: Y resumed, n full. */
export const resumption = (server: TestServer): string =>
  server.connections.map((connection) => (connection.tls?.resumed ? 'Y' : 'n')).join('')

/** A node:http2 client session (trusting the test CA over https), closed when the test finishes. */
export async function h2Session(url: string): Promise<ClientHttp2Session> {
  const session = connect(url, url.startsWith('https:') ? { ca: testCertificate().ca } : {})
  onTestFinished(() => void session.destroy())
  await once(session, 'connect')
  return session
}

/** One GET on `session`, body read to the end. */
export function h2Get(session: ClientHttp2Session, path = '/'): Promise<string> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':path': path })
    let body = ''
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      body += chunk
    })
    stream.on('end', () => resolve(body))
    stream.on('error', reject)
  })
}

/** The test CA written to a file, for clients that take a path (`curl --cacert`). */
export async function caFile(): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'keepalive-kit-ca-')), 'ca.pem')
  await writeFile(file, testCertificate().ca)
  return file
}
