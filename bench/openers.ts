// Part 5: what recording the code that opened each connection costs (docs/evidence.md). New
// connections (node:http, agent: false: connect, one request, close) in blocks, alternately with
// the `net.client.socket` subscriber and without it, in one process; the figure is the median
// ratio of µs per new connection, with over without. A reused connection costs nothing: no
// socket is opened.
import { request } from 'node:http'
import { createTestServer } from 'keepalive-kit'
import { median } from './median.ts'
import type { PartReport, Row } from './types.js'

// The built module createTestServer() itself uses, so switching it off here switches it off there.
const { unwatchClientSockets, watchClientSockets } = (await import(
  new URL('../dist/src/openers.js', import.meta.url).href
)) as typeof import('../src/openers.ts')

const blocks = Number(process.env.BENCH_OPENER_BLOCKS ?? 10)
const perBlock = 400
const goal = 1.5

const server = await createTestServer()
const get = () =>
  new Promise<void>((resolve, reject) => {
    request(server.url, { agent: false }, (res) => res.resume().on('end', resolve))
      .on('error', reject)
      .end()
  })

/** µs per new connection over one block. */
async function block(watched: boolean): Promise<number> {
  if (watched) watchClientSockets()
  else unwatchClientSockets()
  const started = performance.now()
  for (let i = 0; i < perBlock; i++) await get()
  return ((performance.now() - started) * 1000) / perBlock
}

await block(true)
await block(false)
const ratios: number[] = []
const withIt: number[] = []
const without: number[] = []
for (let i = 0; i < blocks; i++) {
  // Alternate which goes first, so a drift in the machine's load favours neither.
  const on = i % 2 === 0 ? await block(true) : 0
  const off = await block(false)
  const measuredOn = i % 2 === 0 ? on : await block(true)
  withIt.push(measuredOn)
  without.push(off)
  ratios.push(measuredOn / off)
}
await server.close()
if (!server.connections.some((connection) => connection.openedBy !== undefined))
  throw new Error('no connection recorded its opener: the subscriber did not run')

const measured = median(ratios)
const rows: Row[] = [
  {
    figure: 'new connection, opener recorded vs not',
    measured,
    unit: 'x',
    goal,
    pass: measured <= goal,
    detail: `median of ${blocks} pairs of ${perBlock} connections: ${median(withIt).toFixed(0)} µs vs ${median(without).toFixed(0)} µs per connection`,
  },
]
const report: PartReport = { rows }
if (process.send) process.send(report)
else console.log(JSON.stringify(report, null, 2))
