import { readFile, rm } from 'node:fs/promises'
import { Agent } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, onTestFinished, test, vi } from 'vitest'
import {
  type ContractRunner,
  describeKeepAliveContract,
  type KeepAliveContractOptions,
} from '../../src/contract/index.js'
import { keepAliveScenarios } from '../../src/contract/scenarios.js'
import { boundJsonClient, httpClient, keepAliveClient, run, send, text } from './clients.js'

/** A runner that only records what the contract registers, to run it by hand. */
function recordingRunner() {
  const tests: { name: string; body: () => Promise<void>; timeout: number | undefined }[] = []
  const runner: ContractRunner = {
    describe: (_name, body) => body(),
    test: (name, body, timeout) => tests.push({ name, body, timeout }),
  }
  /** Runs every registered test in order; resolves to each one's error message, or 'passed'. */
  const runAll = async (): Promise<string[]> => {
    const outcomes: string[] = []
    for (const each of tests)
      outcomes.push(
        await each.body().then(
          () => 'passed',
          (error: Error) => error.message,
        ),
      )
    return outcomes
  }
  return { runner, tests, runAll }
}

describe('createClient({ baseUrl, ca })', () => {
  test("is called once per scenario with that scenario's server", async () => {
    const targets: unknown[] = []
    const result = await run('sequential', {
      createClient: (target) => {
        targets.push(target)
        return keepAliveClient()
      },
    })
    expect(result.status).toBe('pass')
    expect(targets).toEqual([
      { baseUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), ca: undefined },
    ])
  })

  test('a createClient that never resolves is reported as a hang, not left to the runner', async () => {
    const result = await run('sequential', {
      createClient: () => new Promise(() => undefined),
      requestTimeout: 200,
    })
    expect(result.status).toBe('fail')
    expect(result.detail).toMatch(
      /^createClient\(\{ baseUrl: 'http:\/\/127\.0\.0\.1:\d+' \}\) did not settle within 200 ms \(requestTimeout\): the client hung\./,
    )
  })

  test('a client bound to its baseUrl that parses JSON passes with respond, and the two-server scenario says it is bound', async () => {
    const options = { createClient: boundJsonClient, respond: () => ({ id: 1 }) }
    expect(await run('sequential', options)).toMatchObject({ status: 'pass', pattern: '1,1,1,1,1' })
    expect(await run('error-responses', options)).toMatchObject({ status: 'pass' })
    const twoServers = await run('two-servers', options)
    expect(twoServers.status).toBe('fail')
    expect(twoServers.detail).toMatch(
      /^every request reached server A, none server B: the client sends everything to the baseUrl it was made with \(http:\/\/127\.0\.0\.1:\d+\), whatever the URL's origin\. If your SDK is bound to one host by design, declare `boundToBaseUrl: true` and this scenario is skipped with that reason\./,
    )
    expect(await run('two-servers', { ...options, boundToBaseUrl: true })).toMatchObject({
      status: 'skip',
      message:
        'the client is bound to one origin (`boundToBaseUrl: true`): each origin gets its own client, so there is no shared pool to judge',
    })
  })

  test("without respond, the same client fails on the default 'ok' body it cannot parse", async () => {
    const result = await run('sequential', { createClient: boundJsonClient })
    expect(result.detail).toMatch(
      /^request 1 of 5 \(http:\/\/127\.0\.0\.1:\d+\/sequential\/1\) failed: SyntaxError/,
    )
  })
})

describe('respond', () => {
  /** Runs the sequential scenario and gives what the client got for its first request. */
  async function firstResponse(respond: KeepAliveContractOptions['respond']) {
    const agent = new Agent({ keepAlive: true })
    const got: { status: number | undefined; type: string | undefined; body: string }[] = []
    await run('sequential', {
      createClient: () => ({
        request: async (url) => {
          const res = await send(agent, url)
          got.push({
            status: res.statusCode,
            type: res.headers['content-type'],
            body: await text(res),
          })
        },
        close: () => agent.destroy(),
      }),
      ...(respond ? { respond } : {}),
    })
    return got[0]
  }

  test('sends a string or a Uint8Array as it is, anything else as JSON, and awaits a promise', async () => {
    expect(await firstResponse(undefined)).toEqual({
      status: 200,
      type: 'text/plain; charset=utf-8',
      body: 'ok',
    })
    expect(await firstResponse(() => 'plain')).toMatchObject({ body: 'plain' })
    expect(await firstResponse(() => new TextEncoder().encode('bytes'))).toEqual({
      status: 200,
      type: 'application/octet-stream',
      body: 'bytes',
    })
    expect(await firstResponse(async () => ({ id: 1 }))).toEqual({
      status: 200,
      type: 'application/json',
      body: '{"id":1}',
    })
  })

  test("takes a fetch Response's headers and body, and keeps the scenario's status", async () => {
    const response = () =>
      new Response('<ok/>', { status: 418, headers: { 'content-type': 'application/xml' } })
    expect(await firstResponse(response)).toEqual({
      status: 200,
      type: 'application/xml',
      body: '<ok/>',
    })
  })

  test('is told the method, the path as received and the status the scenario chose', async () => {
    const seen: unknown[] = []
    await run('error-responses', {
      createClient: keepAliveClient,
      respond: (request) => {
        seen.push(request)
        return {}
      },
    })
    expect(seen).toEqual(
      [200, 404, 500, 200, 200].map((status, i) => ({
        method: 'GET',
        path: `/errors/${i + 1}`,
        status,
      })),
    )
  })

  test('a respond that throws fails the scenario with its error, not with the 500 it caused', async () => {
    await expect(
      run('sequential', {
        createClient: keepAliveClient,
        respond: () => {
          throw new Error('boom')
        },
      }),
    ).rejects.toThrow(
      'keepalive-kit: respond() threw for GET /sequential/1 (status 200): Error: boom',
    )
  })
})

describe('post', () => {
  test('sends every request as a POST with a JSON body, which a retry repeats', async () => {
    const agent = new Agent({ keepAlive: true })
    const bodies: string[] = []
    const result = await run('sequential', {
      createClient: () => ({
        request: async (url, init) => {
          bodies.push(`${init?.method} ${init?.headers?.['content-type']} ${init?.body}`)
          return text(await send(agent, url, init))
        },
        close: () => agent.destroy(),
      }),
      post: true,
    })
    expect(result.status).toBe('pass')
    expect(bodies[0]).toBe('POST application/json {"scenario":"sequential","request":1}')
    expect(bodies).toHaveLength(5)
  })
})

describe('options are checked once, when describeKeepAliveContract is called', () => {
  const createClient = keepAliveClient
  test.each([
    [{}, 'needs `createClient: ({ baseUrl }) => ({ request(url) { … } })`, got undefined.'],
    [
      { createClient, tls: { key: 'k', cert: 'c' } },
      'option `tls` takes true or false, got an object: the contract serves the built-in test certificate, and gives its CA to `createClient({ baseUrl, ca })`. Pass `tls: true`.',
    ],
    [{ createClient, http2: 'h2' }, 'option `http2` must be true or false, got the string "h2".'],
    [
      { createClient, resumesTlsSessions: true },
      'option `resumesTlsSessions: true` needs `tls: true`: without it the servers speak clear-text HTTP, so there is no TLS session to resume. Add `tls: true`, or leave `resumesTlsSessions` out.',
    ],
    [
      { createClient, http2: true, resumesTlsSessions: true },
      'option `resumesTlsSessions: true` needs `tls: true`: with `http2: true` alone the servers speak h2c, in clear text, so there is no TLS session to resume. Add `tls: true`, or leave `resumesTlsSessions` out.',
    ],
    [
      { createClient, retriesStaleConnection: true },
      'unknown option `retriesStaleConnection`. Did you mean `retriesStaleConnections`? Known options: createClient, createClientWithoutKeepAlive, respond, post, poolSize, concurrency, requestTimeout, reportFile, runner, boundToBaseUrl, retriesStaleConnections, retriesServerErrors, tls, http2, resumesTlsSessions.',
    ],
    [
      { createClient, respond: { id: 1 } },
      'option `respond` must be a function, got an object of type Object.',
    ],
    [
      { createClient, boundToBaseUrl: 'yes' },
      'option `boundToBaseUrl` must be true or false, got the string "yes".',
    ],
    [
      { createClient, requestTimeout: 10 },
      'option `requestTimeout` must be a whole number of milliseconds from 50 to 600000, got number 10.',
    ],
    [
      { createClient, poolSize: 0 },
      'option `poolSize` must be a whole number from 1 to 10000, got number 0. Leave it out for no limit.',
    ],
    [
      { createClient, post: 'json' },
      'option `post` must be true, false or the object to send as JSON, got the string "json".',
    ],
    [
      { createClient, runner: {} },
      "option `runner` must be your runner's { describe, test } (e.g. `import { describe, test } from '@jest/globals'`).",
    ],
  ])('%o is rejected before any test is registered', (options, message) => {
    const { runner, tests } = recordingRunner()
    expect(() =>
      describeKeepAliveContract('my-sdk', { runner, ...(options as KeepAliveContractOptions) }),
    ).toThrow(`keepalive-kit: describeKeepAliveContract(): ${message}`)
    expect(tests).toHaveLength(0)
  })
})

describe("the runner's describe and test", () => {
  test("each scenario's test timeout leaves room for every request timeout it can spend, so the contract reports a hang first", () => {
    const { runner, tests } = recordingRunner()
    describeKeepAliveContract('my-sdk', {
      createClient: keepAliveClient,
      runner,
      requestTimeout: 8000,
    })
    expect(tests.map((each) => each.name)).toEqual(
      keepAliveScenarios.map((scenario, i) => `${i + 1}. ${scenario.title}`),
    )
    for (const [i, scenario] of keepAliveScenarios.entries())
      expect(tests[i]?.timeout).toBe(8000 * (scenario.waits + 2) + 2000)
  })

  test('a client that never reuses gets one root cause, then one line per scenario it explains; reportFile has the whole result', async () => {
    const reportFile = join(tmpdir(), `keepalive-kit-contract-${process.pid}.json`)
    const { runner, runAll } = recordingRunner()
    describeKeepAliveContract('agent-false', {
      createClient: () => httpClient(() => false),
      runner,
      reportFile,
    })
    const outcomes = await runAll()
    expect(outcomes[0]).toMatch(
      /^agent-false: sequential requests reuse connections\n\nRoot cause: this client never reused a connection; every request opened a new socket\. Later scenarios that fail for this reason say so in one line\.\n\nkeepalive-kit: A healthy client sends each request/,
    )
    expect(outcomes[3]).toBe(
      'agent-false: after the server closes idle connections, the client reconnects and reuses again\n\nkeepalive-kit: same root cause as "1. sequential requests reuse connections": this client never reuses a connection (here 1,2,3,4,5,6). Fix that first; the timeline is under that scenario.',
    )
    const report = JSON.parse(await readFile(reportFile, 'utf8'))
    expect(report).toMatchObject({ client: 'agent-false', passed: 1, failed: 6, skipped: 6 })
    expect(report.scenarios[0]).toMatchObject({
      id: 'sequential',
      status: 'fail',
      pattern: '1,2,3,4,5',
      retries: 0,
    })
    expect(report.scenarios).toHaveLength(keepAliveScenarios.length)
  })
})

describe('KEEPALIVE_KIT_CONTRACT_REPORTS', () => {
  test('writes one JSON file per client under that folder, with no code change', async () => {
    const folder = join(tmpdir(), `keepalive-kit-reports-${process.pid}`)
    vi.stubEnv('KEEPALIVE_KIT_CONTRACT_REPORTS', folder)
    onTestFinished(() => {
      vi.unstubAllEnvs()
      return rm(folder, { recursive: true, force: true })
    })
    const { runner, tests } = recordingRunner()
    describeKeepAliveContract('@scope/my sdk', { createClient: keepAliveClient, runner })
    await tests[0]?.body()
    const report = JSON.parse(await readFile(join(folder, 'scope-my-sdk.json'), 'utf8'))
    expect(report).toMatchObject({ client: '@scope/my sdk', passed: 1, failed: 0, skipped: 0 })
    expect(report.scenarios[0]).toMatchObject({
      id: 'sequential',
      status: 'pass',
      pattern: '1,1,1,1,1',
    })
  })
})

describe('a runner with test.skip', () => {
  test('gets the scenarios the options rule out as skipped tests, and the report still lists them', async () => {
    const reportFile = join(tmpdir(), `keepalive-kit-skip-${process.pid}.json`)
    onTestFinished(() => rm(reportFile, { force: true }))
    const skipped: string[] = []
    const { runner, tests } = recordingRunner()
    const withSkip: ContractRunner = {
      ...runner,
      test: Object.assign(runner.test, { skip: (name: string) => skipped.push(name) }),
    }
    describeKeepAliveContract('my-sdk', {
      createClient: keepAliveClient,
      runner: withSkip,
      reportFile,
      boundToBaseUrl: true,
    })
    expect(skipped).toEqual([
      "2. with the client's keep-alive off, it sends Connection: close and opens a socket per request (no `createClientWithoutKeepAlive` given)",
      '5. one client keeps a separate kept-alive connection to each of two servers (the client is bound to one origin (`boundToBaseUrl: true`): each origin gets its own client, so there is no shared pool to judge)',
      '13. after the server closes idle connections, the next connection resumes the TLS session (reported; a failing check with `resumesTlsSessions: true`) (needs `tls: true`: there is no TLS session over clear-text HTTP)',
    ])
    await tests[0]?.body()
    const report = JSON.parse(await readFile(reportFile, 'utf8'))
    expect(
      report.scenarios.map((each: { id: string; status: string }) => `${each.id} ${each.status}`),
    ).toEqual([
      'sequential pass',
      'client-keep-alive-off skip',
      'two-servers skip',
      'tls-resumption skip',
    ])
  })
})
