// Bytes the server allocates per request, by the function that allocated them: V8's sampling
// heap profiler over `amount` requests (default 50,000) of the CPU part's load client, after a
// warm-up, for `kit` (a recording test server, default options) or `bare` (node:http answering as
// the test server's default handler does), both in this process. Not part of `npm run bench`: a
// tool to find what a change adds to the garbage collector's work (docs/performance.md).
//
//   node bench/allocations.ts kit|bare [amount]
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { Session } from 'node:inspector/promises'
import type { AddressInfo } from 'node:net'
import { createTestServer } from 'keepalive-kit'
import { bareServer } from './bare-server.ts'

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number }
  selfSize: number
  children: ProfileNode[]
}

const kind = process.argv[2]
const amount = Number(process.argv[3] ?? 50_000)
if (kind !== 'kit' && kind !== 'bare')
  throw new Error('usage: node bench/allocations.ts kit|bare [amount]')

async function serverUrl(): Promise<string> {
  if (kind === 'kit') return (await createTestServer()).url
  const server = await bareServer(undefined)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const url = await serverUrl()
const load = async (requests: number): Promise<void> => {
  const child = spawn(process.execPath, ['bench/instructions-load.ts', url, String(requests)], {
    stdio: 'inherit',
  })
  await once(child, 'exit')
}

await load(20_000)
const session = new Session()
session.connect()
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 256,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
})
await load(amount)
const { profile } = (await session.post('HeapProfiler.stopSampling')) as {
  profile: { head: ProfileNode }
}

const bytes = new Map<string, number>()
const visit = (node: ProfileNode): void => {
  const { functionName, url: file, lineNumber } = node.callFrame
  const where = `${functionName || '(anonymous)'} ${file.replace(/.*\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}`
  bytes.set(where, (bytes.get(where) ?? 0) + node.selfSize)
  for (const child of node.children) visit(child)
}
visit(profile.head)
const total = [...bytes.values()].reduce((sum, size) => sum + size, 0)
console.log(`${kind}: ${Math.round(total / amount)} B allocated per request (${amount} requests)`)
for (const [where, size] of [...bytes].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log(`${String(Math.round(size / amount)).padStart(6)} B  ${where}`)
process.exit(0)
