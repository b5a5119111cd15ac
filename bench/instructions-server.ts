// The server bench/instructions.sh runs under valgrind: `kit` (a recording test server with
// default options) or `bare` (node:http, node:https or node:http2 answering as the test server's
// default handler does), in clear text, over TLS or over HTTP/2. Prints its URL; Ctrl-C stops it.
import type { AddressInfo } from 'node:net'
import { createTestServer } from 'keepalive-kit'
import { bareServer } from './bare-server.ts'

const kind = process.argv[2]
const mode = process.argv[3]
const overTls = mode === 'tls' || mode === 'h2'

if (kind === 'kit') {
  const server = await createTestServer({ tls: overTls, http2: mode === 'h2' })
  // The CPU part clears before each run of 8000; a listener would add to what is counted.
  setInterval(() => {
    if (server.requests.length >= 8000) server.clear()
  }, 200).unref()
  console.log(server.url)
} else {
  const server = await bareServer(mode)
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo
    console.log(`${overTls ? 'https' : 'http'}://127.0.0.1:${port}`)
  })
}
process.on('SIGINT', () => process.exit(0))
