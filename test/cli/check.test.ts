import { beforeAll, describe, expect, test } from 'vitest'
import { normalise, requireTool, runCli } from './helpers.js'

beforeAll(() => {
  requireTool('curl', 'curl')
  requireTool('python3', 'python3')
})

/** Several requests over one `http.client.HTTPConnection`: Python's keep-alive client. */
const pythonKeepAlive = `
import http.client, os, urllib.parse
url = urllib.parse.urlsplit(os.environ["KEEPALIVE_URL"])
connection = http.client.HTTPConnection(url.hostname, url.port)
for _ in range(3):
    connection.request("GET", "/")
    connection.getresponse().read()
`

/** `urllib.request.urlopen` sends `Connection: close` and opens a socket per request. */
const pythonUrlopen = `
import sys, urllib.request
for _ in range(3):
    urllib.request.urlopen(sys.argv[1]).read()
`

describe('check with curl', () => {
  test('passes with exit 0 when one curl invocation sends several URLs over one connection', async () => {
    const result = await runCli([
      'check',
      '--expect',
      'reuse',
      '--',
      'curl',
      '-s',
      '{url}',
      '{url}',
      '{url}',
    ])
    expect(result.code, result.stderr).toBe(0)
    expect(normalise(result.stdout)).toMatchInlineSnapshot(`
      "keepalive-kit check: 3 requests from \`curl -s {url} {url} {url}\` to http://127.0.0.1:PORT
        #0  GET /  conn 1  127.0.0.1:PORT  (no Connection header)
        #1  GET /  conn 1  127.0.0.1:PORT  (no Connection header)
        #2  GET /  conn 1  127.0.0.1:PORT  (no Connection header)
      Connections:
        conn 1  3 requests  opened +T ms  closed +T ms by client (client-closed)

      PASS  expect reuse: 3 requests used 1 connection; 2 requests reused it
      "
    `)
    // The command's own output goes to stderr, so stdout stays the report.
    expect(result.stderr).toBe('okokok\n')
  })

  test('fails with exit 1 and the timeline when each request is its own curl process', async () => {
    const result = await runCli(['check', '--', 'sh', '-c', 'curl -s {url}; curl -s {url}'])
    expect(result.code, result.stderr).toBe(1)
    expect(normalise(result.stdout)).toMatchInlineSnapshot(`
      "keepalive-kit check: 2 requests from \`sh -c 'curl -s {url}; curl -s {url}'\` to http://127.0.0.1:PORT
        #0  GET /  conn 1  127.0.0.1:PORT  (no Connection header)
        #1  GET /  conn 2  127.0.0.1:PORT  (no Connection header)
      Connections:
        conn 1  1 request  opened +T ms  closed +T ms by client (client-closed)
        conn 2  1 request  opened +T ms  closed +T ms by client (client-closed)

      FAIL  expect reuse: 2 requests used 2 connections; none was reused
      What the server recorded:
        - the client closed connection 1 itself after one request while it went on sending requests, then opened new connections
      "
    `)
  })

  test('passes new-socket-per-request when the server runs with --no-keep-alive', async () => {
    const result = await runCli([
      'check',
      '--no-keep-alive',
      '--expect',
      'new-socket-per-request',
      '--',
      'curl',
      '-s',
      '{url}',
      '{url}',
    ])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('conn 2')
    expect(result.stdout).toContain(
      'PASS  expect new-socket-per-request: 2 requests used 2 connections; none was reused',
    )
  })

  test('fails reuse and says the server closed each connection when it runs with --max-requests 1', async () => {
    const result = await runCli([
      'check',
      '--max-requests',
      '1',
      '--',
      'curl',
      '-s',
      '{url}',
      '{url}',
    ])
    expect(result.code, result.stderr).toBe(1)
    expect(result.stdout).toContain(
      '  - the server closed connections 1, 2: max requests per connection reached',
    )
    expect(result.stdout).not.toContain('Connection: close on')
  })

  test('checks connections=N and at-most=N', async () => {
    const curl = ['--', 'curl', '-s', '{url}', '{url}/a?b=1']
    expect((await runCli(['check', '--expect', 'connections=1', ...curl])).code).toBe(0)
    expect((await runCli(['check', '--expect', 'connections=2', ...curl])).code).toBe(1)
    const atMost = await runCli(['check', '--expect', 'at-most=1', ...curl])
    expect(atMost.code, atMost.stderr).toBe(0)
    expect(atMost.stdout).toContain('#1  GET /a?b=1  conn 1')
  })

  test('prints one JSON object with --json', async () => {
    const result = await runCli(['check', '--json', '--', 'curl', '-s', '{url}', '{url}'])
    expect(result.code, result.stderr).toBe(0)
    const parsed = JSON.parse(result.stdout)
    expect(parsed).toMatchObject({
      outcome: 'pass',
      expect: 'reuse',
      pass: true,
      summary: '2 requests used 1 connection; 1 request reused it',
      command: ['curl', '-s', '{url}', '{url}'],
      commandResult: { kind: 'exited', code: 0 },
    })
    expect(parsed.requests.map((r: { connectionId: number }) => r.connectionId)).toEqual([1, 1])
    expect(parsed.counts).toEqual({ requests: 2, connections: 1, reused: 1 })
    expect(parsed.server).toEqual({
      keepAlive: true,
      idleTimeout: 5000,
      maxRequestsPerConnection: null,
      keepAliveHint: null,
      awaitBurst: null,
      tls: false,
      http2: false,
      journal: 'all',
      recordHeaders: true,
    })
    expect(parsed.requestsNotKept).toBe(0)
    expect(parsed.connections).toMatchObject([
      {
        id: 1,
        requestCount: 2,
        closedBy: 'client',
        closeReason: 'client-closed',
        openWhenCommandExited: false,
      },
    ])
  })

  test('tells a failure from no request reaching the server with --json', async () => {
    const none = JSON.parse((await runCli(['check', '--json', '--', 'true'])).stdout)
    expect(none).toMatchObject({ outcome: 'no-requests', pass: false, counts: { requests: 0 } })
    const failed = await runCli([
      'check',
      '--json',
      '--max-requests',
      '1',
      '--',
      'curl',
      '-s',
      '{url}',
      '{url}',
    ])
    expect(JSON.parse(failed.stdout)).toMatchObject({
      outcome: 'fail',
      server: { maxRequestsPerConnection: 1 },
      findings: [{ kind: 'server-closed', reason: 'max-requests', connections: [1, 2] }],
    })
  })

  test('shows HTTP/1.0 requests as such, and says what HTTP/1.0 does to the connection', async () => {
    const result = await runCli(['check', '--', 'curl', '-s', '-0', '{url}', '{url}'])
    expect(result.code, result.stderr).toBe(1)
    expect(normalise(result.stdout)).toContain(
      '#0  GET /  HTTP/1.0  conn 1  127.0.0.1:PORT  (no Connection header)',
    )
    expect(result.stdout).toContain(
      '  - all 2 requests were HTTP/1.0 without Connection: keep-alive, which ends the connection after the response',
    )
  })
})

/** A `requests.Session` shared by 5 threads at once, then 5 requests one after another. */
const pythonSessionBurst = `
import os, threading, requests
url = os.environ["KEEPALIVE_URL"]
session = requests.Session()
threads = [threading.Thread(target=lambda: session.get(url).content) for _ in range(5)]
for thread in threads: thread.start()
for thread in threads: thread.join()
for _ in range(5): session.get(url).content
`

/** The same burst, then 4 requests each from a new Session while the burst's sockets sit idle. */
const pythonSessionBurstThenNewSessions = pythonSessionBurst.replace(
  'for _ in range(5): session.get(url).content',
  'for _ in range(4): requests.Session().get(url).content',
)

describe('check with python3 requests', () => {
  test('passes reuse for a Session shared by 5 threads, then 5 in turn, with --await-burst 5', async () => {
    const result = await runCli([
      'check',
      '--await-burst',
      '5',
      '--',
      'python3',
      '-c',
      pythonSessionBurst,
    ])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    const timeline = result.stdout.split('\n').filter((line) => line.startsWith('  #'))
    expect(
      new Set(timeline.slice(0, 5).map((line) => line.split('conn ')[1]?.split(' ')[0])).size,
    ).toBe(5)
    expect(result.stdout).toMatch(
      /PASS {2}expect reuse: 10 requests used 5 connections; 5 requests reused a connection/,
    )
  })

  test("fails reuse when new Sessions open connections while the burst's sit idle", async () => {
    const result = await runCli([
      'check',
      '--await-burst',
      '5',
      '--',
      'python3',
      '-c',
      pythonSessionBurstThenNewSessions,
    ])
    expect(result.code, result.stdout + result.stderr).toBe(1)
    expect(result.stdout).toContain(
      'FAIL  expect reuse: 9 requests used 9 connections; none was reused',
    )
    // Which of the new Sessions' sockets were still open when the next one opened varies with
    // Python's garbage collector; the burst's five always were.
    expect(result.stdout).toMatch(
      / - the server wrote the response on connections 1, 2, 3, 4, 5(, \d)*, then each sat idle and was never used again while the client opened another/,
    )
  })
})

describe('check with python3', () => {
  test('passes reuse for http.client.HTTPConnection, which reads KEEPALIVE_URL', async () => {
    const result = await runCli(['check', '--', 'python3', '-c', pythonKeepAlive])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain(
      'PASS  expect reuse: 3 requests used 1 connection; 2 requests reused it',
    )
  })

  test('fails reuse for urllib.request.urlopen, and says it sent Connection: close', async () => {
    const result = await runCli(['check', '--', 'python3', '-c', pythonUrlopen, '{url}'])
    expect(result.code, result.stderr).toBe(1)
    expect(normalise(result.stdout).split('\n').slice(1).join('\n')).toMatchInlineSnapshot(`
      "  #0  GET /  conn 1  127.0.0.1:PORT  Connection: close
        #1  GET /  conn 2  127.0.0.1:PORT  Connection: close
        #2  GET /  conn 3  127.0.0.1:PORT  Connection: close
      Connections:
        conn 1  1 request  opened +T ms  closed +T ms by server (client-asked)
        conn 2  1 request  opened +T ms  closed +T ms by server (client-asked)
        conn 3  1 request  opened +T ms  closed +T ms by server (client-asked)

      FAIL  expect reuse: 3 requests used 3 connections; none was reused
      What the server recorded:
        - the client sent Connection: close on all 3 requests, so the server closed each such connection after its response
      "
    `)
  })

  test('passes new-socket-per-request for urllib.request.urlopen', async () => {
    const result = await runCli([
      'check',
      '--expect',
      'new-socket-per-request',
      '--',
      'python3',
      '-c',
      pythonUrlopen,
      '{url}',
    ])
    expect(result.code, result.stderr).toBe(0)
  })
})

describe('check when the command does not give a verdict', () => {
  test('exits 1 and names likely causes when no request arrives', async () => {
    const result = await runCli(['check', '--', 'true'])
    expect(result.code, result.stderr).toBe(1)
    expect(normalise(result.stdout)).toMatchInlineSnapshot(`
      "keepalive-kit check: no request reached the test server at http://127.0.0.1:PORT, so there is nothing to judge. Likely causes:
        - the command does not use the server's URL: put {url} in its arguments (quoted in a shell), or read KEEPALIVE_URL from its environment;
        - the client went through a proxy that ignores NO_PROXY (the server is on 127.0.0.1);
        - the client failed before sending a request but still exited 0.
      "
    `)
  })

  test('exits 3 when the command is not found', async () => {
    const result = await runCli(['check', '--', 'no-such-client-xyz', '{url}'])
    expect(result.code, result.stderr).toBe(3)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatchInlineSnapshot(`
      "keepalive-kit: check: command not found: no-such-client-xyz. Is it installed and on PATH?
        No verdict: a failed command says nothing about keep-alive (exit code 3).
        command: no-such-client-xyz {url}
      "
    `)
  })

  test('exits 3 with the timeline when the command fails after its requests', async () => {
    const result = await runCli(['check', '--', 'sh', '-c', 'curl -s {url} {url}; exit 7'])
    expect(result.code, result.stderr).toBe(3)
    expect(result.stdout).toContain('#1  GET /  conn 1')
    // Regression: a failed command used to hide how its connections ended.
    expect(normalise(result.stdout)).toContain(
      'Connections:\n  conn 1  2 requests  opened +T ms  closed +T ms by client (client-closed)',
    )
    expect(result.stdout).not.toMatch(/PASS|FAIL/)
    expect(result.stderr).toContain('keepalive-kit: check: the command exited with code 7.')
  })

  test('exits 3 when the command outlives --timeout', async () => {
    const result = await runCli(['check', '--timeout', '200', '--', 'sleep', '30'])
    expect(result.code, result.stderr).toBe(3)
    expect(result.stderr).toContain('the command did not exit within --timeout 200 ms')
  })

  test('reports a failed command as command-failed with --json', async () => {
    const result = await runCli(['check', '--json', '--', 'no-such-client-xyz'])
    expect(result.code, result.stderr).toBe(3)
    expect(JSON.parse(result.stdout)).toMatchObject({
      outcome: 'command-failed',
      pass: false,
      commandResult: { kind: 'not-started', code: 'ENOENT' },
    })
  })
})
