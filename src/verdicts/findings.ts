import { hasToken } from '../connection-header.js'
import type { RecordedConnection, RecordedRequest } from '../types.js'
import type { Columns } from './columns.js'
import type { Journal } from './journal.js'
import type { Finding } from './types.js'
import type { Endings, Usage } from './usage.js'
import { connectionsNamed, plural, some } from './wording.js'

/** What each server-side close reason means, in the words a report prints. */
const serverReasons: Readonly<Record<string, string>> = {
  'keep-alive-disabled': 'keep-alive is off on the server',
  'idle-timeout': 'its idle timeout expired',
  'max-requests': 'max requests per connection reached',
  error: 'an error',
}

/** The ids once each, ascending; the usual journal is ascending already and is not copied. */
function distinctAscending(ids: number[]): number[] {
  for (let i = 1; i < ids.length; i++)
    if ((ids[i] as number) <= (ids[i - 1] as number)) return [...new Set(ids)].sort((a, b) => a - b)
  return ids
}

const ofRequests = (n: number, total: number): string =>
  n === total
    ? total === 1
      ? 'its request'
      : `all ${total} requests`
    : `${n} of ${total} requests`

/** What each connection closed for an error recorded, as ` (conn 3: …; conn 4: …)`. */
function errorsOf(ids: readonly number[], journal: Journal): string {
  const errors = ids.flatMap((id) => {
    const error = journal.connection(id)?.error
    return error === undefined ? [] : [`conn ${id}: ${error}`]
  })
  return errors.length === 0
    ? ''
    : ` (${errors.slice(0, 3).join('; ')}${errors.length > 3 ? '; …' : ''})`
}

/**
 * Who closed the connections whose requests asked to close, as the records say: `, so the server
 * closed … after its response`, ` and closed … itself`, both by name when they differ; nothing for a connection not
 * closed yet or without a record (a hand-built journal), so nothing is claimed that was not seen.
 */
function closersOf(ids: readonly number[], journal: Journal): string {
  const by: Record<'client' | 'server', number[]> = { client: [], server: [] }
  for (const id of ids) {
    const closedBy = journal.connection(id)?.closedBy
    if (closedBy !== undefined) by[closedBy].push(id)
  }
  const { client, server } = by
  const such = ids.length === 1 ? 'that connection' : 'each such connection'
  if (server.length === ids.length) return `, so the server closed ${such} after its response`
  if (client.length === ids.length) return ` and closed ${such} itself`
  const named = [
    ...(server.length > 0
      ? [`the server closed ${connectionsNamed(server)} after its response`]
      : []),
    ...(client.length > 0 ? [`the client closed ${connectionsNamed(client)} itself`] : []),
  ]
  return named.length === 0 ? '' : `; ${named.join(' and ')}`
}

/** Requests that said `Connection: close`, and HTTP/1.0 ones that did not ask for keep-alive. */
function fromRequests(columns: Columns, journal: Journal): Finding[] {
  const { length, asksToClose, connectionHeader, connectionId } = columns
  const asked: number[] = []
  const old: number[] = []
  let askedCount = 0
  let oldCount = 0
  // Headers repeat: each distinct one is read once.
  let seen: string | undefined
  let saysClose = false
  for (let i = 0; i < length; i++) {
    if (asksToClose[i] === 0) continue
    const header = connectionHeader[i]
    if (header !== seen || i === 0) {
      seen = header
      saysClose = header !== undefined && hasToken(header, 'close')
    }
    const id = connectionId[i] as number
    if (saysClose) {
      askedCount++
      if (asked.at(-1) !== id) asked.push(id)
    } else {
      oldCount++
      if (old.at(-1) !== id) old.push(id)
    }
  }
  const found: Finding[] = []
  if (askedCount > 0) {
    const ids = distinctAscending(asked)
    found.push({
      kind: 'client-asked-close',
      connections: ids,
      text: `the client sent Connection: close on ${ofRequests(askedCount, length)}${closersOf(ids, journal)}`,
    })
  }
  if (oldCount > 0)
    found.push({
      kind: 'http-1.0',
      connections: distinctAscending(old),
      text: `${ofRequests(oldCount, length)} ${oldCount === 1 ? 'was' : 'were'} HTTP/1.0 without Connection: keep-alive, which ends the connection after the response`,
    })
  return found
}

/** How the connections the requests used ended, from the server's connection records. */
function fromConnections(endings: Endings, journal: Journal): Finding[] {
  const { clientClosed, reset } = endings
  // 'server-closed' without a fault is a test's own close() or closeIdleConnections(): not news.
  const byServer = [...endings.byServer].filter(
    ([reason]) => reason.startsWith('fault ') || serverReasons[reason] !== undefined,
  )
  const found: Finding[] = []
  const sort = (ids: number[]) => ids.sort((a, b) => a - b)
  if (clientClosed.length > 0)
    found.push({
      kind: 'client-closed',
      connections: sort(clientClosed),
      text: `the client closed ${connectionsNamed(clientClosed)} itself after one request${clientClosed.length === 1 ? '' : ' each'} while it went on sending requests${endings.reopened ? ', then opened new connections' : ''}`,
    })
  for (const [reason, ids] of byServer)
    found.push({
      kind: 'server-closed',
      reason,
      connections: sort(ids),
      text: `the server closed ${connectionsNamed(ids)}: ${serverReasons[reason] ?? `the test put the ${reason.slice(6)} fault on a response`}${reason === 'error' ? errorsOf(ids, journal) : ''}`,
    })
  if (reset.length > 0)
    found.push({
      kind: 'client-reset',
      connections: sort(reset),
      text: `the client reset ${connectionsNamed(reset)}`,
    })
  return found
}

function leftIdle(usage: Usage): Finding[] {
  const idle = usage.abandoned
  if (idle.length === 0) return []
  return [
    {
      kind: 'left-idle',
      connections: idle,
      text: `the server wrote the response on ${connectionsNamed(idle)}, then ${idle.length === 1 ? 'it' : 'each'} sat idle and was never used again while the client opened another (a response body left unread does this, and so does a new client per request)`,
    },
  ]
}

/** Connections left with a response the server ended but never finished writing. */
function leftUnfinished(usage: Usage, requests: readonly RecordedRequest[]): Finding[] {
  const left = usage.unfinished
  if (left.length === 0) return []
  const ids = left.map(({ id }) => id)
  const named = left.map(({ id, request }) => {
    const { method, url } = requests[request] as RecordedRequest
    return `connection ${id}'s response to ${method} ${url}`
  })
  const one = left.length === 1
  return [
    {
      kind: 'left-unfinished',
      connections: ids,
      text: `${one ? named[0] : some(named, 3)} never finished being written (the client did not read all of ${one ? 'it' : 'them'}) and the client never used ${one ? 'it' : 'those connections'} again while it opened another`,
    },
  ]
}

function unused(connections: readonly RecordedConnection[] | undefined, used: number): Finding[] {
  // Every connection carried a request when there are as many as were used: skip the pass.
  if (connections === undefined || connections.length <= used) return []
  const ids = connections
    .filter((connection) => connection.requestCount === 0)
    .map((connection) => connection.id)
  if (ids.length === 0) return []
  return [
    {
      kind: 'no-request',
      connections: ids,
      text: `${plural(ids.length, 'connection')} carried no request (${connectionsNamed(ids)})`,
    },
  ]
}

/** The recorded facts that explain a pattern, each only when its cause is in the record. */
export function findingsOf(journal: Journal, usage: Usage): Finding[] {
  return [
    ...fromRequests(usage.columns, journal),
    ...fromConnections(usage.endings, journal),
    ...leftIdle(usage),
    ...leftUnfinished(usage, journal.requests),
    ...unused(journal.connections, usage.used),
  ]
}
