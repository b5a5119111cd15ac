import * as http from 'node:http'
import { expect, test } from 'vitest'
import { createTestServer } from '../../../src/index.js'

const get = (url: string) =>
  new Promise<void>((resolve, reject) => {
    http.get(url, { agent: false }, (res) => res.resume().on('end', resolve)).on('error', reject)
  })

/** Two requests, each on its own connection: `toReuseConnection()` fails on them. */
async function twoSockets() {
  const server = await createTestServer()
  await get(server.url)
  await get(server.url)
  return server
}

const runs = Number(process.env.ANNOTATION_RUNS ?? 10)

for (let i = 0; i < runs; i++) {
  test(`fails ${i}`, async () => {
    await using server = await twoSockets()
    expect(server).toReuseConnection()
  })

  test(`fails under .not ${i}`, async () => {
    await using server = await twoSockets()
    expect(server).not.toOpenNewSocketPerRequest()
  })

  test.concurrent(`fails concurrently ${i}`, async ({ expect }) => {
    await using server = await twoSockets()
    expect(server).toUseConnections(1)
  })

  test(`passes ${i}`, async () => {
    await using server = await twoSockets()
    expect(server).toOpenNewSocketPerRequest()
  })
}
