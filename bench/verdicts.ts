// Part 4: each verdict function over a hand-built journal of a million recorded requests, the
// size a long load test leaves behind, with its connection records, as a server hands them over:
// with its columns (one typed array per field the verdicts read, registered with
// `provideColumns`, as a journal that keeps columns does), so no verdict reads a million objects. Two
// journals: a new connection per request (the worst case for the per-connection tables: a million
// connections) and a pool of ten keep-alive connections. No server: the journals come from
// test/journal.ts, as in test/verdicts.test.ts. Each verdict is also compared with a bare pass
// over the same columns in the same run (one loop that counts distinct connection ids in a typed
// array), so the ratio holds on a machine whose speed changes from minute to minute; and the
// detail says what the same verdict takes over a plain array of the records (a copy, as a slice
// would be), which must first read every object into columns.

import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
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
// Not part of the package's API: the hook through which a journal that keeps columns hands them
// to the verdicts, loaded from the same build so that the verdicts see what is registered here.
import { columnsOf, provideColumns } from '../dist/src/verdicts/columns.js'
import { recorded } from '../test/journal.ts'
import { median } from './median.ts'
import type { PartReport, Row } from './types.js'

const size = Number(process.env.BENCH_JOURNAL ?? 1_000_000)
const calls = 3
const bareCalls = 9
const goal = 100
const ratioGoal = 15
const pool = 10

// One frozen header set for all, as the server's interner shares it between equal requests.
const headers = Object.freeze({ host: '127.0.0.1:40000', 'user-agent': 'node', accept: '*/*' })

const ids = (idOf: (i: number) => number): number[] =>
  Array.from({ length: size }, (_, i) => idOf(i))

type Subject = TestServer | readonly RecordedRequest[]
type Judge = (subject: Subject) => Verdict
// Each verdict with the answer it must give on the new-socket journal and on the pool journal,
// so a verdict that skipped its work would be caught rather than timed.
const verdicts: [name: string, judge: Judge, expected: [newSocket: boolean, pool: boolean]][] = [
  ['reusesConnection', (r) => reusesConnection(r), [false, true]],
  ['opensNewSocketPerRequest', (r) => opensNewSocketPerRequest(r), [true, false]],
  ['usesConnections', (r) => usesConnections(r, pool), [false, true]],
  ['usesAtMostConnections', (r) => usesAtMostConnections(r, pool), [false, true]],
  ['sendsConnectionHeader', (r) => sendsConnectionHeader(r, 'keep-alive'), [false, true]],
]

/** The least any verdict must do: read every request's connection id once and count them. */
function barePass(ids: Float64Array): number {
  const seen = new Uint8Array(ids.length + 2)
  let count = 0
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number
    if (seen[id] === 0) count++
    seen[id] = 1
  }
  return count
}

// A full collection before each journal is judged, so that the garbage of building it (and of the
// journal before) is not collected inside a timed call; what a verdict allocates still is.
setFlagsFromString('--expose-gc')
const collect = runInNewContext('gc') as () => void

/** The time of each of `calls` calls of `judge` over `subject`, in ms (the first is cold). */
function timings(subject: Subject, name: string, judge: Judge, expected: boolean): number[] {
  return Array.from({ length: calls }, () => {
    const started = performance.now()
    const verdict = judge(subject)
    const ms = performance.now() - started
    if (verdict.pass !== expected)
      throw new Error(`${name} gave pass: ${verdict.pass}: ${verdict.summary}`)
    return ms
  })
}

interface Timed {
  /** By verdict: the slowest call over the journal's columns, and the median one. */
  slowest: number[]
  median: number[]
  /** By verdict: the slowest call over a plain array of the records. */
  objects: number[]
  /** The median of `bareCalls` bare passes. */
  bare: number
}

/**
 * Each verdict's calls over the journal `which` names, with its columns and over a plain array of
 * its records, and the bare passes. Built here and dropped on return, so the second journal is
 * built and judged without the first in the heap.
 */
function time(which: 0 | 1): Timed {
  const journal =
    which === 0
      ? recorded(
          ids((i) => i + 1),
          { connectionHeader: 'close', headers },
        )
      : recorded(
          ids((i) => (i % pool) + 1),
          { headers },
        )
  const columns = columnsOf(journal.requests)
  provideColumns(journal.requests, () => columns)
  collect()
  const bare = Array.from({ length: bareCalls }, () => {
    const started = performance.now()
    if (barePass(columns.connectionId) !== (which === 0 ? size : pool))
      throw new Error('bare pass miscounted')
    return performance.now() - started
  })
  const timed = verdicts.map(([name, judge, expected]) =>
    timings(journal, name, judge, expected[which]),
  )
  const records = [...journal.requests]
  collect()
  const objects = verdicts.map(([name, judge, expected]) =>
    Math.max(...timings(records, name, judge, expected[which])),
  )
  return {
    slowest: timed.map((ms) => Math.max(...ms)),
    median: timed.map((ms) => median(ms)),
    objects,
    bare: median(bare),
  }
}

const newSocket = time(0)
const pooled = time(1)

const count = size.toLocaleString('en-US')
const rows: Row[] = verdicts.flatMap(([name], i) => {
  const fresh = newSocket.slowest[i] ?? 0
  const pooledMs = pooled.slowest[i] ?? 0
  const measured = Math.max(fresh, pooledMs)
  const freshMedian = newSocket.median[i] ?? 0
  const pooledMedian = pooled.median[i] ?? 0
  const ratio = Math.max(freshMedian / newSocket.bare, pooledMedian / pooled.bare)
  const objects = `over a plain array of the records, which it must first read into columns: ${(newSocket.objects[i] ?? 0).toFixed(0)} ms and ${(pooled.objects[i] ?? 0).toFixed(0)} ms`
  return [
    {
      figure: `${name} over ${count} requests`,
      measured,
      unit: 'ms',
      goal,
      pass: measured <= goal,
      detail: `slowest of ${calls} calls over the journal's columns; new connection per request ${fresh.toFixed(0)} ms, pool of ${pool} ${pooledMs.toFixed(0)} ms (${objects})`,
    },
    {
      figure: `${name} vs a bare pass over the journal`,
      measured: ratio,
      unit: 'x',
      goal: ratioGoal,
      pass: ratio <= ratioGoal,
      detail: `median of ${calls} calls ${freshMedian.toFixed(1)} ms and ${pooledMedian.toFixed(1)} ms against the median bare pass over the connection id column (${bareCalls} passes) ${newSocket.bare.toFixed(1)} ms (new connection per request) and ${pooled.bare.toFixed(1)} ms (pool of ${pool}); the larger ratio of the two journals`,
    },
  ]
})
const report: PartReport = { rows }
if (process.send) process.send(report)
else console.log(JSON.stringify(report, null, 2))
