import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { createTestServer } from '../../src/index.js'

const amount = 10_000
const connections = 10
const autocannon = createRequire(import.meta.url).resolve('autocannon/autocannon.js')
const forkedClient = fileURLToPath(new URL('./load-client.mjs', import.meta.url))

/** Runs `node args…` in a separate process and parses the JSON it prints. */
function runNode(args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`${error.message}\n${stderr}`))
        resolve(JSON.parse(stdout) as Record<string, unknown>)
      },
    )
  })
}

function expectKeptAlive(
  server: Awaited<ReturnType<typeof createTestServer>>,
  sent: number,
  report: string,
): void {
  expect(server.requests).toHaveLength(sent)
  expect(server.connections.length).toBeGreaterThan(0)
  expect(server.connections.length).toBeLessThanOrEqual(connections)
  for (const connection of server.connections) expect(connection.requestCount).toBeGreaterThan(1)
  const carried = server.connections.reduce((sum, each) => sum + each.requestCount, 0)
  expect(carried).toBe(sent)
  // Each connection numbers its own requests 0, 1, 2, … with no gap or repeat.
  const next = new Map<number, number>()
  for (const request of server.requests) {
    expect(request.indexOnConnection).toBe(next.get(request.connectionId) ?? 0)
    next.set(request.connectionId, request.indexOnConnection + 1)
  }
  if (process.env.RELIABILITY_REPORT) console.log(report)
}

test(`autocannon in another process: ${amount} requests on ${connections} keep-alive connections are all recorded`, async () => {
  await using server = await createTestServer()
  const result = await runNode([
    autocannon,
    '--connections',
    String(connections),
    '--amount',
    String(amount),
    '--no-progress',
    '--json',
    server.urlFor('/load'),
  ])
  const ok = result['2xx'] as number
  expect(ok).toBe(amount)
  expect(result.non2xx).toBe(0)
  expect(result.errors).toBe(0)
  expect(result.timeouts).toBe(0)
  const requests = result.requests as { average: number }
  expectKeptAlive(
    server,
    ok,
    `autocannon: ${ok} 2xx in ${result.duration} s, ~${requests.average} req/s, ${server.connections.length} connections, ${server.requests.length} recorded`,
  )
}, 90_000)

test(`a forked node:http keep-alive client: ${amount} requests over at most ${connections} sockets are all recorded`, async () => {
  await using server = await createTestServer()
  const result = await runNode([
    forkedClient,
    server.urlFor('/load'),
    String(amount),
    String(connections),
  ])
  expect(result.failed).toBe(0)
  expect(result.ok).toBe(amount)
  expectKeptAlive(
    server,
    result.ok as number,
    `node:http client: ${result.ok} ok in ${result.ms} ms, ${server.connections.length} connections, ${server.requests.length} recorded`,
  )
}, 90_000)
