import { closeOf } from '../connection-end.js'
import type { RecordedConnection } from '../types.js'
import { plural } from '../verdicts/wording.js'
import type { Lane, LaneConnection } from './lanes.js'
import { closeColor, colors } from './legend.js'
import { binWidth, charWidth, minSpacing, requestBins, requestMarks, type Track } from './marks.js'
import { escapeXml, formatDuration, px, truncate } from './text.js'

/** How lanes are spaced: roomy lanes have two rows of labels, dense lanes one. */
export interface LaneShape {
  readonly height: number
  /** From the lane's top to its line. */
  readonly line: number
  readonly tiers: number
  /** Whether a row under the line says which code opened the connection. */
  readonly openers: boolean
}

/**
 * Roomy lanes while few lanes are drawn, dense ones past that; roomy lanes get a row for the
 * code that opened each connection when any was recorded.
 */
export const laneShape = (lanes: number, openers: boolean): LaneShape =>
  lanes > 12
    ? { height: 32, line: 17, tiers: 1, openers: false }
    : { height: openers ? 58 : 46, line: 30, tiers: 2, openers }

/** Characters that fit in the right-hand column that says how each lane closed. */
export const closeColumnChars = 33

const closedOf = (lane: Lane): RecordedConnection[] =>
  lane.connections.flatMap((c) =>
    c.recorded !== undefined && c.recorded.closedAt !== undefined ? [c.recorded] : [],
  )

const closeTitle = (connection: RecordedConnection, track: Track): string =>
  `conn ${connection.id} closed ${closeOf(connection)} at ${formatDuration((connection.closedAt ?? track.t0) - track.t0)}${connection.error ? `\n${connection.error}` : ''}`

/** One bar where each connection closed; counted per bin when they would overlap. */
function closeMarks(closed: readonly RecordedConnection[], y: number, track: Track): string {
  const binned = closed.length > (track.right - track.left) / minSpacing
  const bins = new Map<number, RecordedConnection[]>()
  for (const c of closed) {
    const x = track.x(c.closedAt ?? track.t0)
    const key = binned ? Math.floor((x - track.left) / binWidth) : bins.size
    const group = bins.get(key)
    if (group === undefined) bins.set(key, [c])
    else group.push(c)
  }
  const parts: string[] = []
  for (const [key, group] of bins) {
    const first = group[0]
    if (first === undefined) continue
    const x = binned ? track.left + key * binWidth + 1 : track.x(first.closedAt ?? track.t0)
    const title =
      group.length === 1
        ? closeTitle(first, track)
        : `${plural(group.length, 'connection')} closed here: ${tally(group).join(', ')}`
    parts.push(
      `<rect class="close" x="${px(x - 1.5)}" y="${y - 9}" width="3" height="18" fill="${closeColor(first)}"><title>${escapeXml(title)}</title></rect>`,
    )
  }
  return parts.join('')
}

/** How many closes of each kind, the most common first: `by client (client-closed) ×3`. */
function tally(closed: readonly RecordedConnection[]): string[] {
  const counts = new Map<string, number>()
  for (const c of closed) counts.set(closeOf(c), (counts.get(closeOf(c)) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1]).map(([text, n]) => `${text} ×${n}`)
}

/** The right-hand column: how the lane's connection closed, or a count of each kind. */
function closeSummary(lane: Lane): { text: string; title: string } {
  const [only] = lane.connections
  if (lane.connections.length === 1 && only !== undefined) {
    if (only.recorded === undefined) return { text: 'close not recorded', title: '' }
    return { text: closeOf(only.recorded), title: '' }
  }
  const closed = closedOf(lane)
  const open = lane.connections.filter((c) => c.recorded?.closedAt === undefined).length
  const kinds = [...tally(closed), ...(open > 0 ? [`open ×${open}`] : [])]
  const [top = '', ...rest] = kinds
  return {
    text: rest.length === 0 ? top : `${top} +${plural(rest.length, 'kind')}`,
    title: kinds.join('\n'),
  }
}

/**
 * Durations between consecutive events on a one-connection lane, where there is room. None when
 * the lane draws fewer requests than the connection carried (a journal that kept the last ones,
 * a slice): the events it draws are not consecutive, and a gap would hide requests.
 */
function gapLabels(connection: LaneConnection, lane: Lane, y: number, track: Track): string {
  if (connection.recorded !== undefined && lane.requests.length < connection.requestCount) return ''
  const times = [
    ...(connection.recorded === undefined ? [] : [connection.openedAt]),
    ...lane.requests.map((r) => r.receivedAt),
    ...(connection.closedAt === undefined ? [] : [connection.closedAt]),
  ]
  const parts: string[] = []
  for (let i = 1; i < times.length; i++) {
    const from = times[i - 1] ?? 0
    const to = times[i] ?? 0
    const text = formatDuration(to - from)
    const gap = track.x(to) - track.x(from)
    if (gap < text.length * 10 * charWidth + 10) continue
    parts.push(
      `<text class="gap" x="${px(track.x(from) + gap / 2)}" y="${y + 13}" font-size="10" font-style="italic" text-anchor="middle" fill="${colors.muted}">${text}</text>`,
    )
  }
  return parts.join('')
}

/** One lane: its label, its line, its requests, where its connections closed, and how. */
export function drawLane(
  lane: Lane,
  top: number,
  shape: LaneShape,
  track: Track,
  width: number,
): string {
  const y = top + shape.line
  const single = lane.connections.length === 1 ? lane.connections[0] : undefined
  const label =
    lane.firstId === lane.lastId ? `conn ${lane.firstId}` : `conn ${lane.firstId}–${lane.lastId}`
  const carried = lane.connections.reduce((n, c) => n + c.requestCount, 0)
  const empty = carried === 0
  const stillOpen = lane.connections.some(
    (c) => c.recorded !== undefined && c.closedAt === undefined,
  )
  const openedBy = single?.recorded?.openedBy
  const laneTitle = `${label}: ${plural(lane.connections.length, 'connection')}, ${plural(carried, 'request')}${empty ? ' (carried no request)' : ''}${openedBy ? `\nopened by ${openedBy}` : ''}`
  const x1 = track.x(lane.start)
  const x2 = Math.max(track.x(lane.end), x1 + 6)
  const dense = lane.requests.length > (track.right - track.left) / minSpacing
  const summary = closeSummary(lane)
  const closeLabel = truncate(summary.text, closeColumnChars)
  return [
    `<g class="lane${empty ? ' lane-empty' : ''}" data-connections="${lane.firstId}-${lane.lastId}">`,
    `<title>${escapeXml(laneTitle)}</title>`,
    `<text class="lane-label" x="12" y="${y + 4}" font-size="11" fill="${colors.text}">${label}</text>`,
    `<line class="lane-line" x1="${px(x1)}" y1="${y}" x2="${px(x2)}" y2="${y}" stroke="${colors.lane}" stroke-width="2"${empty ? ' stroke-dasharray="4 3"' : ''}/>`,
    stillOpen && lane.connections.length === 1
      ? `<path class="open" d="M${px(x2)},${y - 5} L${px(x2 + 9)},${y} L${px(x2)},${y + 5} Z" fill="${colors.lane}"/>`
      : '',
    empty && single !== undefined
      ? `<text class="no-request" x="${px(x1 < (track.left + track.right) / 2 ? x1 : x2)}" y="${y + 13}" font-size="10" font-style="italic"${x1 < (track.left + track.right) / 2 ? '' : ' text-anchor="end"'} fill="${colors.muted}">no request</text>`
      : '',
    single !== undefined && !dense ? gapLabels(single, lane, y, track) : '',
    shape.openers && openedBy !== undefined
      ? `<text class="opened-by" x="${px(track.left)}" y="${y + 25}" font-size="10" fill="${colors.muted}">${escapeXml(truncate(`opened by ${openedBy}`, Math.floor((width - 12 - closeLabel.length * 11 * charWidth - 14 - track.left) / (10 * charWidth))))}</text>`
      : '',
    dense
      ? requestBins(lane.requests, y, track)
      : requestMarks(
          lane.requests,
          y,
          track,
          shape.tiers,
          width - 12 - closeLabel.length * 11 * charWidth - 10,
        ),
    closeMarks(closedOf(lane), y, track),
    `<text class="close-label" x="${width - 12}" y="${y + 4}" font-size="11" text-anchor="end" fill="${colors.text}">${escapeXml(closeLabel)}${summary.title ? `<title>${escapeXml(summary.title)}</title>` : ''}</text>`,
    '</g>',
  ].join('')
}
