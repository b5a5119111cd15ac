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

      FAIL  expect reuse: 2 requests used 2 connections; none was reused
        hint: every request opened its own connection. One process per request (as in \`sh -c "curl {url}; curl {url}"\`) can never reuse one; several requests from one client can.
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

  test('fails reuse with a hint naming --max-requests when the server closes after each request', async () => {
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
      'hint: the server closed each connection after --max-requests 1.',
    )
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

      FAIL  expect reuse: 3 requests used 3 connections; none was reused
        hint: the client sent \`Connection: close\`: its keep-alive is switched off.
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
