import { Agent, get } from 'node:http'
import { describe, expect, test } from 'vitest'
import { normalise, startServe } from './helpers.js'

/** One GET, body read to the end, so the agent may reuse the socket. */
const request = (
  url: string,
  options: { agent: Agent | false; headers?: Record<string, string> },
) =>
  new Promise<void>((resolve, reject) => {
    get(url, options, (res) => res.resume().on('end', resolve)).on('error', reject)
  })

const urlOf = (line: string): string => {
  const url = /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0]
  if (url === undefined) throw new Error(`no URL in ${JSON.stringify(line)}`)
  return url
}

describe('serve', () => {
  test('logs connections and requests as they happen and prints a summary on SIGINT', async () => {
    const serve = startServe(['--idle-timeout', '0'])
    const url = urlOf(await serve.waitForLine(/listening on/))
    const agent = new Agent({ keepAlive: true })
    await request(`${url}/a`, { agent })
    await request(`${url}/b`, { agent })
    agent.destroy()
    await serve.waitForLine(/conn 1 .* closed by client/)
    await request(`${url}/c`, { agent: false, headers: { connection: 'close' } })
    await serve.waitForLine(/conn 2 .* closed by server/)
    serve.child.kill('SIGINT')
    expect(await serve.exited).toBe(0)
    expect(normalise(serve.lines.join('\n'))).toMatchInlineSnapshot(`
      "keepalive-kit serve: listening on http://127.0.0.1:PORT
        keep-alive on, idle timeout none. Press Ctrl-C to stop and see the summary.
      conn 1  127.0.0.1:PORT  0 requests  open
        #0  GET /a  conn 1  127.0.0.1:PORT  Connection: keep-alive
        #1  GET /b  conn 1  127.0.0.1:PORT  Connection: keep-alive
      conn 1  127.0.0.1:PORT  2 requests  closed by client (client-closed)
      conn 2  127.0.0.1:PORT  0 requests  open
        #2  GET /c  conn 2  127.0.0.1:PORT  Connection: close
      conn 2  127.0.0.1:PORT  1 request  closed by server (client-asked)
      keepalive-kit serve: stopped.
        3 requests used 2 connections; 1 request reused a connection, and none opened while another sat idle.
      What the server recorded:
        - the client sent Connection: close on 1 of 3 requests, so the server closed that connection after its response"
    `)
  })

  test('closes the connections still open and exits 0 on SIGTERM', async () => {
    const serve = startServe([])
    const url = urlOf(await serve.waitForLine(/listening on/))
    const agent = new Agent({ keepAlive: true })
    await request(url, { agent })
    serve.child.kill('SIGTERM')
    expect(await serve.exited).toBe(0)
    agent.destroy()
    expect(serve.lines.slice(-3).map(normalise)).toEqual([
      'conn 1  127.0.0.1:PORT  1 request  closed by server (server-closed)',
      'keepalive-kit serve: stopped.',
      '  1 request used 1 connection, as its first request.',
    ])
  })

  test('prints one JSON object per event with --json', async () => {
    const serve = startServe(['--json', '--no-keep-alive'])
    const listening = JSON.parse(await serve.waitForLine(/"event":"listening"/))
    // A keep-alive client, so the close is the server's doing.
    const agent = new Agent({ keepAlive: true })
    await request(listening.url, { agent })
    await serve.waitForLine(/"event":"connectionClose"/)
    agent.destroy()
    serve.child.kill('SIGINT')
    expect(await serve.exited).toBe(0)
    const events = serve.lines.map((line) => JSON.parse(line))
    expect(events.map((event) => event.event)).toEqual([
      'listening',
      'connection',
      'request',
      'connectionClose',
      'summary',
    ])
    expect(events[2]).toMatchObject({ event: 'request', index: 0, connectionId: 1, url: '/' })
    expect(events[3]).toMatchObject({
      id: 1,
      requestCount: 1,
      closedBy: 'server',
      closeReason: 'keep-alive-disabled',
    })
    expect(events[4]).toEqual({
      event: 'summary',
      requests: 1,
      connections: 1,
      reused: 0,
      pattern: '1 request used 1 connection, as its first request',
      reuse: false,
      findings: [
        {
          kind: 'server-closed',
          reason: 'keep-alive-disabled',
          connections: [1],
          text: 'the server closed connection 1: keep-alive is off on the server',
        },
      ],
      journal: 'all',
      requestsNotKept: 0,
    })
  })
})
