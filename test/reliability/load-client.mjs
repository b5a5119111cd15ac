// A keep-alive load client run in its own process by load.test.ts:
//   node load-client.mjs URL AMOUNT CONNECTIONS
// Sends AMOUNT GET requests through one node:http Agent (keepAlive, maxSockets CONNECTIONS),
// CONNECTIONS at a time, and prints {"ok":N,"failed":N,"ms":N} as JSON.
import { Agent, get } from 'node:http'
import { performance } from 'node:perf_hooks'

const [url, amountArg = '10000', connectionsArg = '10'] = process.argv.slice(2)
const amount = Number(amountArg)
const connections = Number(connectionsArg)
const agent = new Agent({ keepAlive: true, maxSockets: connections })

let started = 0
let ok = 0
let failed = 0

const one = () =>
  new Promise((resolve) => {
    get(url, { agent }, (res) => {
      res.resume()
      res.on('end', () => {
        if (res.statusCode === 200) ok++
        else failed++
        resolve()
      })
    }).on('error', () => {
      failed++
      resolve()
    })
  })

async function worker() {
  while (started < amount) {
    started++
    await one()
  }
}

const t0 = performance.now()
await Promise.all(Array.from({ length: connections }, worker))
agent.destroy()
process.stdout.write(JSON.stringify({ ok, failed, ms: Math.round(performance.now() - t0) }))
