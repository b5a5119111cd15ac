import { countsBehind, droppedBefore } from '../journal/view.js'
import type { TestServer } from '../server.js'
import type { RecordedRequest } from '../types.js'
import { plural } from '../verdicts/wording.js'
import { type TimelineRecord, timelineRecordOf } from './input.js'
import { closeColumnChars, drawLane, laneShape } from './lane.js'
import { type Lanes, lanesOf } from './lanes.js'
import { colors, legend, legendHeight } from './legend.js'
import { binWidth, charWidth, minSpacing, type Track } from './marks.js'
import { escapeXml, formatDuration, px } from './text.js'

/**
 * Options of `renderTimelineSvg()`.
 *
 * @example
 * renderTimelineSvg(server, { width: 720, maxLanes: 20 })
 */
export interface TimelineSvgOptions {
  /** Width of the picture in px (it scales with its container). Default 960, at least 640. */
  width?: number
  /** More connections than this share lanes, counted per lane. Default 30. */
  maxLanes?: number
  /** `false` leaves the legend out, for many small pictures on a page that explains them once. */
  legend?: boolean
}

const font = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace"
/** Height of one line of the header. */
const headerLine = 16

/** A round step of about a sixth of the span: 1, 2 or 5 times a power of ten. */
function tickStep(span: number): number {
  const rough = span / 6
  const power = 10 ** Math.floor(Math.log10(rough))
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= rough) ?? power * 10
}

/** Time ticks: labels above the lanes, faint lines through them. */
function axis(track: Track, t1: number, top: number, bottom: number): string {
  const step = tickStep(t1 - track.t0)
  const parts: string[] = []
  for (let t = 0; track.t0 + t <= t1 + step / 1000; t += step) {
    const x = px(track.x(track.t0 + t))
    parts.push(
      `<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="#e5e7eb"/>`,
      `<text x="${x}" y="${top - 6}" font-size="10" text-anchor="middle" fill="${colors.muted}">${formatDuration(t)}</text>`,
    )
  }
  return `<g class="axis">${parts.join('')}</g>`
}

/** Words of `text` in lines of at most `chars` characters. */
function wrap(text: string, chars: number): string[] {
  const lines: string[] = []
  for (const word of text.split(' ')) {
    const last = lines.length - 1
    const line = lines[last]
    if (line !== undefined && line.length + 1 + word.length <= chars)
      lines[last] = `${line} ${word}`
    else lines.push(word)
  }
  return lines
}

/**
 * How many requests the picture shows, worded for a journal that kept only the last ones
 * (`journal: { keepLast }`) or none (`journal: 'counts'`), and how many of them reused a connection.
 */
function counted(requests: readonly RecordedRequest[]): { requests: string; reused: number } {
  const counts = countsBehind(requests)
  if (counts !== undefined)
    return {
      requests: `${plural(counts.requests, 'request')} (counted per connection: none is drawn, the journal keeps no request records)`,
      reused: counts.reused,
    }
  const dropped = droppedBefore(requests)
  return {
    requests:
      dropped === 0
        ? plural(requests.length, 'request')
        : `The last ${plural(requests.length, 'request')} of ${(requests.length + dropped).toLocaleString('en-US')}`,
    reused: requests.reduce((n, r) => n + (r.reusedConnection ? 1 : 0), 0),
  }
}

/** The header: what was recorded, then how the picture drew it. */
function header(lanes: Lanes, requests: readonly RecordedRequest[], track: Track) {
  const shown = counted(requests)
  const empty = lanes.lanes.reduce(
    (n, lane) => n + lane.connections.filter((c) => c.requestCount === 0).length,
    0,
  )
  const title =
    lanes.connectionCount === 0
      ? 'No connection or request was recorded.'
      : `${shown.requests} on ${plural(lanes.connectionCount, 'connection')} over ${formatDuration(lanes.t1 - lanes.t0)}; ${shown.reused === 0 ? 'no request' : plural(shown.reused, 'request')} reused a connection${empty > 0 ? `; ${plural(empty, 'connection')} carried no request` : ''}.`
  const notes: string[] = []
  if (lanes.perLane > 1)
    notes.push(
      `Aggregated: ${plural(lanes.connectionCount, 'connection')} drawn in ${lanes.lanes.length} lanes of up to ${lanes.perLane}.`,
    )
  if (lanes.lanes.some((lane) => lane.requests.length > (track.right - track.left) / minSpacing))
    notes.push(
      `Requests counted per ${binWidth} px where marks would overlap: bar height is the count.`,
    )
  if (!lanes.connectionsRecorded && lanes.connectionCount > 0)
    notes.push('Only requests were given: opens and closes not recorded.')
  if (notes.length > 0) notes.push('Hover for details.')
  return { title, notes: notes.join(' ') }
}

/**
 * Draws a test server's connection timeline as an SVG picture: one lane per connection over
 * time, a mark per request (method and path on hover, and as a label where it fits), how long
 * each connection waited between events, who closed each connection and why, connections that
 * carried no request, and a legend. Past `maxLanes` connections, or where marks would overlap,
 * it counts them instead and says so in the picture. A pure function of what was recorded:
 * every text is escaped, so paths sent by clients cannot break it.
 *
 * @example
 * import { writeFileSync } from 'node:fs'
 * import { renderTimelineSvg } from 'keepalive-kit'
 *
 * writeFileSync('timeline.svg', renderTimelineSvg(server))
 * // or a slice of its requests: renderTimelineSvg(server.requests.slice(-10))
 */
export function renderTimelineSvg(
  subject: TestServer | TimelineRecord | readonly RecordedRequest[] | RecordedRequest,
  options: TimelineSvgOptions = {},
): string {
  const record = timelineRecordOf(subject)
  const width = Math.max(640, Math.round(options.width ?? 960))
  const lanes = lanesOf(record, Math.max(1, Math.round(options.maxLanes ?? 30)))
  const left = 12 + 15 * 11 * charWidth
  const right = width - 12 - closeColumnChars * 11 * charWidth - 16
  const span = lanes.t1 - lanes.t0
  const track: Track = {
    left,
    right,
    t0: lanes.t0,
    x: (t) => left + ((t - lanes.t0) / span) * (right - left),
  }
  const { title, notes } = header(lanes, record.requests, track)
  const titleLines = wrap(title, Math.floor((width - 24) / (13 * charWidth)))
  const noteLines = notes === '' ? [] : wrap(notes, Math.floor((width - 24) / (11 * charWidth)))
  const shape = laneShape(
    lanes.lanes.length,
    lanes.lanes.some((lane) => lane.connections.some((c) => c.recorded?.openedBy !== undefined)),
  )
  const noteTop = 22 + titleLines.length * 18
  const lanesTop = noteTop + noteLines.length * headerLine + 22
  const lanesBottom = lanesTop + lanes.lanes.length * shape.height
  const withLegend = options.legend !== false
  const height = lanesBottom + 12 + (withLegend ? legendHeight : 0)
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="keepalive-timeline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(font)}" role="img" aria-label="${escapeXml(title)}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...titleLines.map(
      (line, i) =>
        `<text class="title" x="12" y="${22 + i * 18}" font-size="13" font-weight="bold" fill="${colors.text}">${escapeXml(line)}</text>`,
    ),
    ...noteLines.map(
      (line, i) =>
        `<text class="note" x="12" y="${noteTop + i * headerLine}" font-size="11" fill="${colors.fault}">${escapeXml(line)}</text>`,
    ),
    `<text x="12" y="${lanesTop - 6}" font-size="10" fill="${colors.muted}">connection</text>`,
    `<text x="${width - 12}" y="${lanesTop - 6}" font-size="10" text-anchor="end" fill="${colors.muted}">closed</text>`,
    lanes.lanes.length > 0 ? axis(track, lanes.t1, lanesTop, lanesBottom) : '',
    ...lanes.lanes.map((lane, i) =>
      drawLane(lane, lanesTop + i * shape.height, shape, track, width),
    ),
    withLegend ? legend(12, lanesBottom + 12, width - 24) : '',
    '</svg>',
  ].join('')
}
