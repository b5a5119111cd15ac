import { once } from 'node:events'
import { createServer, type Server } from 'node:net'
import { describe, expect, onTestFinished, test } from 'vitest'
import type { TestServerOptions } from '../../src/index.js'
import { createTestServer, InvalidOptionError, KeepAliveKitError } from '../../src/index.js'
import { allClosed, closes, get, ids, keepAliveAgent, startServer } from './helpers.js'

const prefix = 'keepalive-kit: Failed to create the test server: '

describe('invalid options', () => {
  const cases: [string, unknown, string][] = [
    [
      'a negative idleTimeout',
      { idleTimeout: -1 },
      'option `idleTimeout` must be a whole number of milliseconds from 0 to 2147483647, got -1. Use 0 to never close idle connections.',
    ],
    [
      'a fractional idleTimeout',
      { idleTimeout: 1.5 },
      'option `idleTimeout` must be a whole number of milliseconds from 0 to 2147483647, got 1.5. Use 0 to never close idle connections.',
    ],
    [
      'port 70000',
      { port: 70000 },
      'option `port` must be a whole number from 0 to 65535 (or a list of them), got 70000.',
    ],
    [
      'a list with a bad port',
      { port: [3000, -1] },
      'option `port` must be a whole number from 0 to 65535 (or a list of them), got [3000, -1].',
    ],
    [
      'an empty port list',
      { port: [] },
      'option `port` is an empty list. Leave it out to use any free port.',
    ],
    [
      'an unknown key',
      { idle: 100 },
      'unknown option `idle`. Known options: host, port, keepAlive, idleTimeout, keepAliveHint, maxRequestsPerConnection, handler, handlers, fault, tls, http2, journal, recordHeaders.',
    ],
    [
      'a handler that is not a function',
      { handler: 'ok' },
      'option `handler` must be a function (req, res) => void, got "ok".',
    ],
    [
      'keepAlive that is not a boolean',
      { keepAlive: 'yes' },
      'option `keepAlive` must be true or false, got "yes".',
    ],
    [
      'an empty host',
      { host: '' },
      `option \`host\` must be an address such as '127.0.0.1', got "".`,
    ],
    [
      'a negative keepAliveHint',
      { keepAliveHint: -1 },
      'option `keepAliveHint` must be true, false or a whole number of seconds, got -1.',
    ],
    [
      'keepAliveHint true with idleTimeout 0',
      { keepAliveHint: true, idleTimeout: 0 },
      'option `keepAliveHint: true` advertises the idle timeout, but `idleTimeout` is 0 (never close). Pass a number of seconds to advertise, or leave `keepAliveHint` out.',
    ],
    [
      'maxRequestsPerConnection 0',
      { maxRequestsPerConnection: 0 },
      'option `maxRequestsPerConnection` must be a whole number of at least 1, got 0. Leave it out for no limit.',
    ],
    [
      'handlers that are not an array',
      { handlers: {} },
      'option `handlers` must be an array of msw request handlers, got an object (no keys).',
    ],
    [
      'both handler and handlers',
      { handler: () => {}, handlers: [] },
      'options `handler` and `handlers` both answer requests; pass one of them.',
    ],
    [
      'a fault that is not a function',
      { fault: 'reset' },
      'option `fault` must be a function (request) => Fault | undefined, got "reset".',
    ],
    ['options that are not an object', null, 'options must be an object, got null.'],
    [
      'journal keepLast 0',
      { journal: { keepLast: 0 } },
      "option `journal.keepLast` must be a whole number of at least 1, got 0. Use `journal: 'counts'` to keep no request records.",
    ],
    [
      'a journal name that is not known',
      { journal: 'last' },
      "option `journal` must be 'all' (the default), 'counts' (no request records, only each connection's requestCount) or { keepLast: n }, got \"last\".",
    ],
    [
      'a journal object with another key',
      { journal: { keepLast: 10, headers: false } },
      'option `journal` takes only `keepLast`, got `headers`. To keep no headers, pass `recordHeaders: false`.',
    ],
    [
      'recordHeaders that is not a boolean',
      { recordHeaders: 'no' },
      'option `recordHeaders` must be true or false, got "no".',
    ],
  ]

  test.each(cases)('%s is rejected with an InvalidOptionError', async (_, options, message) => {
    const attempt = createTestServer(options as TestServerOptions)
    await expect(attempt).rejects.toThrow(InvalidOptionError)
    await expect(attempt).rejects.toThrow(KeepAliveKitError)
    await expect(attempt).rejects.toHaveProperty('message', prefix + message)
    await expect(attempt).rejects.toHaveProperty('name', 'InvalidOptionError')
  })
})

describe('keepAliveHint', () => {
  test('is off by default: no Keep-Alive header, only Connection: keep-alive', async () => {
    const server = await startServer()
    const answer = await get(server.url, { agent: keepAliveAgent() })
    expect(answer.headers['keep-alive']).toBeUndefined()
    expect(answer.headers.connection).toBe('keep-alive')
  })

  test('true advertises the idle timeout in whole seconds', async () => {
    const server = await startServer({ idleTimeout: 3000, keepAliveHint: true })
    const answer = await get(server.url, { agent: keepAliveAgent() })
    expect(answer.headers['keep-alive']).toBe('timeout=3')
  })

  test('true with an idle timeout under a second advertises timeout=0 (rounded down)', async () => {
    const server = await startServer({ idleTimeout: 150, keepAliveHint: true })
    const answer = await get(server.url, { agent: keepAliveAgent() })
    expect(answer.headers['keep-alive']).toBe('timeout=0')
  })

  test('a number advertises that many seconds', async () => {
    const server = await startServer({ keepAliveHint: 7 })
    const answer = await get(server.url, { agent: keepAliveAgent() })
    expect(answer.headers['keep-alive']).toBe('timeout=7')
  })

  test('is left out of a response that closes the connection', async () => {
    const server = await startServer({ keepAlive: false, keepAliveHint: 7 })
    const answer = await get(server.url)
    expect(answer.headers['keep-alive']).toBeUndefined()
    expect(answer.headers.connection).toBe('close')
  })
})

describe('maxRequestsPerConnection', () => {
  test('closes each connection after that many requests, with Connection: close', async () => {
    const server = await startServer({ maxRequestsPerConnection: 2 })
    const agent = keepAliveAgent()
    const answers = []
    for (let i = 0; i < 5; i++) {
      const answer = await get(server.url, { agent })
      answers.push(answer.headers.connection)
      // The agent must see the close before the next request, or it reuses the closing socket.
      if (answer.headers.connection === 'close' && !answer.socket.destroyed)
        await once(answer.socket, 'close')
    }
    expect(answers).toEqual(['keep-alive', 'close', 'keep-alive', 'close', 'keep-alive'])
    expect(ids(server)).toEqual([1, 1, 2, 2, 3])
    expect(server.connections.map((c) => c.requestCount)).toEqual([2, 2, 1])
    await server.close()
    expect(closes(server)).toEqual([
      'server max-requests',
      'server max-requests',
      'server server-closed',
    ])
  })

  test('1 closes after every request', async () => {
    const server = await startServer({ maxRequestsPerConnection: 1 })
    for (let i = 0; i < 3; i++) expect((await fetch(server.url)).status).toBe(200)
    expect(ids(server)).toEqual([1, 2, 3])
    await allClosed(server)
    expect(closes(server)).toEqual(Array(3).fill('server max-requests'))
  })
})

describe('port', () => {
  async function occupy(): Promise<number> {
    const blocker: Server = createServer()
    onTestFinished(() => new Promise<void>((resolve) => blocker.close(() => resolve())))
    blocker.listen(0, '127.0.0.1')
    await once(blocker, 'listening')
    const address = blocker.address()
    if (address === null || typeof address === 'string') throw new Error('no port')
    return address.port
  }

  async function freePort(): Promise<number> {
    const probe = createServer().listen(0, '127.0.0.1')
    await once(probe, 'listening')
    const address = probe.address()
    await new Promise<void>((resolve) => probe.close(() => resolve()))
    if (address === null || typeof address === 'string') throw new Error('no port')
    return address.port
  }

  test('defaults to a free port on 127.0.0.1', async () => {
    const server = await startServer()
    expect(server.port).toBeGreaterThan(0)
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
    expect(server.urlFor('/a?b=1')).toBe(`${server.url}/a?b=1`)
    expect(server.urlFor('a')).toBe(`${server.url}/a`)
  })

  test('urlFor() refuses a full URL', async () => {
    const server = await startServer()
    expect(() => server.urlFor('http://example.com/')).toThrow(
      `keepalive-kit: urlFor() takes a path such as '/users?id=1', got the URL "http://example.com/".`,
    )
  })

  test('a free preferred port is used', async () => {
    const port = await freePort()
    const server = await startServer({ port })
    expect(server.port).toBe(port)
  })

  test('a preferred port that is taken falls back to a free one', async () => {
    const taken = await occupy()
    const server = await startServer({ port: taken })
    expect(server.port).not.toBe(taken)
    expect((await get(server.url)).body).toBe('ok')
  })

  test('a list of ports is tried in order', async () => {
    const taken = await occupy()
    const free = await freePort()
    const server = await startServer({ port: [taken, free] })
    expect(server.port).toBe(free)
  })

  test('a list whose ports are all taken falls back to any free port', async () => {
    const first = await occupy()
    const second = await occupy()
    const server = await startServer({ port: [first, second] })
    expect([first, second]).not.toContain(server.port)
    expect(server.port).toBeGreaterThan(0)
  })
})
