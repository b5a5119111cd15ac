import { mkdtempSync, readFileSync } from 'node:fs'
import { Agent, get } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { normalise, runCli, startServe } from './helpers.js'

/**
 * A node:http client that sends `count` requests in turn over one keep-alive socket, each with
 * its own `x-request-id`, and every `every`th on a socket of its own (`agent: false`).
 */
const nodeLoop = (count: number, every: number): string[] => [
  process.execPath,
  '-e',
  `const http = require('node:http')
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
const one = (i) => new Promise((resolve, reject) => {
  const options = { agent: i % ${every} === ${every - 1} ? false : agent, headers: { 'x-request-id': 'r' + i } }
  http.get(process.env.KEEPALIVE_URL + '/item/' + i, options, (res) => res.resume().on('end', resolve)).on('error', reject)
})
;(async () => { for (let i = 0; i < ${count}; i++) await one(i); agent.destroy() })()`,
]

interface JsonReport {
  outcome: string
  summary: string
  counts: { requests: number; connections: number; reused: number }
  server: { journal: string; recordHeaders: boolean }
  requests: { index: number; headers: Record<string, string>; connectionHeader: string | null }[]
  requestsNotKept: number
  connections: { requestCount: number }[]
}

const checkJson = async (args: readonly string[]): Promise<JsonReport> => {
  const result = await runCli(['check', '--json', ...args])
  expect(result.code, result.stderr).toBeLessThan(2)
  return JSON.parse(result.stdout) as JsonReport
}

describe('check --journal', () => {
  test('last=N keeps the last N requests, judges them and says how many were not kept', async () => {
    const result = await runCli(['check', '--journal', 'last=10', '--', ...nodeLoop(30, 10)])
    expect(result.code, result.stderr).toBe(1)
    const lines = normalise(result.stdout).split('\n')
    expect(lines[0]).toMatch(
      /^keepalive-kit check: 30 requests from `.*` to http:\/\/127\.0\.0\.1:PORT; the last 10 requests are kept \(--journal last=10\); 20 earlier requests were not kept$/,
    )
    expect(lines[1]).toMatch(/^ {2}#20 {2}GET \/item\/20 {2}conn 1 /)
    // The connection lines count every request, kept or not: 27 + 1 + 1 + 1.
    expect(
      lines.filter((line) => /^ {2}conn \d/.test(line)).map((line) => line.split('  ')[2]),
    ).toEqual(['27 requests', '1 request', '1 request', '1 request'])
    expect(lines).toContain(
      'FAIL  expect reuse: 10 requests used 2 connections; connection 4 opened while connection 1 sat idle, and that one was never used again (judged the last 10 requests of 30; 20 earlier requests were not kept)',
    )
  })

  test('lists the first 12 and last 6 of many connections, and counts the others', async () => {
    const result = await runCli([
      'check',
      '--expect',
      'new-socket-per-request',
      '--',
      ...nodeLoop(25, 1),
    ])
    expect(result.code, result.stderr).toBe(0)
    const lines = result.stdout.split('\n')
    const connections = lines.slice(lines.indexOf('Connections:') + 1, lines.indexOf(''))
    expect(connections.map((line) => line.split('  ')[1]?.trim())).toEqual([
      ...Array.from({ length: 12 }, (_, i) => `conn ${i + 1}`),
      '… 7 more connections (--json lists every one) …',
      ...Array.from({ length: 6 }, (_, i) => `conn ${i + 20}`),
    ])
  })

  test('--json lists the kept requests, names the journal and counts the ones not kept', async () => {
    const report = await checkJson(['--journal', 'last=10', '--', ...nodeLoop(30, 10)])
    expect(report.server).toMatchObject({ journal: 'last=10', recordHeaders: true })
    expect(report.requests.map((request) => request.index)).toEqual(
      Array.from({ length: 10 }, (_, i) => 20 + i),
    )
    expect(report.requestsNotKept).toBe(20)
    expect(report.connections.map((connection) => connection.requestCount)).toEqual([27, 1, 1, 1])
  })

  test('by default keeps every request, with its headers', async () => {
    const report = await checkJson(['--', ...nodeLoop(30, 10)])
    expect(report.server).toMatchObject({ journal: 'all', recordHeaders: true })
    expect(report.requests).toHaveLength(30)
    expect(report.requestsNotKept).toBe(0)
    expect(report.requests[29]?.headers['x-request-id']).toBe('r29')
    expect(report.summary).not.toContain('not kept')
  })

  test('--no-record-headers keeps records with {} headers, and their Connection header', async () => {
    const report = await checkJson(['--no-record-headers', '--', ...nodeLoop(3, 3)])
    expect(report.server).toMatchObject({ journal: 'all', recordHeaders: false })
    expect(report.requests.map((request) => request.headers)).toEqual([{}, {}, {}])
    expect(report.requests.map((request) => request.connectionHeader)).toEqual([
      'keep-alive',
      'keep-alive',
      'close',
    ])
  })

  test('counts judges the counting expectations: passes at-most=4, fails at-most=3', async () => {
    const pass = await checkJson([
      '--journal',
      'counts',
      '--expect',
      'at-most=4',
      '--',
      ...nodeLoop(30, 10),
    ])
    expect(pass).toMatchObject({
      outcome: 'pass',
      summary:
        '30 requests used 4 connections; 26 requests reused a connection (counted per connection: the journal keeps no request records)',
      counts: { requests: 30, connections: 4, reused: 26 },
      server: { journal: 'counts' },
      requests: [],
      requestsNotKept: 30,
    })
    const fail = await runCli([
      'check',
      '--journal',
      'counts',
      '--expect',
      'at-most=3',
      '--',
      ...nodeLoop(30, 10),
    ])
    expect(fail.code, fail.stderr).toBe(1)
    const lines = normalise(fail.stdout).split('\n')
    expect(lines[0]).toMatch(
      /; no request records are kept \(--journal counts\), only how many requests each connection carried$/,
    )
    expect(lines[1]).toBe('Connections:')
    expect(lines).toContain(
      'FAIL  expect at-most=3: 30 requests used 4 connections; 26 requests reused a connection (counted per connection: the journal keeps no request records)',
    )
  })

  test('counts with an expectation that needs the order of requests is a usage error, before the command runs', async () => {
    const result = await runCli(['check', '--journal', 'counts', '--', 'sh', '-c', 'echo ran >&2'])
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'keepalive-kit: check: --expect reuse needs the order of the requests, and --journal counts keeps no request records. With --journal counts, use --expect new-socket-per-request, connections=N or at-most=N; for reuse, keep the last requests with --journal last=N. Run `keepalive-kit check --help` for usage.\n',
    })
  })

  test('--html says which requests its picture and tables show', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'keepalive-kit-journal-')), 'page.html')
    const result = await runCli([
      'check',
      '--journal',
      'last=10',
      '--html',
      file,
      '--',
      ...nodeLoop(30, 10),
    ])
    expect(result.code, result.stderr).toBe(1)
    const html = readFileSync(file, 'utf8')
    expect(html).toContain(
      '<li>30 requests recorded; the last 10 requests are kept (--journal last=10); 20 earlier requests were not kept. The timeline picture and the request table show the requests kept; the connection table counts every request.</li>',
    )
    expect(html).toContain('<h2>The last 10 requests of 30</h2>')
    expect(html).toMatch(/aria-label="The last 10 requests of 30 on \d+ connections? over /)
    expect(html.match(/<tr class="(new|reused)">/g)).toHaveLength(10)
  })

  // A picture of no request would draw the connections as if none had carried one.
  test('--html with counts draws no picture and says why', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'keepalive-kit-journal-')), 'counts.html')
    const result = await runCli([
      'check',
      '--journal',
      'counts',
      '--expect',
      'at-most=4',
      '--html',
      file,
      '--',
      ...nodeLoop(30, 10),
    ])
    expect(result.code, result.stderr).toBe(0)
    const html = readFileSync(file, 'utf8')
    expect(html).not.toContain('<svg')
    expect(html).toContain(
      "No picture: --journal counts kept no request to draw. The connection table counts each connection's requests.",
    )
    expect(html).toContain(
      '<h2>No request records (--journal counts): 30 requests counted on their connections</h2>',
    )
  })
})

/** One GET, body read to the end, so the agent may reuse the socket. */
const request = (url: string, agent: Agent | false) =>
  new Promise<void>((resolve, reject) => {
    get(url, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject)
  })

/** Sends `count` requests to `serve` in turn over one keep-alive socket, then stops it. */
async function driveServe(args: readonly string[], count: number) {
  const serve = startServe(args)
  const first = await serve.waitForLine(/listening/)
  const url = /http:\/\/127\.0\.0\.1:\d+/.exec(first)?.[0] ?? ''
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  for (let i = 0; i < count; i++) await request(`${url}/${i}`, agent)
  agent.destroy()
  await serve.waitForLine(/closed by client|"closedBy":"client"/)
  serve.child.kill('SIGINT')
  expect(await serve.exited).toBe(0)
  return serve.lines.map(normalise)
}

describe('serve --journal', () => {
  test('last=N says what it keeps, and its summary judges those and counts every request', async () => {
    const lines = await driveServe(['--journal', 'last=3', '--no-record-headers'], 8)
    expect(lines[1]).toBe(
      '  keep-alive on, idle timeout 5000 ms; keeps the last 3 requests, no headers. Press Ctrl-C to stop and see the summary.',
    )
    expect(lines.slice(-2)).toEqual([
      'keepalive-kit serve: stopped.',
      '  3 requests used 1 connection; 3 requests reused it (judged the last 3 requests of 8; 5 earlier requests were not kept).',
    ])
  })

  test('--json names the journal and counts every request in the summary', async () => {
    const lines = await driveServe(['--json', '--journal', 'last=3'], 8)
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      event: 'listening',
      journal: 'last=3',
      recordHeaders: true,
    })
    expect(JSON.parse(lines.at(-1) ?? '')).toEqual({
      event: 'summary',
      requests: 8,
      connections: 1,
      reused: 7,
      pattern:
        '3 requests used 1 connection; 3 requests reused it (judged the last 3 requests of 8; 5 earlier requests were not kept)',
      reuse: true,
      findings: [],
      journal: 'last=3',
      requestsNotKept: 5,
    })
  })

  test('counts gives the counts and says the reuse verdict needs request records', async () => {
    const lines = await driveServe(['--journal', 'counts'], 4)
    expect(lines.slice(-3)).toEqual([
      'keepalive-kit serve: stopped.',
      '  4 requests used 1 connection; 3 requests reused a connection (counted per connection: the journal keeps no request records).',
      '  --journal counts keeps no request records, so the order of reuse is not judged; run with --journal last=N to judge it over the last N requests.',
    ])
    const json = await driveServe(['--json', '--journal', 'counts'], 4)
    expect(JSON.parse(json.at(-1) ?? '')).toMatchObject({
      requests: 4,
      reused: 3,
      reuse: null,
      journal: 'counts',
      requestsNotKept: 4,
    })
  })
})
