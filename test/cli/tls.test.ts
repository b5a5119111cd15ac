// `--tls` on check and serve: the command under test trusts the test CA with no flag of its own.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, test } from 'vitest'
import { normalise, requireTool, runCli, startServe } from './helpers.js'

beforeAll(() => {
  requireTool('curl', 'curl')
  requireTool('python3', 'python3')
})

const hasRequests = (() => {
  try {
    execFileSync('python3', ['-c', 'import requests'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

describe('check --tls', () => {
  test('curl with two URLs passes with no CA flag: CURL_CA_BUNDLE names the bundle', async () => {
    const result = await runCli(['check', '--tls', '--', 'curl', '-sS', '{url}', '{url}'])
    expect(result.code, result.stderr).toBe(0)
    expect(normalise(result.stdout)).toMatchInlineSnapshot(`
      "keepalive-kit check: 2 requests from \`curl -sS {url} {url}\` to https://127.0.0.1:PORT
        #0  GET /  conn 1  127.0.0.1:PORT  http/1.1 TLSv1.3 full handshake  (no Connection header)
        #1  GET /  conn 1  127.0.0.1:PORT  http/1.1 TLSv1.3 full handshake  (no Connection header)
      Connections:
        conn 1  2 requests  opened +T ms  closed +T ms by client (client-closed)

      PASS  expect reuse: 2 requests used 1 connection; 1 request reused it
      "
    `)
  })

  test('one curl per request fails reuse, each a full handshake', async () => {
    const result = await runCli([
      'check',
      '--tls',
      '--',
      'sh',
      '-c',
      'curl -sS {url}; curl -sS {url}',
    ])
    expect(result.code, result.stderr).toBe(1)
    expect(normalise(result.stdout)).toContain(
      '#1  GET /  conn 2  127.0.0.1:PORT  http/1.1 TLSv1.3 full handshake  (no Connection header)',
    )
  })

  test('a node script with https.get trusts the CA through NODE_EXTRA_CA_CERTS', async () => {
    const script = `
const https = require('node:https')
const agent = new https.Agent({ keepAlive: true })
const get = () => new Promise((resolve, reject) =>
  https.get(process.env.KEEPALIVE_URL, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject))
get().then(get).then(get).then(() => agent.destroy())
`
    const result = await runCli([
      'check',
      '--tls',
      '--expect',
      'connections=1',
      '--',
      process.execPath,
      '-e',
      script,
    ])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('PASS  expect connections=1: 3 requests used 1 connection')
  })

  test("Python's http.client trusts the CA through SSL_CERT_FILE, and KEEPALIVE_CA holds the CA alone", async () => {
    const script = `
import http.client, os, ssl, urllib.parse
url = urllib.parse.urlsplit(os.environ["KEEPALIVE_URL"])
assert open(os.environ["KEEPALIVE_CA"]).read().count("BEGIN CERTIFICATE") == 1
connection = http.client.HTTPSConnection(url.hostname, url.port, context=ssl.create_default_context())
for _ in range(3):
    connection.request("GET", "/")
    connection.getresponse().read()
`
    const result = await runCli(['check', '--tls', '--', 'python3', '-c', script])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('PASS  expect reuse: 3 requests used 1 connection')
  })

  test.skipIf(!hasRequests)(
    'Python requests.Session trusts the CA through REQUESTS_CA_BUNDLE',
    async () => {
      const script = `
import os, requests
with requests.Session() as session:
    for _ in range(3):
        session.get(os.environ["KEEPALIVE_URL"]).raise_for_status()
`
      const result = await runCli(['check', '--tls', '--', 'python3', '-c', script])
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toContain('PASS  expect reuse: 3 requests used 1 connection')
    },
  )

  test('without --tls the CA variables are left as they were', async () => {
    const result = await runCli([
      'check',
      '--',
      'sh',
      '-c',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion
      'echo "[${SSL_CERT_FILE:-unset} ${KEEPALIVE_CA:-unset}]"; curl -s {url} {url}',
    ])
    expect(result.stderr).toContain(
      `[${process.env.SSL_CERT_FILE ?? 'unset'} ${process.env.KEEPALIVE_CA ?? 'unset'}]`,
    )
  })
})

describe('check --tls --http2', () => {
  test('curl --http2 with two URLs passes over one h2 connection', async () => {
    const result = await runCli([
      'check',
      '--tls',
      '--http2',
      '--',
      'curl',
      '-sS',
      '--http2',
      '{url}',
      '{url}',
    ])
    expect(result.code, result.stderr).toBe(0)
    // How curl ends its h2 session (a close or a reset) is curl's own; the verdict is not.
    const stdout = normalise(result.stdout)
    expect(stdout).toContain(
      '  #0  GET /  h2 stream 1  conn 1  127.0.0.1:PORT  h2 TLSv1.3 full handshake\n' +
        '  #1  GET /  h2 stream 3  conn 1  127.0.0.1:PORT  h2 TLSv1.3 full handshake\n',
    )
    expect(stdout).toContain(
      'PASS  expect reuse: 2 requests used 1 connection; 1 request reused it',
    )
  })

  test('--json carries the protocol, TLS details and stream ids that the text shows', async () => {
    const result = await runCli([
      'check',
      '--tls',
      '--http2',
      '--json',
      '--',
      'curl',
      '-sS',
      '--http2',
      '{url}',
      '{url}',
    ])
    expect(result.code, result.stderr).toBe(0)
    const parsed = JSON.parse(result.stdout)
    expect(parsed.server).toMatchObject({ tls: true, http2: true })
    expect(parsed.requests.map((r: { streamId: number }) => r.streamId)).toEqual([1, 3])
    expect(parsed.connections).toMatchObject([
      {
        id: 1,
        protocol: 'h2',
        tls: { version: 'TLSv1.3', alpn: 'h2', resumed: false },
        resetStreams: [],
      },
    ])
  })

  test('--expect reuse-over=h2 passes for curl --http2 and fails for one that falls back to HTTP/1.1', async () => {
    const check = (version: string) =>
      runCli([
        'check',
        '--tls',
        '--http2',
        '--expect',
        'reuse-over=h2',
        '--',
        'curl',
        '-sS',
        version,
        '{url}',
        '{url}',
      ])
    const h2 = await check('--http2')
    expect(h2.code, h2.stderr).toBe(0)
    expect(h2.stdout).toContain(
      'PASS  expect reuse-over=h2: 2 requests used 1 connection; 1 request reused it; every one travelled over h2',
    )
    const h1 = await check('--http1.1')
    expect(h1.code, h1.stderr).toBe(1)
    expect(h1.stdout).toContain(
      'FAIL  expect reuse-over=h2: 2 requests used 1 connection; 1 request reused it; 2 of 2 requests travelled over http/1.1, not h2',
    )
  })

  test('--http2 without --tls serves h2c: curl --http2-prior-knowledge passes', async () => {
    const result = await runCli([
      'check',
      '--http2',
      '--expect',
      'connections=1',
      '--',
      'curl',
      '-sS',
      '--http2-prior-knowledge',
      '{url}',
    ])
    expect(result.code, result.stderr).toBe(0)
    expect(normalise(result.stdout)).toContain('to http://127.0.0.1:PORT')
  })
})

describe('serve --tls', () => {
  test('prints where the CA file is, and curl --cacert with that file reaches the server', async () => {
    const serve = startServe(['--tls'])
    const listening = await serve.waitForLine(/listening on/)
    const url = listening.replace(/^.*listening on /, '')
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    await serve.waitForLine(/^ {2}HTTPS, keep-alive on, idle timeout 5000 ms\. Press Ctrl-C/)
    const caLine = await serve.waitForLine(/the test CA: /)
    const caFile = caLine.replace(/^\s*the test CA: (\S+) .*$/, '$1')
    expect(readFileSync(caFile, 'utf8')).toContain('-----BEGIN CERTIFICATE-----')
    expect(execFileSync('curl', ['-sS', '--cacert', caFile, url], { encoding: 'utf8' })).toBe('ok')
    await serve.waitForLine(/http\/1\.1 TLSv1\.3 full handshake/)
    serve.child.kill('SIGINT')
    expect(await serve.exited).toBe(0)
  })
})
