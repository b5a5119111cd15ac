import { describe, expect, test } from 'vitest'
import { run } from './clients.js'
import { http2Client } from './h2-clients.js'
import { undiciH2Client } from './tls-clients.js'

const transports = [
  ['TLS (ALPN h2)', { tls: true, http2: true }],
  ['h2c', { http2: true }],
] as const

// Scenario 9 on HTTP/2: the server answers the second stream of a session with GOAWAY naming
// that stream, then closes the connection (docs/faults.md, "Over HTTP/2").
describe.each(transports)('the stale-connection scenario over %s', (_, transport) => {
  test('undici 8 allowH2 surfaces `other side closed` and sends the next request on a new session', async () => {
    const result = await run('stale-connection', { createClient: undiciH2Client, ...transport })
    expect(result).toMatchObject({ status: 'pass', pattern: '1,1,2 · error surfaced' })
  })

  test('node:http2 that opens a new session when the old one is gone passes, the error surfaced', async () => {
    const result = await run('stale-connection', { createClient: http2Client, ...transport })
    expect(result).toMatchObject({ status: 'pass', pattern: '1,1,2 · error surfaced' })
  })

  test('node:http2 that resends the cut stream on a new session passes with retriesStaleConnections: true', async () => {
    const result = await run('stale-connection', {
      createClient: (target) => http2Client(target, { retry: true }),
      retriesStaleConnections: true,
      ...transport,
    })
    expect(result).toMatchObject({ status: 'pass', pattern: '1,1,2,2 · retried', retries: 1 })
  })

  test('node:http2 that keeps using the dead session fails on its next request', async () => {
    const result = await run('stale-connection', {
      createClient: (target) => http2Client(target, { reconnect: false }),
      ...transport,
    })
    expect(result.status).toBe('fail')
    expect(result.message).toMatch(
      /the request after the race \(https?:\/\/127\.0\.0\.1:\d+\/stale\/after\) failed: Error \[ERR_HTTP2_INVALID_SESSION\]: The session has been destroyed/,
    )
    expect(result.message).toMatch(/closed by server \(fault no-response\)/)
  })

  test('undici 8 declared to retry fails: it surfaces the error instead', async () => {
    const result = await run('stale-connection', {
      createClient: undiciH2Client,
      retriesStaleConnections: true,
      ...transport,
    })
    expect(result.status).toBe('fail')
    expect(result.message).toContain(
      'the request failed instead of being retried on a new connection: SocketError: other side closed',
    )
  })
})

test('the failure of a client that keeps a dead h2 session shows the GOAWAY-closed connection', async () => {
  const result = await run('stale-connection', {
    createClient: (target) => http2Client(target, { reconnect: false }),
    tls: true,
    http2: true,
  })
  expect(result.message.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')).toMatchInlineSnapshot(`
    "keepalive-kit: When the server closes a kept-alive connection as a request is sent on it, a client that retries sends it again on a new connection; one that does not rejects promptly, and its next request succeeds on a new connection. Over HTTP/2 the request is a later stream of a session that carried one, and the close is a GOAWAY naming that stream (it may have been processed), then the connection closed: the client surfaces the error or resends on a new session, and never sends on the dead one.

    the request after the race (https://127.0.0.1:PORT/stale/after) failed: Error [ERR_HTTP2_INVALID_SESSION]: The session has been destroyed. The server closed the connection the race was staged on (GOAWAY, then a close), so the client must send this request on a new session.

    The server (https://127.0.0.1:PORT) received:
      #0  GET /stale/1  h2 stream 1  conn 1  127.0.0.1:PORT  h2 TLSv1.3 full handshake
      #1  GET /stale/2  h2 stream 3  conn 1  127.0.0.1:PORT  h2 TLSv1.3 full handshake
    Connections:
      conn 1  127.0.0.1:PORT  2 requests  h2 TLSv1.3 full handshake  closed by server (fault no-response)"
  `)
})
