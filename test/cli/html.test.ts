import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { get } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { requireTool, runCli, startServe } from './helpers.js'

beforeAll(() => requireTool('curl', 'curl'))

const tempFile = (name: string): string =>
  join(mkdtempSync(join(tmpdir(), 'keepalive-kit-html-')), name)

/** The page loads nothing: no script, no external reference, a policy that forbids fetching. */
function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i)
  expect(html).not.toMatch(/\s(src|href)=/i)
  expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`)
}

describe('check --html', () => {
  test('writes the verdict, the picture and the connection table of a client that reuses', async () => {
    const file = tempFile('pass.html')
    const result = await runCli(['check', '--html', file, '--', 'curl', '-s', '{url}/a', '{url}/b'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toContain(`keepalive-kit check: wrote ${file}\n`)
    const html = readFileSync(file, 'utf8')
    expectSelfContained(html)
    expect(html).toContain(
      '<p class="verdict pass">PASS  expect reuse: 2 requests used 1 connection; 1 request reused it</p>',
    )
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg" class="keepalive-timeline"')
    expect(html.match(/<tr class="">/g)).toHaveLength(1)
    expect(html).toContain('<td>GET /b</td><td>conn 1</td><td>reused (request 2)</td>')
    expect(html).toContain('<td>by client (client-closed)</td>')
    expect(html).not.toContain('class="findings"')
  })

  // Bug: the HTML report dropped verdict.findings, so a failing check showed no diagnosis.
  test('shows the findings of a failing check in the words of the text report', async () => {
    const file = tempFile('findings.html')
    const result = await runCli([
      'check',
      '--html',
      file,
      '--',
      'curl',
      '-s',
      '-H',
      'Connection: close',
      '{url}',
      '{url}',
    ])
    expect(result.code).toBe(1)
    const finding =
      'the client sent Connection: close on all 2 requests, so the server closed each such connection after its response'
    expect(result.stdout).toContain(`What the server recorded:\n  - ${finding}\n`)
    expect(readFileSync(file, 'utf8')).toContain(
      `<p class="findings-heading">What the server recorded:</p>\n<ul class="findings"><li>${finding}</li></ul>`,
    )
  })

  test('writes FAIL when the expectation does not hold', async () => {
    const file = tempFile('fail.html')
    const result = await runCli([
      'check',
      '--expect',
      'new-socket-per-request',
      '--html',
      file,
      '--',
      'curl',
      '-s',
      '{url}',
      '{url}',
    ])
    expect(result.code).toBe(1)
    expect(readFileSync(file, 'utf8')).toContain(
      '<p class="verdict fail">FAIL  expect new-socket-per-request: ',
    )
  })

  test('says why there is no verdict when the command failed', async () => {
    const file = tempFile('failed.html')
    const result = await runCli(['check', '--html', file, '--', 'sh', '-c', 'exit 3'])
    expect(result.code).toBe(3)
    expect(readFileSync(file, 'utf8')).toContain(
      '<p class="verdict none">No verdict: the command exited with code 3.</p>',
    )
  })

  test('names the file it cannot write and exits 2', async () => {
    const file = join(tempFile('x'), 'missing-folder', 'report.html')
    const result = await runCli(['check', '--html', file, '--', 'curl', '-s', '{url}'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`keepalive-kit: check: could not write --html ${file}: ENOENT`)
    expect(existsSync(file)).toBe(false)
  })
})

describe('serve --html', () => {
  test('writes the page when stopped', async () => {
    const file = tempFile('serve.html')
    const serve = startServe(['--html', file])
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(await serve.waitForLine(/listening on/))?.[0]
    await new Promise<void>((resolve, reject) => {
      get(`${url}/hello`, { agent: false }, (res) => res.resume().on('end', resolve)).on(
        'error',
        reject,
      )
    })
    await serve.waitForLine(/conn 1 .* closed/)
    serve.child.kill('SIGINT')
    expect(await serve.exited).toBe(0)
    const html = readFileSync(file, 'utf8')
    expectSelfContained(html)
    expect(html).toContain('<p class="verdict none">1 request used 1 connection')
    expect(html).toContain('<td>GET /hello</td>')
    expect(serve.lines).toContain('What the server recorded:')
    expect(html).toContain('<ul class="findings"><li>the client sent Connection: close')
  })
})
