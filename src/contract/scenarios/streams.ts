import type { ServerResponse } from 'node:http'
import { reusesConnection } from '../../verdicts.js'
import type { ScenarioContext } from '../context.js'
import type { ContractClient } from '../types.js'
import { paths, type Scenario } from './types.js'

const chunk = Buffer.from('x'.repeat(16 * 1024))
const chunks = 64

/** Sends `chunks` chunks of 16 KiB, chunked, waiting for the client to read each one. */
async function stream(res: ServerResponse): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/octet-stream' })
  for (let i = 0; i < chunks && !res.destroyed; i++) {
    // A client that stops reading leaves this promise pending; closing the server ends it.
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve))
  }
  res.end()
}

const sizeOf = (piece: unknown): number =>
  typeof piece === 'string'
    ? Buffer.byteLength(piece)
    : piece instanceof Uint8Array
      ? piece.byteLength
      : 0

/** A server that streams on the calls marked with `streaming`, and answers the others at once. */
async function streamingServer(context: ScenarioContext) {
  const state = { streaming: false }
  const server = await context.server({
    answer: (_, reply, res) => (state.streaming ? stream(res) : reply(200)),
  })
  const { client } = context
  const { stream: open } = client
  if (open === undefined) return context.skip('the client has no `stream()`')
  return { server, state, open: open.bind(client) as NonNullable<ContractClient['stream']> }
}

export const streamReadToEnd: Scenario = {
  id: 'stream-read',
  short: 'stream',
  title: 'a streamed response read to the end keeps its connection',
  healthy:
    'A healthy client gives a streamed body back to its pool once the caller has read it to the end: the next request reuses that connection.',
  waits: 3,
  async run(context) {
    const { server, state, open } = await streamingServer(context)
    state.streaming = true
    const url = server.urlFor('/stream/whole')
    const init = context.init()
    const bytes = await context.bounded(`reading the stream from ${url} to its end`, async () => {
      let read = 0
      for await (const piece of await open(url, init)) read += sizeOf(piece)
      return read
    })
    state.streaming = false
    if (bytes !== chunk.byteLength * chunks)
      context.fail(
        `the stream ended after ${bytes} of ${chunk.byteLength * chunks} bytes. \`stream()\` must give the body's bytes (Buffer, Uint8Array or string chunks).`,
      )
    await context.sequential(paths('/stream/after', 2).map((path) => server.urlFor(path)))
    context.expect(reusesConnection(server), 'expect(server).toReuseConnection()')
    return context.pattern()
  },
}

export const streamAbandoned: Scenario = {
  id: 'stream-abandoned',
  short: 'abandon',
  title: 'a stream the caller abandons does not break the pool',
  healthy:
    "A healthy client frees or discards a connection whose streamed body the caller stopped reading: the next requests succeed at once, and reuse each other's connection.",
  waits: 4,
  async run(context) {
    const { server, state, open } = await streamingServer(context)
    state.streaming = true
    const url = server.urlFor('/stream/abandoned')
    const init = context.init()
    await context.bounded(`reading the first chunk of the stream from ${url}`, async () => {
      // Leaving the loop calls the iterator's return(): the caller walks away from the body.
      for await (const _ of await open(url, init)) break
    })
    state.streaming = false
    const before = server.requests.length
    await context.sequential(paths('/stream/next', 3).map((path) => server.urlFor(path)))
    context.expect(
      reusesConnection(server.requests.slice(before)),
      'The requests after the abandoned stream must reuse their connections:\nexpect(after).toReuseConnection()',
    )
    return context.pattern()
  },
}
