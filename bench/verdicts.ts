// Part 4: each verdict function over a hand-built journal of a million recorded requests, the
// size a long load test leaves behind. Two journals: a new connection per request (the worst
// case for the per-connection table: a million connections, every one named as dropped) and a
// pool of ten keep-alive connections. No server: the journals come from
// test/journal.ts, as in test/verdicts.test.ts.
import {
  opensNewSocketPerRequest,
  type RecordedRequest,
  reusesConnection,
  sendsConnectionHeader,
  usesAtMostConnections,
  usesConnections,
  type Verdict,
} from 'keepalive-kit'
import { journal } from '../test/journal.ts'
import type { PartReport, Row } from './types.js'

const size = Number(process.env.BENCH_JOURNAL ?? 1_000_000)
const calls = 3
const goal = 1000
const pool = 10

// One frozen header set for all, as the server's interner shares it between equal requests.
const headers = Object.freeze({ host: '127.0.0.1:40000', 'user-agent': 'node', accept: '*/*' })

const ids = (idOf: (i: number) => number): number[] =>
  Array.from({ length: size }, (_, i) => idOf(i))

type Judge = (requests: RecordedRequest[]) => Verdict
// Each verdict with the answer it must give on the new-socket journal and on the pool journal,
// so a verdict that skipped its work would be caught rather than timed.
const verdicts: [name: string, judge: Judge, expected: [newSocket: boolean, pool: boolean]][] = [
  ['reusesConnection', (r) => reusesConnection(r), [false, true]],
  ['opensNewSocketPerRequest', (r) => opensNewSocketPerRequest(r), [true, false]],
  ['usesConnections', (r) => usesConnections(r, pool), [false, true]],
  ['usesAtMostConnections', (r) => usesAtMostConnections(r, pool), [false, true]],
  ['sendsConnectionHeader', (r) => sendsConnectionHeader(r, 'keep-alive'), [false, true]],
]

/**
 * The slowest of `calls` calls of each verdict, in ms (the first call is cold), over the journal
 * `which` names. Built here and dropped on return, so the second journal is built and judged
 * without the first in the heap.
 */
function time(which: 0 | 1): number[] {
  const requests =
    which === 0
      ? journal(
          ids((i) => i + 1),
          { connectionHeader: 'close', headers },
        )
      : journal(
          ids((i) => (i % pool) + 1),
          { headers },
        )
  return verdicts.map(([name, judge, expected]) => {
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
}

const newSocket = time(0)
const pooled = time(1)

const count = size.toLocaleString('en-US')
const rows: Row[] = verdicts.map(([name], i) => {
  const measured = Math.max(newSocket[i] ?? 0, pooled[i] ?? 0)
  return {
    figure: `${name} over ${count} requests`,
    measured,
    unit: 'ms',
    goal,
    pass: measured <= goal,
    detail: `slowest of ${calls} calls; new connection per request ${newSocket[i]?.toFixed(0)} ms, pool of ${pool} ${pooled[i]?.toFixed(0)} ms`,
  }
})
const report: PartReport = { rows }
if (process.send) process.send(report)
else console.log(JSON.stringify(report, null, 2))
