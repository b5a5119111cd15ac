// Part 1: the start+close cycle of a test server against a bare node:http server, both in this
// one process and interleaved (bare, kit, kit, bare…), so both see the same machine at each
// moment. A cycle is what the goal names: listen on a free loopback port, then close. No request.
import { createServer } from 'node:http'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { createTestServer } from 'keepalive-kit'
import { median } from './median.ts'
import { type Cycle, listenAndClose, timePairs, warmUp, µs } from './pairs.ts'
import type { PartReport, Row } from './types.js'

const servers = Number(process.env.BENCH_SERVERS ?? 1000)
// The JIT keeps speeding both cycles up for the first thousand servers or so; measuring from
// there keeps that speed-up from hiding a slowdown that builds up with every server.
const warmUpServers = 1000
const batch = Math.max(1, Math.floor(servers / 10))
const ratioGoal = 1.5
// The last 100 measured servers against the first 100. With nothing accumulating, medians of
// 100 cycles moved by ±3% from batch to batch on the 2-core machine of docs/performance.md, so
// 1.10 leaves room for that noise, while a cost that grows with every server started before (a
// list of servers scanned at start, a listener left behind per server) would go past it by the
// 1000th.
const driftGoal = 1.1

const bareCycle: Cycle = () => listenAndClose(() => createServer())

async function kitCycle(): Promise<number> {
  const started = performance.now()
  const server = await createTestServer()
  await server.close()
  return performance.now() - started
}

/** Heap in use after a full collection, when the process runs with --expose-gc. */
async function heapAfterGc(): Promise<number | undefined> {
  if (globalThis.gc === undefined) return undefined
  // Node frees the native side of a closed server on a later turn of the event loop; until then
  // gc() cannot collect it, and a loop that never yields looks like a leak of 1–3 KB per server.
  await nextTurn()
  globalThis.gc()
  globalThis.gc()
  return process.memoryUsage().heapUsed
}

// The warm-up lets the JIT compile both paths first: otherwise the first servers are slow for
// reasons that have nothing to do with what accumulates, and would hide a later slowdown.
await warmUp(bareCycle, kitCycle, warmUpServers)
const heapBefore = await heapAfterGc()
const { bare, kit } = await timePairs(bareCycle, kitCycle, servers)
const heapAfter = await heapAfterGc()

// Each kit cycle against the bare cycle next to it: a busy moment slows both.
const ratios = kit.map((ms, i) => ms / (bare[i] ?? ms))
const ratio = median(ratios)
const first = (values: readonly number[]): number => median(values.slice(0, batch))
const last = (values: readonly number[]): number => median(values.slice(-batch))
// Against bare too, so a machine that got busier during the run is not blamed on the kit.
const drift = last(ratios) / first(ratios)

const rows: Row[] = [
  {
    figure: 'start+close cycle, test server vs bare',
    measured: ratio,
    unit: 'x',
    goal: ratioGoal,
    pass: ratio <= ratioGoal,
    detail: `median of ${servers} paired cycles; kit ${µs(median(kit))}, bare ${µs(median(bare))} (medians)`,
  },
  {
    figure: `start+close, servers ${warmUpServers + servers - batch + 1}–${warmUpServers + servers} vs ${warmUpServers + 1}–${warmUpServers + batch}`,
    measured: drift,
    unit: 'x',
    goal: driftGoal,
    pass: drift <= driftGoal,
    detail: `kit/bare ratio ${last(ratios).toFixed(2)} vs ${first(ratios).toFixed(2)}; kit alone ${µs(last(kit))} vs ${µs(first(kit))}, bare ${µs(last(bare))} vs ${µs(first(bare))} (medians of ${batch})`,
  },
]
const notes =
  heapBefore === undefined || heapAfter === undefined
    ? []
    : [
        `heap change over ${servers} test servers and as many bare ones, after gc: ${((heapAfter - heapBefore) / 1024).toFixed(0)} KiB (${((heapAfter - heapBefore) / servers).toFixed(0)} B per pair)`,
      ]
const report: PartReport = { rows, notes }
if (process.send) process.send(report)
else console.log(JSON.stringify(report, null, 2))
