import fc from 'fast-check'
import { expect, test } from 'vitest'
import { createTestServer, type RecordedConnection } from '../../src/index.js'
import { closeReasons, exchange } from './helpers.js'

const runs = 200

/** Mostly well-formed, so the fuzz reaches past the request line into headers and bodies. */
const mostly = <T>(good: T, ...bad: T[]): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: fc.constant(good), weight: 3 }, fc.constantFrom(...bad))
const line = mostly('\r\n', '\n', '\r', '', '\0', ' ')
/** Bytes near HTTP: a method, a path, a version, header lines, body bytes, cut and mixed at random. */
const nearHttp = fc
  .tuple(
    mostly('GET', 'POST', 'HEAD', 'PUT', 'G\0T', 'get', '', 'PRI'),
    mostly(' / ', ' /x?y=1 ', ' * ', ' ', '  /', ' http://a/ '),
    mostly('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.', 'HTTX/1.1', ''),
    line,
    fc.array(
      fc.constantFrom(
        'Host: x',
        'Connection: close',
        'Connection: keep-alive',
        'Content-Length: 3',
        'Content-Length: -1',
        'Transfer-Encoding: chunked',
        'X: \0',
        `X-Long: ${'v'.repeat(2048)}`,
        ': empty-name',
        'No-Colon',
      ),
      { maxLength: 6 },
    ),
    line,
    fc.constantFrom('', 'abc', '3\r\nabc\r\n0\r\n\r\n', 'zz\r\n', 'GET / HTTP/1.1\r\n\r\n'),
  )
  .map(([method, path, version, eol, headers, end, body]) =>
    Buffer.from(
      `${method}${path}${version}${eol}${headers.join(eol)}${end}${end}${body}`,
      'latin1',
    ),
  )
const bytes = fc.oneof(fc.uint8Array({ maxLength: 512 }), nearHttp)

const idledOut = (connection: RecordedConnection): boolean =>
  connection.closeReason === 'idle-timeout' && connection.requestCount === 0

test(`${runs} connections of fuzzed bytes: each one is recorded and ends with a known reason, and the server keeps answering`, async () => {
  await using server = await createTestServer({ idleTimeout: 50 })
  let round = 0
  const tally = new Map<string, number>()
  await fc.assert(
    fc.asyncProperty(bytes, fc.boolean(), async (input, halfClose) => {
      round++
      const before = server.connections.length
      // Ends one way or another: the server's answer or error, the client's FIN, or the idle clock.
      const { connection } = await exchange(server, input, { end: halfClose, ms: 5000 })
      expect(server.connections.length).toBeGreaterThan(before)
      expect(server.connections).toContain(connection)
      expect(connection.closedAt).toBeTypeOf('number')
      expect(closeReasons).toContain(connection.closeReason)
      tally.set(
        String(connection.closeReason),
        (tally.get(String(connection.closeReason)) ?? 0) + 1,
      )
      if (connection.closeReason === 'error') expect(connection.error).toMatch(/\S/)

      const path = `/after-fuzz-${round}`
      const clean = `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`
      let after = await exchange(server, clean)
      // On a loaded machine the 50 ms idle clock can close a fresh connection before its bytes
      // are read: the server did what it was told, so try again rather than call it broken.
      for (let tries = 0; tries < 3 && idledOut(after.connection); tries++)
        after = await exchange(server, clean)
      expect(after.received).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nok$/)
      expect(server.requests.at(-1)).toMatchObject({ url: path, connectionId: after.connection.id })
    }),
    { numRuns: runs },
  )
  expect(round).toBeGreaterThanOrEqual(runs)
  expect(server.openConnections).toEqual([])
  // The generator reaches more than one way of ending, or it is not exploring much.
  expect(tally.size).toBeGreaterThan(1)
  if (process.env.RELIABILITY_REPORT) console.log('fuzz close reasons', Object.fromEntries(tally))
}, 60_000)
