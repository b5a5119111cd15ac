// The verdict functions over hand-built journals: every pattern of API.md's verdict table and the
// issue on verdict truth, on one synthetic clock (test/journal.ts), plus patterns no real client
// produces on demand (sparse ids, a million requests). test/matchers has the real clients.
import { once } from 'node:events'
import { describe, expect, test } from 'vitest'
import {
  opensNewSocketPerRequest,
  reusesConnection,
  sendsConnectionHeader,
  type TestServer,
  usesAtMostConnections,
  usesConnections,
} from '../src/index.js'
import { columnsOf, provideColumns } from '../src/verdicts/columns.js'
import { describePattern } from '../src/verdicts.js'
import { type JournalOptions, journal, recorded, type Step } from './journal.js'
import {
  closed,
  closes,
  get,
  ids,
  keepAliveAgent,
  rawSocket,
  startServer,
} from './server/helpers.js'

const asked = (ids: number[]): JournalOptions => ({
  connectionHeader: 'close',
  ended: Object.fromEntries(ids.map((id) => [id, 'client-asked'])),
})
const burst = [1, 2, 3, 4, 5]

// [pattern, steps, options, toReuseConnection(), { maxConnections: 1 }, toOpenNewSocketPerRequest()]
const table: [string, Step[], JournalOptions, boolean, boolean, boolean][] = [
  ['1,1,1,1,1', [1, 1, 1, 1, 1], {}, true, true, false],
  ['1,2,1,2,1 (fetch back to back)', [1, 2, 1, 2, 1], {}, true, false, false],
  ['1,2,1', [1, 2, 1], {}, true, false, false],
  ['1,2,3,4,5 with Connection: close', burst, asked(burst), false, false, true],
  ['1,2,3,4,5 left open', burst, {}, false, false, true],
  ['1,2,2,2,2 (first body unread)', [1, 2, 2, 2, 2], {}, false, false, false],
  ['a burst of 5, then 5,5,5,5,5', [burst, 5, 5, 5, 5, 5], {}, true, false, false],
  ['a burst of 5, then 1,2,1,2 (undici)', [burst, 1, 2, 1, 2], {}, true, false, false],
  [
    'a burst of 5, the client closes 3 of them, then 4,4,4 (Go)',
    [burst, 4, 4, 4],
    { ended: { 1: 'client-closed', 2: 'client-closed', 3: 'client-closed' } },
    true,
    false,
    false,
  ],
  ['a burst of 5, then 6,1,2,1,2 (undici)', [burst, 6, 1, 2, 1, 2], {}, true, false, false],
  [
    "1,2,1,3,1,4,1 (a socket left busy in the client now and then: the rule's limit)",
    [1, 2, 1, 3, 1, 4, 1],
    {},
    true,
    false,
    false,
  ],
  ['1,2,1,3,1,4 (the same, ending on a new socket)', [1, 2, 1, 3, 1, 4], {}, false, false, false],
  ['a burst of 5, then 6,7,8,9 from new clients', [burst, 6, 7, 8, 9], {}, false, false, true],
  ['a burst the server saw serially, then reuse', [1, 2, 3, 4, 5, 5, 5], {}, false, false, false],
  ['one request', [1], {}, false, false, true],
  [
    '1,1,2,2,3 with max requests 2',
    [1, 1, 2, 2, 3],
    { ended: { 1: 'max-requests', 2: 'max-requests' } },
    true,
    false,
    false,
  ],
  [
    '1,2,3 with keep-alive off on the server',
    [1, 2, 3],
    { ended: { 1: 'keep-alive-disabled', 2: 'keep-alive-disabled', 3: 'keep-alive-disabled' } },
    false,
    false,
    true,
  ],
  ['1,1, idle timeout, 2,2', [1, 1, 2, 2], { ended: { 1: 'idle-timeout' } }, true, false, false],
  ['1,1 left open, then 2,2', [1, 1, 2, 2], {}, false, false, false],
  [
    '1,1, the client closes it, 2,2',
    [1, 1, 2, 2],
    { ended: { 1: 'client-closed' } },
    true,
    false,
    false,
  ],
  [
    '1, a fault closes it, 2,2',
    [1, 2, 2],
    { ended: { 1: { reason: 'server-closed', fault: 'close-after-response' } } },
    true,
    false,
    false,
  ],
  [
    '1,2,3 in HTTP/1.0 without keep-alive',
    [1, 2, 3],
    { httpVersion: '1.0', connectionHeader: undefined },
    false,
    false,
    true,
  ],
]

describe.each(table)('%s', (_, steps, options, reuse, strict, newSocket) => {
  const subject: TestServer = recorded(steps, options)
  test(`toReuseConnection() ${reuse ? 'passes' : 'fails'}`, () => {
    expect(reusesConnection(subject).pass).toBe(reuse)
  })
  test(`{ maxConnections: 1 } ${strict ? 'passes' : 'fails'}`, () => {
    expect(reusesConnection(subject, { maxConnections: 1 }).pass).toBe(strict)
  })
  test(`toOpenNewSocketPerRequest() ${newSocket ? 'passes' : 'fails'}`, () => {
    expect(opensNewSocketPerRequest(subject).pass).toBe(newSocket)
  })
})

// A journal that keeps its own columns (the server's, registered with provideColumns) is judged
// from them, never from its objects, and gets the very verdicts its objects would get.
describe('a journal that keeps its own columns', () => {
  const judged = (subject: TestServer) =>
    [
      reusesConnection(subject),
      reusesConnection(subject, { maxConnections: 1 }),
      opensNewSocketPerRequest(subject),
      usesConnections(subject, 2),
      usesAtMostConnections(subject, 2),
      sendsConnectionHeader(subject, 'close'),
    ].map(({ pass, summary, counts, findings }) => ({ pass, summary, counts, findings }))

  test.each(table)('%s: the same verdicts as from its objects', (_, steps, options) => {
    const plain = recorded(steps, options)
    const keeping = recorded(steps, options)
    const columns = columnsOf(keeping.requests)
    provideColumns(keeping.requests, () => columns)
    expect(judged(keeping)).toEqual(judged(plain))
  })

  test.each([
    ['reusesConnection', (subject: TestServer) => reusesConnection(subject)],
    ['usesConnections', (subject: TestServer) => usesConnections(subject, 2)],
  ])('%s read after other verdicts ran says what it would have said at once', (_, judge) => {
    // The verdicts share their work space: nothing a verdict returns may point into it.
    const first = () => judge(recorded([1, 2, 2, 2, 2], { ended: { 1: 'client-reset' } }))
    const late = first()
    for (const steps of [
      [burst, 6, 7, 8, 9],
      [1, 1, 1],
      [1, 2, 3],
    ] as Step[][])
      reusesConnection(recorded(steps)).findings
    const { summary, findings } = first()
    expect({ summary: late.summary, findings: late.findings }).toEqual({ summary, findings })
    expect(late.findings.map((finding) => finding.kind)).toContain('client-reset')
  })

  test('is judged from its columns, not from its objects', () => {
    const subject = recorded([1, 2, 3])
    const columns = columnsOf(recorded([1, 1, 1]).requests)
    provideColumns(subject.requests, () => columns)
    expect(usesConnections(subject, 1).pass).toBe(true)
    expect(opensNewSocketPerRequest(subject).pass).toBe(false)
  })
})

describe('reusesConnection', () => {
  test('passes for one request that is the third on its connection', () => {
    const third = recorded([1, 1, 1]).requests[2]
    expect(reusesConnection(third as never).pass).toBe(true)
    expect(reusesConnection(third as never, { maxConnections: 1 }).pass).toBe(true)
  })

  test('judges requests without connection records by the requests alone', () => {
    expect(reusesConnection(journal([1, 2, 1, 2, 1])).pass).toBe(true)
    expect(reusesConnection(journal([1, 2, 2, 2, 2])).pass).toBe(false)
    expect(reusesConnection(journal([1, 2, 3], { connectionHeader: 'close' })).pass).toBe(false)
  })

  test('judges connection ids far apart the same as dense ones', () => {
    const sparse = journal([7, 1_000_000_007, 7, 1_000_000_007])
    expect(reusesConnection(sparse).pass).toBe(true)
    expect(usesConnections(sparse, 2).pass).toBe(true)
    expect(reusesConnection(journal([7, 1_000_000_007, 1_000_000_007])).pass).toBe(false)
  })

  test('a PASS sentence never says "each reused"', () => {
    // Regression: "5 requests used 2 connections, each reused" was printed for 1,1,1,1,2.
    expect(describePattern(recorded([burst, 5, 5]))).toBe(
      '7 requests used 5 connections; 2 requests reused a connection, and none opened while another sat idle',
    )
  })

  test('names the connection that opened and the one left idle', () => {
    expect(reusesConnection(recorded([1, 2, 2, 2, 2])).summary).toBe(
      '5 requests used 2 connections; connection 2 opened while connection 1 sat idle, and that one was never used again',
    )
    expect(reusesConnection(recorded([burst, 6, 7])).summary).toBe(
      '7 requests used 7 connections; none was reused',
    )
    expect(reusesConnection(recorded([burst, 6, 6, 7, 7])).summary).toBe(
      '9 requests used 7 connections; connections 6, 7 opened while connections 1, 2, 3, 4, 5, 6 sat idle, and those were never used again',
    )
  })

  test('names at most eight connections', () => {
    const steps = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 11]
    expect(describePattern(recorded(steps))).toBe(
      '12 requests used 11 connections; connections 2, 3, 4, 5, 6, 7, 8, 9 and 2 more opened while connections 1, 2, 3, 4, 5, 6, 7, 8 and 2 more sat idle, and those were never used again',
    )
  })
})

// How fast the verdicts are over this journal is measured by `npm run bench`, not asserted here.
describe('over a journal of a million requests', () => {
  const million = journal(Array.from({ length: 1_000_000 }, (_, i) => i + 1))

  test('a failure message shows the head and tail of the timeline only', () => {
    let message = ''
    try {
      expect(million).toReuseConnection()
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toContain('  … 999982 more requests …')
    expect(message.split('\n').filter((line) => line.startsWith('  #'))).toHaveLength(12 + 6)
  })
})

// Each finding is a recorded fact: produced when its cause is in the record, absent otherwise.
// Regression: "One process per request" and "often a response body left unread" were printed
// for clients that did neither.
describe('findings', () => {
  const kinds = (subject: TestServer) =>
    reusesConnection(subject).findings.map((finding) => finding.kind)
  const table: [kind: string, present: TestServer, absent: TestServer, text: string][] = [
    [
      'client-asked-close',
      recorded([1, 2, 3], asked([1, 2, 3])),
      recorded([1, 1, 1]),
      'the client sent Connection: close on all 3 requests, so the server closed each such connection after its response',
    ],
    [
      'http-1.0',
      recorded([1, 2], { httpVersion: '1.0', connectionHeader: undefined }),
      recorded([1, 1], { httpVersion: '1.0' }),
      'all 2 requests were HTTP/1.0 without Connection: keep-alive, which ends the connection after the response',
    ],
    [
      'client-closed',
      recorded([1, 2, 2], { ended: { 1: 'client-closed' } }),
      // Closed after the last request: a client saying goodbye as it exits.
      recorded([1, 1, 2], { ended: { 1: 'client-closed', 2: 'client-closed' } }),
      'the client closed connection 1 itself after one request while it went on sending requests, then opened new connections',
    ],
    [
      'server-closed',
      recorded([1, 1, 2, 2], { ended: { 1: 'max-requests' } }),
      recorded([1, 1, 2, 2], { ended: { 1: 'server-closed' } }),
      'the server closed connection 1: max requests per connection reached',
    ],
    [
      'left-idle',
      recorded([1, 2, 2, 2, 2]),
      recorded([[1, 2], 2, 2, 2]),
      'the server wrote the response on connection 1, then it sat idle and was never used again while the client opened another (a response body left unread does this, and so does a new client per request)',
    ],
    [
      'client-reset',
      recorded([1, 1, 2], { ended: { 1: 'client-reset' } }),
      recorded([1, 1, 2], { ended: { 1: 'client-closed' } }),
      'the client reset connection 1',
    ],
    [
      'no-request',
      recorded([1, { open: 2 }, 1]),
      recorded([1, 1]),
      '1 connection carried no request (connection 2)',
    ],
  ]

  test.each(table)('%s is found when its cause was recorded', (kind, present, _, text) => {
    const finding = reusesConnection(present).findings.find((found) => found.kind === kind)
    expect(finding?.text).toBe(text)
  })

  test.each(table)('%s is absent when its cause was not recorded', (kind, _, absent) => {
    expect(kinds(absent)).not.toContain(kind)
  })

  // Bug: client-asked-close said "the server closed" even when the record said the client had.
  test('client-asked-close says who closed each connection, as recorded', () => {
    const closedBy = (server: TestServer, by: Record<number, 'client' | 'server'>) => {
      for (const connection of server.connections)
        Object.assign(connection, { closedBy: by[connection.id] })
      return reusesConnection(server).findings.find((f) => f.kind === 'client-asked-close')?.text
    }
    const server = recorded([1, 2, 3], asked([1, 2, 3]))
    expect(closedBy(server, { 1: 'client', 2: 'client', 3: 'client' })).toBe(
      'the client sent Connection: close on all 3 requests and closed each such connection itself',
    )
    expect(closedBy(server, { 1: 'server', 2: 'client', 3: 'server' })).toBe(
      'the client sent Connection: close on all 3 requests; the server closed connections 1, 3 after its response and the client closed connection 2 itself',
    )
    // Not closed yet, or no record: nothing is said of who closed.
    expect(closedBy(server, {})).toBe('the client sent Connection: close on all 3 requests')
    const requests = journal([1, 2], { connectionHeader: 'close' })
    expect(reusesConnection(requests).findings[0]?.text).toBe(
      'the client sent Connection: close on all 2 requests',
    )
  })

  test('client-asked-close names the client when a real client closed before the response ended', async () => {
    const server = await startServer({
      // The answer waits for the client's FIN, so the client closes first, every time.
      handler: async (req, res) => {
        if (!req.socket.readableEnded) await once(req.socket, 'end')
        res.destroy()
      },
    })
    const socket = await rawSocket(server)
    socket.end('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    await closed(server, 1)
    expect(closes(server)).toEqual(['client client-asked'])
    expect(reusesConnection(server).findings[0]?.text).toBe(
      'the client sent Connection: close on its request and closed that connection itself',
    )
  })

  test('client-asked-close names the server when a real server closed after the response', async () => {
    const server = await startServer()
    await get(server.url, { headers: { connection: 'close' } })
    await closed(server, 1)
    expect(closes(server)).toEqual(['server client-asked'])
    expect(reusesConnection(server).findings[0]?.text).toBe(
      'the client sent Connection: close on its request, so the server closed that connection after its response',
    )
  })

  test('an error close quotes the error the server recorded', () => {
    const server = recorded([1, 2, 2], { ended: { 1: 'error' } })
    Object.assign(server.connections[0] as object, { error: 'HPE_INVALID_METHOD: Invalid method' })
    const finding = reusesConnection(server).findings.find(
      (found) => found.kind === 'server-closed',
    )
    expect(finding?.text).toBe(
      'the server closed connection 1: an error (conn 1: HPE_INVALID_METHOD: Invalid method)',
    )
  })

  // Bug: a slice that held one request of a two-request connection was told the client closed
  // that connection "after one request": the count came from the slice, not the record.
  test('client-closed reads how many requests the connection carried from its record, not the slice', async () => {
    const server = await startServer()
    const first = keepAliveAgent()
    await get(server.url, { agent: first })
    await get(server.url, { agent: first })
    first.destroy()
    await closed(server, 1)
    const second = keepAliveAgent()
    await get(server.url, { agent: second })
    await get(server.url, { agent: second })
    expect(ids(server)).toEqual([1, 1, 2, 2])
    const findings = reusesConnection(server.requests.slice(1)).findings
    expect(findings.map((finding) => finding.kind)).not.toContain('client-closed')
  })

  test('a fault that closed a connection is named', () => {
    const subject = recorded([1, 2, 2], {
      ended: { 1: { reason: 'server-closed', fault: 'close-after-response' } },
    })
    expect(reusesConnection(subject).findings).toEqual([
      {
        kind: 'server-closed',
        reason: 'fault close-after-response',
        connections: [1],
        text: 'the server closed connection 1: the test put the close-after-response fault on a response',
      },
    ])
  })

  test('a client that closes pooled connections beyond its idle pool is not said to open new ones', () => {
    // Go keeps 2 idle connections per host and closes the rest of a burst of 5, then reuses one.
    const subject = recorded([burst, 4, 4, 4], {
      ended: { 1: 'client-closed', 2: 'client-closed', 3: 'client-closed' },
    })
    expect(reusesConnection(subject).findings.map((finding) => finding.text)).toEqual([
      'the client closed connections 1, 2, 3 itself after one request each while it went on sending requests',
    ])
  })

  test('a pool that reused every socket has no finding at all', () => {
    expect(kinds(recorded([burst, 5, 4, 5]))).toEqual([])
  })
})
