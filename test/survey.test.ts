import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, test } from 'vitest'
import { compactPattern } from '../src/survey/report.js'

const run = promisify(execFile)
const cli = (...args: string[]) =>
  run(process.execPath, ['dist/src/cli/main.js', 'survey', ...args])

describe('keepalive-kit survey', () => {
  test('surveys the built-in clients and prints a pattern and verdict per scenario', async () => {
    const { stdout } = await cli('--only', 'keepAlive agent,agent: false')
    expect(stdout).toMatch(
      /^client +reuse +ka off +srv close +idle +2 servers +errors +5xx retry +pool +stale +stream +abandon +close\(\) +resume$/m,
    )
    expect(stdout).toMatch(/^node:http keepAlive agent v\S+ +✓ 1×5 +✓ 1-5 +✓ 1-5 +✓ 1×3\|2×3 /m)
    expect(stdout).toMatch(/^node:http agent: false v\S+ +✗ 1-5 +– +✓ 1-5 /m)
    expect(stdout).toContain(
      'node:http agent: false · sequential requests reuse connections: 5 requests used 5 connections; none was reused',
    )
  })

  test('runs clients over HTTPS and HTTP/2 too, where the resume column says what each did', async () => {
    const { stdout } = await cli('--only', 'node:https keepAlive agent,undici request() (h2)')
    const rows = stdout.split('\n')
    const row = (name: string) => rows.find((line) => line.startsWith(name)) ?? ''
    expect(row('node:https keepAlive agent (https) v')).toMatch(
      / +✓ 1×5 +✓ 1-5 +✓ 1-5 .* ✓ 1,1\|2,2 · resumed$/,
    )
    // undici 8 drops its session cache with the pool: a full handshake, reported, not failed.
    expect(row('undici request() (h2) ')).toMatch(
      / +✓ 1×5 +– +✓ 1-5 .* ✓ 1,1\|2,2 · full handshake on conn 2$/,
    )
    expect(stdout).not.toContain('What failed')
  })

  test('--json gives every scenario of every client, with its status and pattern', async () => {
    const { stdout } = await cli('--only', 'fetch (built-in)', '--json')
    const report = JSON.parse(stdout) as {
      clients: { name: string; results: { id: string; status: string; pattern: string }[] }[]
    }
    expect(report.clients.map((client) => client.name)).toEqual([
      'fetch (built-in)',
      'fetch (built-in) (https)',
    ])
    // The recorded servers feed --html only.
    expect(report.clients[0]?.results.some((result) => 'servers' in result)).toBe(false)
    const [clear, https] = report.clients.map(
      (client) => new Map(client.results.map((result) => [result.id, result])),
    )
    expect(clear?.get('sequential')).toMatchObject({ status: 'pass', pattern: '1,2,1,2,1' })
    expect(clear?.get('tls-resumption')?.status).toBe('skip')
    // Built-in fetch takes no CA: the survey trusts the test CA process-wide for its HTTPS row.
    expect(https?.get('sequential')).toMatchObject({ status: 'pass', pattern: '1,2,1,2,1' })
    expect(https?.get('tls-resumption')).toMatchObject({
      status: 'pass',
      pattern: expect.stringMatching(/^1,2 \| 3,4 · TLS session /),
    })
  })

  test('--html writes the matrix with a picture of each server in each cell that ran', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'keepalive-kit-survey-')), 'survey.html')
    const { stdout, stderr } = await cli('--only', 'agent: false', '--html', file)
    expect(stderr).toBe(`keepalive-kit survey: wrote ${file}\n`)
    expect(stdout).toMatch(/^node:http agent: false v\S+ +✗ 1-5 +– +✓ 1-5 /m)
    const page = readFileSync(file, 'utf8')
    const cells = [...page.matchAll(/<td class="(pass|fail|skip)"[^>]*>([\s\S]*?)<\/td>/g)]
    expect(cells.map(([, status]) => status).slice(0, 3)).toEqual(['fail', 'skip', 'pass'])
    const [reuse, kaOff] = cells
    // The reuse scenario's one server: five requests on five connections.
    expect(reuse?.[2]).toContain('✗</span>1-5')
    expect(reuse?.[2]?.match(/<svg /g)).toHaveLength(1)
    expect(reuse?.[2]).toContain('5 requests on 5 connections')
    expect(kaOff?.[2]).not.toContain('<svg')
    // One legend for the page, none in the cells.
    expect(page.match(/request, new connection/g)).toHaveLength(1)
    expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/)
  })

  test('a flag it does not know is a usage error that names the flag', async () => {
    await expect(cli('--bogus')).rejects.toMatchObject({
      code: 2,
      stderr:
        'keepalive-kit: survey: unknown flag --bogus. Run `keepalive-kit survey --help` for usage.\n',
    })
  })

  test('--only that matches no client says so', async () => {
    await expect(cli('--only', 'nothing-like-this')).rejects.toMatchObject({
      code: 2,
      stderr:
        'keepalive-kit: survey: --only nothing-like-this matches no client. Run `keepalive-kit survey --help` for usage.\n',
    })
  })
})

describe('compactPattern', () => {
  test('shortens runs of one connection and of rising connections, and leaves short runs alone', () => {
    expect(compactPattern('1,1,1,1,1')).toBe('1×5')
    expect(compactPattern('1,2,3,4,5 | 5,5,5,5,5')).toBe('1-5 | 5×5')
    expect(compactPattern('1,2,1,2,1')).toBe('1,2,1,2,1')
    expect(compactPattern('A 1,1,1 | B 1,1')).toBe('A 1×3 | B 1,1')
    expect(compactPattern('1,1,2 · retried')).toBe('1,1,2 · retried')
  })
})

test("a failure's finding is its verdict's summary, not a line parsed back from the message", async () => {
  const { runKeepAliveScenario } = await import('../src/contract/runner.js')
  const { keepAliveScenarios } = await import('../src/contract/scenarios.js')
  const { get } = await import('node:http')
  const [sequential] = keepAliveScenarios
  if (sequential === undefined) throw new Error('no scenario')
  const result = await runKeepAliveScenario(sequential, {
    createClient: () => ({
      request: (url: string) =>
        new Promise((resolve, reject) => {
          get(url, { agent: false }, (res) => res.resume().on('end', resolve)).on('error', reject)
        }),
    }),
  })
  expect(result.status).toBe('fail')
  expect(result.finding).toBe('5 requests used 5 connections; none was reused')
  expect(result.detail).toMatch(/^expect\(server\)\.toReuseConnection\(\)\n/)
})
