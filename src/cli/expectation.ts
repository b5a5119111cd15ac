import type { Subject } from '../subject.js'
import {
  opensNewSocketPerRequest,
  reusesConnection,
  usesAtMostConnections,
  usesConnections,
  type Verdict,
} from '../verdicts.js'
import { UsageError } from './args.js'

/** What `check --expect` asks of the recorded requests. */
export interface Expectation {
  /** As the user wrote it, for the report: `reuse`, `connections=2`, … */
  readonly name: string
  readonly judge: (subject: Subject) => Verdict
  /** Whether connection records' counts settle it, so `--journal counts` can judge it. */
  readonly judgesCounts: boolean
}

const valid =
  'reuse, reuse-over=h2, reuse-over=http/1.1, new-socket-per-request, connections=N or at-most=N (N a whole number of at least 1)'

/** Reads the value of `--expect`. Throws a `UsageError` that lists the valid forms. */
export function parseExpectation(value: string): Expectation {
  const text = value.trim().toLowerCase()
  if (text === 'reuse')
    return { name: text, judge: (requests) => reusesConnection(requests), judgesCounts: false }
  // toReuseConnection({ protocol }): catches a client that falls back to HTTP/1.1 without a word.
  if (text === 'reuse-over=h2' || text === 'reuse-over=http/1.1') {
    const protocol = text === 'reuse-over=h2' ? 'h2' : 'http/1.1'
    return {
      name: text,
      judge: (requests) => reusesConnection(requests, { protocol }),
      judgesCounts: false,
    }
  }
  if (text === 'new-socket-per-request')
    return {
      name: text,
      judge: (requests) => opensNewSocketPerRequest(requests),
      judgesCounts: true,
    }
  const counted = /^(connections|at-most)=(\d+)$/.exec(text)
  const n = Number(counted?.[2])
  if (counted === null || n < 1)
    throw new UsageError('check', `--expect must be ${valid}; got ${JSON.stringify(value)}.`)
  return counted[1] === 'connections'
    ? { name: text, judge: (requests) => usesConnections(requests, n), judgesCounts: true }
    : { name: text, judge: (requests) => usesAtMostConnections(requests, n), judgesCounts: true }
}
