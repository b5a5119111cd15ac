import { InvalidOptionError } from './errors.js'
import type { Keeping } from './journal/store.js'
import { type ResolvedTls, resolveTls } from './tls/options.js'
import type { FaultPicker, RequestHandler, TestServerOptions } from './types.js'
import { isWhole, showValue } from './values.js'

/** Options after validation, with every default filled in. */
export interface ResolvedOptions {
  host: string
  ports: readonly number[]
  keepAlive: boolean
  idleTimeout: number
  /** Seconds to advertise in `Keep-Alive: timeout=N`, or `undefined` for no hint. */
  hintSeconds: number | undefined
  maxRequestsPerConnection: number
  handler: RequestHandler | undefined
  handlers: readonly unknown[] | undefined
  fault: FaultPicker | undefined
  /** What the server presents over TLS; `undefined` in clear text. */
  tls: ResolvedTls | undefined
  /** Whether TLS offers `h2` by ALPN besides HTTP/1.1. */
  http2: boolean
  /** Which requests the journal keeps, and whether with their headers. */
  journal: Keeping
}

const known = new Set([
  'host',
  'port',
  'keepAlive',
  'idleTimeout',
  'keepAliveHint',
  'maxRequestsPerConnection',
  'handler',
  'handlers',
  'fault',
  'tls',
  'http2',
  'journal',
  'recordHeaders',
])
// setTimeout() clamps anything larger to 1 ms, which would close connections at once.
const maxTimeout = 2 ** 31 - 1

const fail = (message: string): never => {
  throw new InvalidOptionError(`Failed to create the test server: ${message}`)
}

function checkPort(port: unknown): readonly number[] {
  if (port === undefined) return []
  const ports = Array.isArray(port) ? port : [port]
  if (ports.length === 0) fail('option `port` is an empty list. Leave it out to use any free port.')
  for (const each of ports) {
    if (!isWhole(each, 0, 65_535))
      fail(
        `option \`port\` must be a whole number from 0 to 65535 (or a list of them), got ${showValue(port)}.`,
      )
  }
  return ports
}

/** `journal` and `recordHeaders`: what the journal keeps (docs/server.md, "Long load runs"). */
function checkJournal(journal: unknown, recordHeaders: unknown): Keeping {
  if (recordHeaders !== undefined && typeof recordHeaders !== 'boolean')
    fail(`option \`recordHeaders\` must be true or false, got ${showValue(recordHeaders)}.`)
  const headers = recordHeaders !== false
  if (journal === undefined || journal === 'all')
    return { keepLast: Number.POSITIVE_INFINITY, headers }
  if (journal === 'counts') return { keepLast: 0, headers }
  if (typeof journal !== 'object' || journal === null || Array.isArray(journal))
    fail(
      `option \`journal\` must be 'all' (the default), 'counts' (no request records, only each connection's requestCount) or { keepLast: n }, got ${showValue(journal)}.`,
    )
  const { keepLast, ...others } = journal as { keepLast?: unknown }
  const other = Object.keys(others)[0]
  if (other !== undefined)
    fail(
      `option \`journal\` takes only \`keepLast\`, got \`${other}\`.${other === 'headers' ? ' To keep no headers, pass `recordHeaders: false`.' : ''}`,
    )
  if (!isWhole(keepLast, 1, Number.MAX_SAFE_INTEGER))
    fail(
      `option \`journal.keepLast\` must be a whole number of at least 1, got ${showValue(keepLast)}. Use \`journal: 'counts'\` to keep no request records.`,
    )
  return { keepLast: keepLast as number, headers }
}

/**
 * Checks the options of `createTestServer()` and fills in the defaults. Throws an
 * `InvalidOptionError` that names the option, the value received and what would be valid.
 */
export function resolveOptions(options: TestServerOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    fail(`options must be an object, got ${showValue(options)}.`)
  for (const key of Object.keys(options)) {
    if (!known.has(key)) fail(`unknown option \`${key}\`. Known options: ${[...known].join(', ')}.`)
  }
  const {
    host = '127.0.0.1',
    keepAlive = true,
    idleTimeout = 5000,
    keepAliveHint = false,
    maxRequestsPerConnection = Number.POSITIVE_INFINITY,
    handler,
    handlers,
    fault,
  } = options
  if (typeof host !== 'string' || host === '')
    fail(`option \`host\` must be an address such as '127.0.0.1', got ${showValue(host)}.`)
  if (typeof keepAlive !== 'boolean')
    fail(`option \`keepAlive\` must be true or false, got ${showValue(keepAlive)}.`)
  if (!isWhole(idleTimeout, 0, maxTimeout))
    fail(
      `option \`idleTimeout\` must be a whole number of milliseconds from 0 to ${maxTimeout}, got ${showValue(idleTimeout)}. Use 0 to never close idle connections.`,
    )
  if (typeof keepAliveHint !== 'boolean' && !isWhole(keepAliveHint, 0, 86_400))
    fail(
      `option \`keepAliveHint\` must be true, false or a whole number of seconds, got ${showValue(keepAliveHint)}.`,
    )
  if (
    maxRequestsPerConnection !== Number.POSITIVE_INFINITY &&
    !isWhole(maxRequestsPerConnection, 1, Number.MAX_SAFE_INTEGER)
  )
    fail(
      `option \`maxRequestsPerConnection\` must be a whole number of at least 1, got ${showValue(maxRequestsPerConnection)}. Leave it out for no limit.`,
    )
  if (handler !== undefined && typeof handler !== 'function')
    fail(`option \`handler\` must be a function (req, res) => void, got ${showValue(handler)}.`)
  if (handlers !== undefined && !Array.isArray(handlers))
    fail(
      `option \`handlers\` must be an array of msw request handlers, got ${showValue(handlers)}.`,
    )
  // timeout=0 would tell every client not to reuse a connection this server never closes.
  if (keepAliveHint === true && idleTimeout === 0)
    fail(
      'option `keepAliveHint: true` advertises the idle timeout, but `idleTimeout` is 0 (never close). Pass a number of seconds to advertise, or leave `keepAliveHint` out.',
    )
  if (handler !== undefined && handlers !== undefined)
    fail('options `handler` and `handlers` both answer requests; pass one of them.')
  if (fault !== undefined && typeof fault !== 'function')
    fail(
      `option \`fault\` must be a function (request) => Fault | undefined, got ${showValue(fault)}.`,
    )
  if (options.http2 !== undefined && typeof options.http2 !== 'boolean')
    fail(`option \`http2\` must be true or false, got ${showValue(options.http2)}.`)
  return {
    journal: checkJournal(options.journal, options.recordHeaders),
    tls: resolveTls(options.tls),
    http2: options.http2 === true,
    host,
    ports: checkPort(options.port),
    keepAlive,
    idleTimeout,
    hintSeconds:
      keepAliveHint === true
        ? Math.floor(idleTimeout / 1000)
        : keepAliveHint === false
          ? undefined
          : keepAliveHint,
    maxRequestsPerConnection,
    handler,
    handlers,
    fault,
  }
}
