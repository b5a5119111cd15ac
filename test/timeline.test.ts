import { once } from 'node:events'
import { connect } from 'node:http2'
import { describe, expect, onTestFinished, test } from 'vitest'
import { createTestServer } from '../src/index.js'
import { formatConnection } from '../src/timeline.js'

/** Sends `n` GETs on one HTTP/2 session at once and resolves when every answer has ended. */
async function streams(url: string, n: number): Promise<void> {
  const session = connect(url)
  onTestFinished(() => void session.destroy())
  await Promise.all(
    Array.from({ length: n }, async () => {
      const stream = session.request({ ':path': '/' }).end()
      stream.resume()
      await once(stream, 'end')
    }),
  )
}

describe('formatConnection', () => {
  test('says how many HTTP/2 streams were in flight at once, where more than one was', async () => {
    await using server = await createTestServer({ http2: true })
    await streams(server.url, 3)
    await streams(server.url, 1)
    expect(server.connections.map(formatConnection)).toEqual([
      expect.stringMatching(
        /^conn 1 {2}127\.0\.0\.1:\d+ {2}3 requests \(up to 3 at once\) {2}open$/,
      ),
      expect.stringMatching(/^conn 2 {2}127\.0\.0\.1:\d+ {2}1 request {2}open$/),
    ])
  })
})
