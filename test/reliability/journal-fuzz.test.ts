// The wire against the journal, fuzzed: random pipelines of near-HTTP requests on one connection.
// Every answer the handler wrote must be the answer to the recorded request it belongs to, in
// order, and no response the server wrote itself may take the place of one.
// JOURNAL_FUZZ_RUNS and JOURNAL_FUZZ_SEED run it longer or replay a failure (docs/reliability.md).
import fc from 'fast-check'
import { expect, test } from 'vitest'
import { createTestServer, type RecordedRequest, type TestServer } from '../../src/index.js'
import { closeReasons, exchange } from './helpers.js'

const runs = Number(process.env.JOURNAL_FUZZ_RUNS ?? 300)
const seed = Number(process.env.JOURNAL_FUZZ_SEED ?? 12)

const mostly = <T>(good: T, ...bad: T[]): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: fc.constant(good), weight: 12 }, fc.constantFrom(...bad))

/**
 * One near-HTTP request. `slow` makes the handler answer on a later turn, so answers queue up;
 * `fault` asks the server's fault picker for a fault on it (through the query).
 */
const requestParts = fc.record({
  method: mostly('GET', 'HEAD', 'POST', 'OPTIONS', 'CONNECT', 'G\0T'),
  slow: fc.boolean(),
  fault: mostly('', 'no-response', 'close-after-response', 'partial-body'),
  absolute: fc.boolean(),
  version: mostly('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.', ''),
  eol: mostly('\r\n', '\n'),
  headers: fc.array(
    mostly(
      'Accept: */*',
      'Connection: close',
      'Connection: keep-alive',
      'Connection: close-later',
      'Connection: Upgrade\nUpgrade: websocket',
      'Expect: bogus',
      'Expect: 100-continue',
      'Content-Length: 3',
      'Content-Length: -1',
      'Transfer-Encoding: chunked',
      'X-Nul: a\0b',
      `X-Huge: ${'h'.repeat(17 * 1024)}`,
    ),
    { maxLength: 3 },
  ),
  host: mostly(true, false),
  body: mostly('', 'abc', '3\r\nabc\r\n0\r\n\r\n', 'zz\r\n'),
})

/** A pipeline of 1–6 requests; `n=<position>` in each target tells the handler which one it has. */
const pipeline = fc.array(requestParts, { minLength: 1, maxLength: 6 }).map((list) =>
  list.map((r, position) => {
    const query = [`n=${position}`, r.slow ? 'slow' : '', r.fault].filter(Boolean).join('&')
    const path = r.method === 'CONNECT' ? 'example.com:443' : `/p${query ? `?${query}` : ''}`
    const target = r.absolute && r.method !== 'CONNECT' ? `http://a${path}` : path
    const lines = [`${r.method} ${target}${r.version ? ` ${r.version}` : ''}`]
    if (r.host) lines.push('Host: x')
    for (const header of r.headers) lines.push(...header.split('\n'))
    return `${lines.join(r.eol)}${r.eol}${r.eol}${r.body}`
  }),
)

interface Response {
  status: number
  headers: Map<string, string>
}

/**
 * Reads the responses off the wire in order. The i-th final response answers the i-th recorded
 * request when there is one (which says whether it was HEAD, so has no body); 1xx are skipped.
 */
function responsesOn(text: string, requests: readonly RecordedRequest[]): Response[] {
  const responses: Response[] = []
  let at = 0
  while (at < text.length) {
    const end = text.indexOf('\r\n\r\n', at)
    if (end < 0) throw new Error(`a response head is cut off: ${JSON.stringify(text.slice(at))}`)
    const [statusLine = '', ...lines] = text.slice(at, end).split('\r\n')
    const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1])
    if (!status) throw new Error(`not a status line: ${JSON.stringify(statusLine)}`)
    const headers = new Map(
      lines.map((line) => {
        const colon = line.indexOf(':')
        return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]
      }),
    )
    at = end + 4
    if (status < 200) continue
    const answered = requests[responses.length]
    responses.push({ status, headers })
    if (answered?.method === 'HEAD') continue
    if (headers.has('content-length')) at += Number(headers.get('content-length'))
    else if (headers.get('transfer-encoding') === 'chunked') {
      for (;;) {
        const lineEnd = text.indexOf('\r\n', at)
        const size = Number.parseInt(text.slice(at, lineEnd), 16)
        at = lineEnd + 2 + size + 2
        if (size === 0) break
      }
    } else at = text.length // the body runs to the close
  }
  return responses
}

/** The status the server answers a recorded request with itself, without the handler. */
function ownAnswer(request: RecordedRequest): number | undefined {
  if (request.method === 'CONNECT') return 501
  if (request.httpVersion === '1.1' && request.headers.host === undefined) return 400
  // Node's own test: any Expect that names 100-continue among its values is met.
  const expect = request.headers.expect
  if (expect !== undefined && !/(?:^|\W)100-continue(?:$|\W)/i.test(expect)) return 417
  return undefined
}

/** Checks one connection's wire against its journal; returns how many answers it matched. */
function check(server: TestServer, connectionId: number, text: string): number {
  const connection = server.connections.find((each) => each.id === connectionId)
  const requests = server.requests.filter((each) => each.connectionId === connectionId)
  const responses = responsesOn(text, requests)
  expect(connection?.requestCount).toBe(requests.length)
  expect(closeReasons).toContain(connection?.closeReason)
  responses.forEach((response, i) => {
    const marker = response.headers.get('x-request-index')
    const answered = requests[i]
    if (answered === undefined) {
      // Past the recorded requests only the server's own answer to bytes it could not parse.
      expect(marker, `response ${i} answers no recorded request`).toBeUndefined()
      expect([400, 431]).toContain(response.status)
      expect(i, 'the server answers bad bytes last').toBe(responses.length - 1)
      expect(connection?.closeReason).toBe('error')
    } else if (marker === undefined) {
      expect(response.status, `response ${i} took the place of an answer`).toBe(ownAnswer(answered))
    } else {
      expect(Number(marker), `response ${i} is not the answer to request ${i}`).toBe(answered.index)
    }
  })
  // Nothing is taken after a request whose fault closes the connection (faults are picked only
  // for requests the handler answers, not those the server answers itself).
  const closer = requests.findIndex(
    (each) =>
      ownAnswer(each) === undefined &&
      /(no-response|close-after-response|partial-body)$/.test(each.url),
  )
  if (closer >= 0) expect(closer, 'a request taken after a fault closed').toBe(requests.length - 1)
  // A recorded request left unanswered: only on a connection cut for bad bytes or by the client,
  // or the last one, when its fault was 'no-response': every answer before it went out.
  if (responses.length < requests.length) {
    const noResponse = connection?.fault === 'no-response'
    if (noResponse) expect(responses.length).toBe(requests.length - 1)
    else expect(['error', 'client-closed', 'client-reset']).toContain(connection?.closeReason)
  }
  return Math.min(responses.length, requests.length)
}

test(
  `${runs} fuzzed pipelines: the wire matches the journal, answer for answer`,
  async () => {
    let server: TestServer | undefined
    server = await createTestServer({
      idleTimeout: 10,
      fault: ({ url }) =>
        url.endsWith('no-response')
          ? 'no-response'
          : url.endsWith('close-after-response')
            ? 'close-after-response'
            : url.endsWith('partial-body')
              ? { partialBody: 1 }
              : undefined,
      handler: async (req, res) => {
        // The recorded request this is: same connection (client port), same target.
        const index =
          server?.requests.findLast(
            (each) => each.remotePort === req.socket.remotePort && each.url === req.url,
          )?.index ?? -1
        if (req.url?.includes('slow')) await new Promise(setImmediate)
        const body = `#${index}`
        res.writeHead(200, { 'x-request-index': String(index), 'content-length': body.length })
        res.end(body)
      },
    })
    let matched = 0
    let requests = 0
    const started = performance.now()
    try {
      await fc.assert(
        fc.asyncProperty(pipeline, async (sent) => {
          const before = server?.requests.length ?? 0
          const { connection, received } = await exchange(server as TestServer, sent.join(''))
          requests += (server?.requests.length ?? 0) - before
          matched += check(server as TestServer, connection.id, received)
        }),
        { numRuns: runs, seed },
      )
    } finally {
      await server.close()
    }
    expect(server.openConnections).toEqual([])
    // The generator reaches answered pipelines, or it is not testing much.
    expect(matched).toBeGreaterThan(runs / 2)
    if (process.env.RELIABILITY_REPORT)
      console.log(
        `journal fuzz: ${runs} runs (seed ${seed}), ${requests} requests recorded, ${matched} answers matched, ${Math.round(performance.now() - started)} ms`,
      )
  },
  Math.max(60_000, runs * 100),
)
