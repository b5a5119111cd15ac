// Part 3: bytes per recorded request. A test server in this process records keep-alive requests
// sent by autocannon from another process (so the client's memory never counts); the memory
// after a full collection, minus the memory before, divided by the requests recorded, is what
// the journal costs: its columns, its share of the tables and the headers. Memory is the heap
// plus the array buffers, where typed arrays keep their items outside the heap. Three journals:
// headers that repeat, a new x-request-id value on every request, and `recordHeaders: false`.
// Needs --expose-gc: `node --expose-gc bench/memory.ts`.
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { createTestServer } from 'keepalive-kit'
import type { LoadOrder, LoadReport } from './load.js'
import { median } from './median.ts'
import type { PartReport } from './types.js'

const gc = globalThis.gc ?? needsGc()

function needsGc(): never {
  throw new Error('bench/memory.ts needs --expose-gc: node --expose-gc bench/memory.ts')
}

const perRound = Number(process.env.BENCH_MEMORY_REQUESTS ?? 30_000)
// Now and then one round reads far from the others (92 B where the others read 196 B, for a
// reason not pinned down); the median of five rounds is not moved by one such round.
const rounds = 5
const connections = 10
const goal = 250
const noHeadersGoal = 120

const server = await createTestServer()
const bare = await createTestServer({ recordHeaders: false })
const keepLast = 5000
const bounded = await createTestServer({ journal: { keepLast } })
const load = fork(new URL('./load.ts', import.meta.url), [], { stdio: 'inherit' })

/** Sends `amount` requests and waits until the server has recorded every connection's close. */
async function send(amount: number, requestId = false, to = server): Promise<void> {
  const reply = once(load, 'message')
  const order: LoadOrder = { url: to.url, amount, connections, pipelining: 1, requestId }
  load.send(order)
  const [report] = (await reply) as [LoadReport]
  if (report.errors > 0) throw new Error(`${report.errors} of ${amount} requests failed`)
  // Closed connections stay in the journal too; waiting for them makes every round end alike.
  while (to.openConnections.length > 0) await once(to, 'connectionClose')
}

async function heapAfterGc(): Promise<number> {
  // Node frees the native side of closed sockets on later turns of the event loop: the first
  // collection after a round leaves about 300 KB that the next one frees. From the second on,
  // collections a few ms apart read the same heap to within a few KB.
  for (let i = 0; i < 3; i++) {
    await sleep(20)
    gc()
  }
  const { heapUsed, arrayBuffers } = process.memoryUsage()
  return heapUsed + arrayBuffers
}

/** Bytes per request recorded in one round that starts from an empty journal. */
async function round(requestId = false, to = server): Promise<number> {
  to.clear()
  const before = await heapAfterGc()
  await send(perRound, requestId, to)
  const after = await heapAfterGc()
  const recorded = to === bounded ? perRound : to.requests.length
  if (to === bounded && to.requests.length !== keepLast)
    throw new Error(`the bounded journal keeps ${to.requests.length} requests, not ${keepLast}`)
  if (recorded < perRound) throw new Error(`recorded ${recorded} of ${perRound} requests`)
  // Proof the headers are kept, not dropped to save memory, and each request keeps its own id.
  const [first, last] = [to.requests[0], to.requests.at(-1)]
  const kept = to !== bare
  if (
    kept &&
    (last?.headers['user-agent'] !== 'node' || (requestId && !last.headers['x-request-id']))
  )
    throw new Error('the recorded requests lost their headers')
  if (kept && requestId && first?.headers['x-request-id'] === last?.headers['x-request-id'])
    throw new Error('the recorded requests lost their own x-request-id values')
  return (after - before) / recorded
}

try {
  // Warm-up: compiles the server's paths and fills the interner before anything is measured.
  await send(perRound)
  const perRequest: number[] = []
  for (let i = 0; i < rounds; i++) perRequest.push(await round())
  const bytes = median(perRequest)
  const headerCount = Object.keys(server.requests[0]?.headers ?? {}).length
  // The first of these rounds makes the header shape; the median is what each request costs.
  const unique: number[] = []
  for (let i = 0; i < 3; i++) unique.push(await round(true))
  const uniqueBytes = median(unique)
  await send(perRound, true, bare)
  const noHeaders: number[] = []
  for (let i = 0; i < 3; i++) noHeaders.push(await round(true, bare))
  const noHeadersBytes = median(noHeaders)
  await send(perRound, true, bounded)
  const boundedBytes = (await round(true, bounded)) * perRound
  const report: PartReport = {
    rows: [
      {
        figure: 'heap per recorded request, headers kept',
        measured: bytes,
        unit: 'B',
        goal,
        pass: bytes <= goal,
        detail: `median of ${rounds} rounds of ${perRound} requests over ${connections} keep-alive connections, ${headerCount} headers each (host and those fetch sends); rounds: ${perRequest.map((b) => b.toFixed(0)).join(', ')} B`,
      },
      {
        figure: 'heap per recorded request, a unique header value on each',
        measured: uniqueBytes,
        unit: 'B',
        goal,
        pass: uniqueBytes <= goal,
        detail: `the same requests with a new x-request-id value on every request, which no two requests can share; median of 3 rounds: ${unique.map((b) => b.toFixed(0)).join(', ')} B`,
      },
      {
        figure: 'heap per recorded request, recordHeaders: false',
        measured: noHeadersBytes,
        unit: 'B',
        goal: noHeadersGoal,
        pass: noHeadersBytes <= noHeadersGoal,
        detail: `a server made with recordHeaders: false, the requests with a unique x-request-id; median of 3 rounds: ${noHeaders.map((b) => b.toFixed(0)).join(', ')} B`,
      },
    ],
    notes: [
      `journal: { keepLast: ${keepLast} } held ${(boundedBytes / 1024).toFixed(0)} KB after ${perRound} requests with unique ids: ${(boundedBytes / keepLast).toFixed(0)} B per request kept, ${(boundedBytes / perRound).toFixed(0)} B per request recorded`,
      "heap is heapUsed plus arrayBuffers (the typed arrays of the journal's columns live outside the heap)",
    ],
  }
  if (process.send) process.send(report)
  else console.log(JSON.stringify(report, null, 2))
} finally {
  load.disconnect()
  await Promise.all([server.close(), bare.close(), bounded.close()])
}
