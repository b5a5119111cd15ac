// One server of the CPU benchmark, alone in its process so process.cpuUsage() is its own:
// `bare` is node:http answering like the test server's default handler, `kit` is a recording
// test server. Sends { url } once listening; on 'start' it zeroes its counters, on 'stop' it
// sends the CPU time and the requests served since. With a second argument `tls`, both speak
// HTTPS with the test certificate: bare is node:https, kit is `createTestServer({ tls: true })`;
// with `h2`, HTTP/2 over TLS: bare is node:http2's secure server, kit adds `http2: true`.
import type { AddressInfo } from 'node:net'
import { createTestServer } from 'keepalive-kit'
import { bareServer } from './bare-server.ts'

export type CpuServerMessage =
  | { url: string }
  | { started: true }
  | { cpuMicros: number; served: number; recorded: number }

const kind = process.argv[2]
const overH2 = process.argv[3] === 'h2'
const overTls = process.argv[3] === 'tls' || overH2
const send = (message: CpuServerMessage): void => void process.send?.(message)

let bareServed = 0
let served = (): number => bareServed
let recorded = (): number => 0
let reset = (): void => {
  bareServed = 0
}

if (kind === 'kit') {
  const server = await createTestServer({ tls: overTls, http2: overH2 })
  served = () => server.requests.length
  recorded = () => server.requests.length
  // Each run records from an empty journal, so every run pays the same garbage collection.
  reset = () => server.clear()
  send({ url: server.url })
} else {
  // Node's own keep-alive timeout stands in for the test server's idle timeout (both 5 s).
  const server = await bareServer(process.argv[3], () => {
    bareServed++
  })
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo
    send({ url: `${overTls ? 'https' : 'http'}://127.0.0.1:${port}` })
  })
}

let since = process.cpuUsage()
process.on('message', (message: 'start' | 'stop') => {
  if (message === 'start') {
    reset()
    since = process.cpuUsage()
    send({ started: true })
  } else {
    const used = process.cpuUsage(since)
    send({ cpuMicros: used.user + used.system, served: served(), recorded: recorded() })
  }
})
process.on('disconnect', () => process.exit(0))
