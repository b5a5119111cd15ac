// Part 4: each verdict function over a hand-built journal of a million recorded requests, the
// size a long load test leaves behind, with its connection records, as a server hands them over.
// Two journals: a new connection per request (the worst case for the per-connection tables: a
// million connections) and a pool of ten keep-alive connections. No server: the journals come
// from test/journal.ts, as in test/verdicts.test.ts. Each verdict is also compared with a bare
// pass over the same journal in the same run (one loop that counts distinct connections in a
// typed array), so the ratio holds on a machine whose speed changes from minute to minute.
import {
  opensNewSocketPerRequest,
  type RecordedRequest,
  reusesConnection,
  sendsConnectionHeader,
  type TestServer,
  usesAtMostConnections,
  usesConnections,
  type Verdict,
} from 'keepalive-kit'
import { recorded } from '../test/journal.ts'
import type { PartReport, Row } from './types.js'

const size = Number(process.env.BENCH_JOURNAL ?? 1_000_000)
const calls = 3
const goal = 1000
const ratioGoal = 15
const pool = 10

// One frozen header set for all, as the server's interner shares it between equal requests.
const headers = Object.freeze({ host: '127.0.0.1:40000', 'user-agent': 'node', accept: '*/*' })

const ids = (idOf: (i: number) => number): number[] =>
  Array.from({ length: size }, (_, i) => idOf(i))

type Judge = (subject: TestServer) => Verdict
// Each verdict with the answer it must give on the new-socket journal and on the pool journal,
// so a verdict that skipped its work would be caught rather than timed.
const verdicts: [name: string, judge: Judge, expected: [newSocket: boolean, pool: boolean]][] = [
  ['reusesConnection', (r) => reusesConnection(r), [false, true]],
  ['opensNewSocketPerRequest', (r) => opensNewSocketPerRequest(r), [true, false]],
  ['usesConnections', (r) => usesConnections(r, pool), [false, true]],
  ['usesAtMostConnections', (r) => usesAtMostConnections(r, pool), [false, true]],
  ['sendsConnectionHeader', (r) => sendsConnectionHeader(r, 'keep-alive'), [false, true]],
]

/** The least any verdict must do: read every request once and count its connections. */
function barePass(subject: TestServer): number {
  const requests: readonly RecordedRequest[] = subject.requests
  const seen = new Uint8Array(requests.length + 2)
  let count = 0
  for (const request of requests) {
    const id = request.connectionId
    if (seen[id] === 0) count++
    seen[id] = 1
  }
  return count
}

/**
 * The slowest of `calls` calls of each verdict, in ms (the first call is cold), over the journal
 * `which` names. Built here and dropped on return, so the second journal is built and judged
 * without the first in the heap.
 */
function time(which: 0 | 1): { verdicts: number[]; bare: number } {
  const requests =
    which === 0
      ? recorded(
          ids((i) => i + 1),
          { connectionHeader: 'close', headers },
        )
      : recorded(
          ids((i) => (i % pool) + 1),
          { headers },
        )
  let bare = Number.POSITIVE_INFINITY
  for (let i = 0; i < calls; i++) {
    const started = performance.now()
    if (barePass(requests) !== (which === 0 ? size : pool)) throw new Error('bare pass miscounted')
    bare = Math.min(bare, performance.now() - started)
  }
  const timed = verdicts.map(([name, judge, expected]) => {
    let slowest = 0
    for (let i = 0; i < calls; i++) {
      const started = performance.now()
      const verdict = judge(requests)
      slowest = Math.max(slowest, performance.now() - started)
      if (verdict.pass !== expected[which])
        throw new Error(`${name} gave pass: ${verdict.pass}: ${verdict.summary}`)
    }
    return slowest
  })
  return { verdicts: timed, bare }
}

const newSocket = time(0)
const pooled = time(1)

const count = size.toLocaleString('en-US')
const rows: Row[] = verdicts.flatMap(([name], i) => {
  const fresh = newSocket.verdicts[i] ?? 0
  const pooledMs = pooled.verdicts[i] ?? 0
  const measured = Math.max(fresh, pooledMs)
  const ratio = Math.max(fresh / newSocket.bare, pooledMs / pooled.bare)
  return [
    {
      figure: `${name} over ${count} requests`,
      measured,
      unit: 'ms',
      goal,
      pass: measured <= goal,
      detail: `slowest of ${calls} calls; new connection per request ${fresh.toFixed(0)} ms, pool of ${pool} ${pooledMs.toFixed(0)} ms`,
    },
    {
      figure: `${name} vs a bare pass over the journal`,
      measured: ratio,
      unit: 'x',
      goal: ratioGoal,
      pass: ratio <= ratioGoal,
      detail: `bare pass ${newSocket.bare.toFixed(1)} ms (new connection per request), ${pooled.bare.toFixed(1)} ms (pool of ${pool}); the larger ratio of the two journals`,
    },
  ]
})
const report: PartReport = { rows }
if (process.send) process.send(report)
else console.log(JSON.stringify(report, null, 2))
