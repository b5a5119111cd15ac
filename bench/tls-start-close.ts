// Part 5: the TLS test server. The time to make the test certificate (the first of a process,
// then each later one), and the start+close cycle of `createTestServer({ tls: true })` against a
// bare node:https server with the same certificate, interleaved in this one process.
import { createServer } from 'node:https'
import { makeCertificate, testCertificate } from './certificate.ts'
import { median } from './median.ts'
import { type Cycle, listenAndClose, timePairs, warmUp, µs } from './pairs.ts'
import type { PartReport, Row } from './types.js'

// First, before anything else in this process has used OpenSSL: what the first TLS test server
// of a test run pays.
const first = testCertificate()
const made: number[] = []
for (let i = 0; i < 200; i++) made.push(makeCertificate().tookMs)

const { createTestServer } = await import('keepalive-kit')
const servers = Number(process.env.BENCH_TLS_SERVERS ?? 500)
const warmUpServers = 300
const ratioGoal = 1.5
const certificateGoal = 2

const bareCycle: Cycle = () =>
  listenAndClose(() => createServer({ key: first.key, cert: first.cert }))

async function kitCycle(): Promise<number> {
  const started = performance.now()
  const server = await createTestServer({ tls: true })
  await server.close()
  return performance.now() - started
}

await warmUp(bareCycle, kitCycle, warmUpServers)
const { bare, kit } = await timePairs(bareCycle, kitCycle, servers)
const ratio = median(kit.map((ms, i) => ms / (bare[i] ?? ms)))
const certificate = median(made)

const rows: Row[] = [
  {
    figure: 'TLS start+close cycle, test server vs bare node:https',
    measured: ratio,
    unit: 'x',
    goal: ratioGoal,
    pass: ratio <= ratioGoal,
    detail: `median of ${servers} paired cycles; kit ${µs(median(kit))}, bare ${µs(median(bare))} (medians)`,
  },
  {
    figure: 'test certificate (CA + leaf), each after the first',
    measured: certificate,
    unit: 'ms',
    goal: certificateGoal,
    pass: certificate <= certificateGoal,
    detail: `median of ${made.length}: ${certificate.toFixed(2)} ms; the first of the process took ${first.tookMs.toFixed(1)} ms`,
  },
]
const report: PartReport = { rows }
if (process.send) process.send(report)
else console.log(JSON.stringify(report, null, 2))
