// The default import on purpose: msw patches node:http's module object, which is what
// `require('node:http')` and clients such as axios see; `import * as http` does not see the patch.
import http from 'node:http'
import { onTestFinished } from 'vitest'
import { createTestServer, type TestServer, type TestServerOptions } from '../../src/index.js'

/** A test server closed when the test finishes, whatever its outcome. */
export async function startServer(options?: TestServerOptions): Promise<TestServer> {
  const server = await createTestServer(options)
  onTestFinished(() => server.close())
  return server
}

/** What a node:http request saw. */
export interface Answer {
  status: number
  statusText: string
  headers: http.IncomingHttpHeaders
  body: string
}

/** One node:http request whose body is read to the end. */
export function request(
  url: string,
  options: http.RequestOptions = {},
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, options, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        text += chunk
      })
      res.on('error', reject)
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: res.headers,
          body: text,
        }),
      )
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** A keep-alive agent destroyed when the test finishes. */
export function keepAliveAgent(): http.Agent {
  const agent = new http.Agent({ keepAlive: true })
  onTestFinished(() => agent.destroy())
  return agent
}

/** Sends `count` requests one after another, each read to the end. */
export async function sequential(count: number, send: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < count; i++) await send()
}

/** The connection id that carried each request, in order. */
export const ids = (server: TestServer): number[] =>
  server.requests.map((recorded) => recorded.connectionId)

/** fetch that reads the body to the end, so the socket is free for the next request. */
export const fetchText = (url: string, init?: RequestInit): Promise<string> =>
  fetch(url, init).then((res) => res.text())
