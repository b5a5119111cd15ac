import { describe, expect, test } from 'vitest'
import { runKeepAliveScenario } from '../../src/contract/runner.js'
import { keepAliveScenarios } from '../../src/contract/scenarios.js'
import { keepAliveClient, retryingClient, run, streamingClient } from './clients.js'

describe('a retried 503 drains its body', () => {
  test('passes for a client that reads the failed body before it retries: the retry reuses conn 1', async () => {
    const result = await run('retried-error', {
      createClient: () => retryingClient({ drains: true }),
    })
    expect(result).toMatchObject({ status: 'pass', pattern: '1,1,1,1,1', retries: 1 })
    expect(result.retryLines).toEqual([
      '  #2 repeats #1 (after 503) on conn 1 · x-retry-attempt: 1',
    ])
  })

  // The bug of an SDK in CLIENTS.md: a 5xx retried without reading its body opens a new socket.
  test('fails for a client that retries without reading the failed body: the retry opens a new socket', async () => {
    const result = await run('retried-error', {
      createClient: () => retryingClient({ drains: false }),
    })
    expect(result.status).toBe('fail')
    expect(result.pattern).toBe('1,1,2,2,2')
    expect(result.message).toContain(
      "A healthy client that retries a 503 first reads or discards the failed response's body",
    )
    expect(result.detail).toMatch(
      /^The retry of the 503 \(#2\) must go out on a connection the client already held:\nexpect\(retry\)\.toReuseConnection\(\)\n\n1 request used 1 connection, as its first request:\n {2}#2 {2}GET \/retry\/once {2}conn 2 /,
    )
    expect(result.retryLines).toEqual([
      '  #2 repeats #1 (after 503) on conn 2, a new connection · x-retry-attempt: 1',
    ])
  })

  test('is skipped, saying why, for a client that does not retry', async () => {
    const result = await run('retried-error', { createClient: keepAliveClient })
    expect(result).toMatchObject({
      status: 'skip',
      message:
        'the client did not retry the 503 (the server saw the request once). Declare `retriesServerErrors: true` if it should, and this scenario fails when it does not.',
    })
  })

  test('fails for a client declared to retry that does not', async () => {
    const result = await run('retried-error', {
      createClient: keepAliveClient,
      retriesServerErrors: true,
    })
    expect(result.status).toBe('fail')
    expect(result.detail).toMatch(
      /^the client was declared to retry a 503 \(`retriesServerErrors: true`\) but sent the request once\./,
    )
  })
})

describe('a streamed response read to the end keeps its connection', () => {
  test('passes for node:http reading the stream to its end: 1,1,1', async () => {
    const result = await run('stream-read', { createClient: () => streamingClient() })
    expect(result).toMatchObject({ status: 'pass', pattern: '1,1,1' })
  })

  test('fails for a client that throws the socket away once the stream ended', async () => {
    const result = await run('stream-read', {
      createClient: () => streamingClient('destroy-after-end'),
    })
    expect(result.status).toBe('fail')
    expect(result.pattern).toBe('1,2,2')
    expect(result.detail).toContain(
      'expect(server).toReuseConnection()\n\n3 requests used 2 connections; connection 2 opened while connection 1 sat idle, and that one was never used again',
    )
  })

  test('is skipped for a client without stream()', async () => {
    const result = await run('stream-read', { createClient: keepAliveClient })
    expect(result).toMatchObject({ status: 'skip', message: 'the client has no `stream()`' })
  })
})

describe('a stream the caller abandons does not break the pool', () => {
  test('passes for node:http, whose abandoned response gives up its socket: the next requests reuse another', async () => {
    const result = await run('stream-abandoned', { createClient: () => streamingClient() })
    expect(result).toMatchObject({ status: 'pass', pattern: '1,2,2,2' })
  })

  test('fails, as a hang with the timeline, for a one-socket pool that an abandoned stream keeps busy', async () => {
    const result = await run('stream-abandoned', {
      createClient: () => streamingClient('abandon-keeps-socket'),
      requestTimeout: 300,
    })
    expect(result.status).toBe('fail')
    expect(result.detail).toMatch(
      /^the request to http:\/\/127\.0\.0\.1:\d+\/stream\/next\/1 did not settle within 300 ms \(requestTimeout\): the client hung\.\n\nThe server \(http:\/\/127\.0\.0\.1:\d+\) received:\n {2}#0 {2}GET \/stream\/abandoned {2}conn 1 /,
    )
  })
})

describe('what the stream scenarios find in real clients', () => {
  const undiciMajor = Number(process.versions.undici?.split('.')[0])
  // Found by the abandoned-stream scenario: Node 24's fetch (undici 7.29) stops reusing
  // connections to an origin once a caller abandons one streamed body (Node 20's undici 6 recovers).
  test.runIf(undiciMajor === 7)(
    'built-in fetch (undici 7) opens a new connection for every request after one abandoned body',
    async () => {
      const result = await run('stream-abandoned', {
        createClient: () => ({
          request: async (url, init) => (await fetch(url, init)).text(),
          stream: async (url, init) => (await fetch(url, init)).body ?? [],
        }),
      })
      expect(result.status).toBe('fail')
      expect(result.detail).toContain('3 requests used 3 connections; none was reused')
      expect(result.detail).toMatch(/conn 3 {2}127\.0\.0\.1:\d+ {2}0 requests {2}closed by client/)
    },
  )

  test('built-in fetch reads a stream to its end and keeps the connection', async () => {
    const result = await run('stream-read', {
      createClient: () => ({
        request: async (url, init) => (await fetch(url, init)).text(),
        stream: async (url, init) => (await fetch(url, init)).body ?? [],
      }),
    })
    expect(result.status).toBe('pass')
  })
})

describe('each bad client fails exactly the scenarios built for it', () => {
  test.each([
    // The error-responses scenario answers a 500 too, which this client retries on a new socket
    // while the undrained one sits idle for good: the timeline rule sees that missed reuse.
    [
      'a retry without draining',
      () => retryingClient({ drains: false }),
      {},
      ['error-responses', 'retried-error'],
    ],
    [
      'a socket thrown away after a stream',
      () => streamingClient('destroy-after-end'),
      {},
      ['stream-read'],
    ],
    [
      'an abandoned stream that keeps its socket, in a declared pool of one',
      () => streamingClient('abandon-keeps-socket'),
      { poolSize: 1 },
      ['stream-abandoned'],
    ],
  ] as const)('%s', async (_, createClient, options, failing) => {
    const failed: string[] = []
    for (const scenario of keepAliveScenarios) {
      const result = await runKeepAliveScenario(scenario, {
        createClient,
        requestTimeout: 500,
        ...options,
      })
      if (result.status === 'fail') failed.push(scenario.id)
    }
    expect(failed).toEqual(failing)
  })
})
