import { test as baseTest, type TestAPI } from 'vitest'
import { createTestServer, type TestServer } from './server.js'
import type { TestServerOptions } from './types.js'

/** The fixtures `test` from `keepalive-kit/fixtures` adds to every test's context. */
export interface KeepAliveFixtures {
  /** A fresh test server with default options, closed after the test, passed or failed. */
  server: TestServer
  /** Starts a configured test server; every one it started is closed after the test. */
  createServer: (options?: TestServerOptions) => Promise<TestServer>
}

/**
 * Vitest's `test` with two fixtures: `server`, a fresh `createTestServer()` per test, and
 * `createServer(options)` for several or configured servers. Both are closed after the test
 * even when it fails, and each test (concurrent ones too) gets its own. A fixture starts only
 * in the tests that name it.
 *
 * @example
 * import { test } from 'keepalive-kit/fixtures'
 *
 * test('reuses the connection', async ({ server, expect }) => {
 *   await fetch(server.url).then((res) => res.text())
 *   await fetch(server.url).then((res) => res.text())
 *   expect(server).toReuseConnection()
 * })
 */
export const test: TestAPI<KeepAliveFixtures> = baseTest.extend<KeepAliveFixtures>({
  // Vitest reads the fixtures a fixture needs from its first parameter, so it must be a pattern.
  // biome-ignore lint/correctness/noEmptyPattern: this fixture needs no other fixture
  server: async ({}, use) => {
    const server = await createTestServer()
    try {
      await use(server)
    } finally {
      await server.close()
    }
  },
  // biome-ignore lint/correctness/noEmptyPattern: this fixture needs no other fixture
  createServer: async ({}, use) => {
    const started: TestServer[] = []
    try {
      await use(async (options) => {
        const server = await createTestServer(options)
        started.push(server)
        return server
      })
    } finally {
      await Promise.all(started.map((server) => server.close()))
    }
  },
})
