// Sends `amount` requests to `url` with the CPU part's load client (autocannon, or our HTTP/2
// client for h2), 10 keep-alive connections, and exits once they are answered.
import { fork } from 'node:child_process'
import { once } from 'node:events'
import type { LoadOrder, LoadReport } from './load.js'

const [url = '', amount = '0', mode = 'plain'] = process.argv.slice(2)
const load = fork(new URL(mode === 'h2' ? './load-h2.ts' : './load.ts', import.meta.url))
const order: LoadOrder = { url, amount: Number(amount), connections: 10, pipelining: 1 }
load.send(order)
const [report] = (await once(load, 'message')) as [LoadReport]
load.disconnect()
// Under valgrind a loaded machine can time a few out (10 s); say so, the count is per request sent.
if (report.errors > 0) console.error(`${report.errors} of ${report.sent} requests failed`)
