// The HTTP/2 load client of the benchmark (autocannon speaks HTTP/1.1 only), forked so its CPU
// never counts as the server's. Answers each { url, amount, connections, pipelining } order:
// `connections` sessions, each with `pipelining` streams in flight, until `amount` are sent.
import { type ClientHttp2Session, connect } from 'node:http2'
import type { LoadOrder, LoadReport } from './load.js'

// What fetch sends, less `connection`, which HTTP/2 forbids.
const headers = {
  ':path': '/',
  accept: '*/*',
  'accept-language': '*',
  'sec-fetch-mode': 'cors',
  'user-agent': 'node',
  'accept-encoding': 'gzip, deflate',
}

process.on('message', async (order: LoadOrder) => {
  const started = performance.now()
  const sessions: ClientHttp2Session[] = Array.from({ length: order.connections }, () =>
    // The test certificate is not trusted here; the benchmark measures the server, not trust.
    connect(order.url, { rejectUnauthorized: false }),
  )
  let sent = 0
  let ok = 0
  let errors = 0
  const one = (session: ClientHttp2Session): Promise<void> =>
    new Promise((resolve) => {
      sent++
      const stream = session.request(headers)
      stream.on('response', (response) => {
        if (response[':status'] === 200) ok++
      })
      stream.resume()
      stream.on('end', resolve)
      stream.on('error', () => {
        errors++
        resolve()
      })
    })
  const worker = async (session: ClientHttp2Session): Promise<void> => {
    while (sent < order.amount) await one(session)
  }
  await Promise.all(
    sessions.flatMap((session) => Array.from({ length: order.pipelining }, () => worker(session))),
  )
  for (const session of sessions) session.close()
  const report: LoadReport = { sent, ok, errors, seconds: (performance.now() - started) / 1000 }
  process.send?.(report)
})
process.on('disconnect', () => process.exit(0))
