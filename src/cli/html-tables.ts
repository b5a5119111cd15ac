import { closeOf } from '../connection-end.js'
import { escapeXml, formatDuration } from '../picture/text.js'
import type { RecordedConnection, RecordedRequest } from '../types.js'

/** Rows past this many are left out of the request table, which says so. */
const maxRequestRows = 1000

const cell = (text: string): string => `<td>${escapeXml(text)}</td>`

/** The first moment recorded: the tables' times count from it, like the picture's. */
export function startOf(
  requests: readonly RecordedRequest[],
  connections: readonly RecordedConnection[],
): number {
  let t0 = Number.POSITIVE_INFINITY
  for (const c of connections) t0 = Math.min(t0, c.openedAt)
  for (const r of requests) t0 = Math.min(t0, r.receivedAt)
  return Number.isFinite(t0) ? t0 : 0
}

/** One row per connection: when it opened and closed, how many requests, who closed and why. */
export function connectionTable(connections: readonly RecordedConnection[], t0: number): string {
  const rows = connections.map((c) =>
    [
      `<tr class="${c.requestCount === 0 ? 'empty' : ''}">`,
      cell(`conn ${c.id}`),
      cell(`${c.remoteAddress}:${c.remotePort}`),
      cell(formatDuration(c.openedAt - t0)),
      cell(c.closedAt === undefined ? 'open' : formatDuration(c.closedAt - t0)),
      cell(c.closedAt === undefined ? '' : formatDuration(c.closedAt - c.openedAt)),
      cell(String(c.requestCount)),
      cell(closeOf(c)),
      cell(c.error ?? ''),
      cell(c.openedBy ?? ''),
      '</tr>',
    ].join(''),
  )
  return `<table class="connections"><thead><tr><th>connection</th><th>client</th><th>opened</th><th>closed</th><th>lasted</th><th>requests</th><th>who closed, why</th><th>error</th><th>opened by</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

/** One row per request, the first thousand: the text timeline as a table. */
export function requestTable(requests: readonly RecordedRequest[], t0: number): string {
  const rows = requests
    .slice(0, maxRequestRows)
    .map((r) =>
      [
        `<tr class="${r.reusedConnection ? 'reused' : 'new'}">`,
        cell(`#${r.index}`),
        cell(`${r.method} ${r.url}`),
        cell(`conn ${r.connectionId}`),
        cell(r.reusedConnection ? `reused (request ${r.indexOnConnection + 1})` : 'new'),
        cell(formatDuration(r.receivedAt - t0)),
        cell(r.connectionHeader ?? '(none)'),
        '</tr>',
      ].join(''),
    )
  const more =
    requests.length > maxRequestRows
      ? `<p>The first ${maxRequestRows} of ${requests.length} requests are listed.</p>`
      : ''
  return `<table class="requests"><thead><tr><th>#</th><th>request</th><th>connection</th><th>on it</th><th>arrived</th><th>Connection header</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}`
}
