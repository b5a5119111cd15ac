import { Agent } from 'node:http'
import { describe, expect, test } from 'vitest'
import {
  describeKeepAliveContract,
  type KeepAliveContractOptions,
} from '../../src/contract/index.js'
import { runKeepAliveScenario } from '../../src/contract/runner.js'
import { keepAliveScenarios } from '../../src/contract/scenarios.js'
import { httpClient, keepAliveClient, keepAliveOffClient, retryingClient } from './clients.js'

const healthy: KeepAliveContractOptions = {
  createClient: keepAliveClient,
  createClientWithoutKeepAlive: keepAliveOffClient,
}

// Every scenario passes, none skipped, for node:http with a keepAlive agent that retries a 5xx
// once, after reading its body, and streams bodies.
describeKeepAliveContract('node:http keepAlive agent', {
  createClient: () => retryingClient({ drains: true }),
  createClientWithoutKeepAlive: keepAliveOffClient,
  retriesServerErrors: true,
})

const scenario = (id: string) => {
  const found = keepAliveScenarios.find((each) => each.id === id)
  if (found === undefined) throw new Error(`no scenario ${id}`)
  return found
}

/** Runs one scenario and returns its failure message, failing the test if it passed. */
async function failureOf(id: string, options: KeepAliveContractOptions): Promise<string> {
  const result = await runKeepAliveScenario(scenario(id), options)
  expect(result.status, `scenario ${id} should fail; pattern ${result.pattern}`).toBe('fail')
  return result.message
}

describe('each scenario fails, for the right reason, for a client built to break it', () => {
  const sharedAgent = new Agent({ keepAlive: true })

  test('agent: false breaks sequential reuse: none was reused', async () => {
    const message = await failureOf('sequential', { createClient: () => httpClient(() => false) })
    expect(message).toContain(
      'A healthy client sends each request on a connection it has already opened',
    )
    expect(message).toContain('5 requests used 5 connections; none was reused:')
    expect(message).toMatch(/#4 {2}GET \/sequential\/5 {2}conn 5/)
  })

  test('a Connection: close header breaks sequential reuse', async () => {
    const message = await failureOf('sequential', {
      createClient: () =>
        httpClient(() => new Agent({ keepAlive: true }), { headers: { connection: 'close' } }),
    })
    expect(message).toContain('none was reused')
    expect(message).toContain('Connection: close')
  })

  test('a new client per request breaks reuse across two servers', async () => {
    const message = await failureOf('two-servers', {
      createClient: () => httpClient(() => new Agent({ keepAlive: true })),
    })
    expect(message).toContain('A healthy client keeps a pool per origin')
    expect(message).toContain('3 requests used 3 connections; none was reused')
  })

  test('a client that never reads error bodies loses its connection to them', async () => {
    const message = await failureOf('error-responses', {
      createClient: () => {
        const agent = new Agent({ keepAlive: true })
        return {
          ...httpClient(() => agent, { readErrorBodies: false }),
          close: () => agent.destroy(),
        }
      },
    })
    expect(message).toContain('reads or discards the body of an error response')
    expect(message).toMatch(/sat idle, and (that one was|those were) never used again/)
  })

  test('a "keep-alive off" client that still keeps alive fails the keep-alive-off scenario', async () => {
    const message = await failureOf('client-keep-alive-off', {
      ...healthy,
      createClientWithoutKeepAlive: keepAliveClient,
    })
    expect(message).toContain('says `Connection: close` on every request')
    expect(message).toContain('5 requests of 5 did not send a Connection header listing "close"')
  })

  test('a client that opens more connections than its declared pool fails the concurrency scenario', async () => {
    const message = await failureOf('concurrency', { ...healthy, poolSize: 2 })
    expect(message).toContain('expect(requests).toUseAtMostConnections(2)')
    expect(message).toContain('5 requests used 5 connections')
  })

  test('a client whose real pool is smaller than the burst is held only until the burst times out, then passes', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 2 })
    const result = await runKeepAliveScenario(scenario('concurrency'), {
      createClient: () => ({ ...httpClient(() => agent), close: () => agent.destroy() }),
    })
    expect(result).toMatchObject({ status: 'pass' })
    expect(result.pattern).toMatch(/^[12](,[12]){4} \| [12](,[12]){4}$/)
  })

  test('a client declared to retry stale connections that does not fails the stale-connection scenario', async () => {
    const message = await failureOf('stale-connection', {
      ...healthy,
      retriesStaleConnections: true,
    })
    expect(message).toContain('the request failed instead of being retried on a new connection')
    expect(message).toMatch(/socket hang up|ECONNRESET/)
  })

  test('a client whose close() leaves its sockets open fails the close scenario', async () => {
    const message = await failureOf('close', {
      createClient: () => ({ ...httpClient(() => sharedAgent), close: () => undefined }),
      requestTimeout: 300,
    })
    expect(message).toContain('closes every connection it holds when its close() is called')
    expect(message).toContain('expect(server).toHaveOpenConnections(0)')
  })

  test('a client that never answers is reported as hung, not left hanging', async () => {
    const message = await failureOf('sequential', {
      createClient: () => ({ request: () => new Promise(() => undefined) }),
      requestTimeout: 200,
    })
    expect(message).toContain('the request to http://127.0.0.1:')
    expect(message).toContain(
      '/sequential/1 did not settle within 200 ms (requestTimeout): the client hung.',
    )
    expect(message).toMatch(/The server \(http:\/\/127\.0\.0\.1:\d+\) received no request\./)
  })
})

describe('options', () => {
  test('a contract without createClient is a usage error that shows the fix', async () => {
    await expect(
      runKeepAliveScenario(scenario('sequential'), {} as KeepAliveContractOptions),
    ).rejects.toThrow(
      'keepalive-kit: describeKeepAliveContract(): needs `createClient: ({ baseUrl }) => ({ request(url) { … } })`, got undefined.',
    )
  })

  test('the keep-alive-off scenario is skipped without its factory, and says why', async () => {
    const result = await runKeepAliveScenario(scenario('client-keep-alive-off'), {
      createClient: keepAliveClient,
    })
    expect(result).toMatchObject({
      status: 'skip',
      message: 'no `createClientWithoutKeepAlive` given',
    })
  })
})
