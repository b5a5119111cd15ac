// The load client of the benchmarks, forked so that its CPU never counts as the server's.
// It waits for { url, amount, ... } messages and answers each with how the run went.
import { createRequire } from 'node:module'

export interface LoadOrder {
  url: string
  amount: number
  connections: number
  pipelining: number
  /** Adds an `x-request-id` header with a new value on every request, as tracing clients do. */
  requestId?: boolean
}

export interface LoadReport {
  sent: number
  ok: number
  errors: number
  seconds: number
}

interface AutocannonResult {
  '2xx': number
  errors: number
  timeouts: number
  duration: number
  requests: { sent: number }
}

type Autocannon = (
  options: Record<string, unknown>,
  done: (error: Error | null, result: AutocannonResult) => void,
) => unknown

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

// What fetch (undici) sends, so the recorded headers weigh what a real client's do.
const headers = {
  connection: 'keep-alive',
  accept: '*/*',
  'accept-language': '*',
  'sec-fetch-mode': 'cors',
  'user-agent': 'node',
  'accept-encoding': 'gzip, deflate',
}

process.on('message', ({ requestId = false, ...order }: LoadOrder) => {
  // autocannon puts a fresh id wherever the request says [<id>] when idReplacement is on.
  const sent = requestId ? { ...headers, 'x-request-id': '[<id>]' } : headers
  const options = { ...order, headers: sent, idReplacement: requestId, timeout: 10, bailout: 100 }
  autocannon(options, (error, result) => {
    if (error) throw error
    const report: LoadReport = {
      sent: result.requests.sent,
      ok: result['2xx'],
      errors: result.errors + result.timeouts,
      seconds: result.duration,
    }
    process.send?.(report)
  })
})
process.on('disconnect', () => process.exit(0))
