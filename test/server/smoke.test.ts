import { get } from 'node:http'
import { expect, test } from 'vitest'
import { createTestServer } from '../../src/index.js'

test('records the connection of each request', async () => {
  await using server = await createTestServer()
  for (let i = 0; i < 2; i++) {
    await new Promise((resolve, reject) =>
      get(server.url, (res) => res.resume().on('end', resolve)).on('error', reject),
    )
  }
  expect(server.requests.map((request) => request.connectionId)).toEqual([1, 1])
})
