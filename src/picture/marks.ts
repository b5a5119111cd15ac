import type { RecordedRequest } from '../types.js'
import { plural } from '../verdicts/wording.js'
import { colors } from './legend.js'
import { escapeXml, formatDuration, px, truncate } from './text.js'

/** Where the lanes are drawn and how time maps onto them. */
export interface Track {
  readonly left: number
  readonly right: number
  readonly t0: number
  /** x of a moment on the `performance.now()` clock. */
  readonly x: (t: number) => number
}

/** Marks closer than this would overlap: a lane with more than fit is counted per bin. */
export const minSpacing = 5
/** Width of one bin of counted marks. */
export const binWidth = 4
/** Width of one character of the picture's monospace text, per px of font size. */
export const charWidth = 0.62

const at = (track: Track, t: number): string => formatDuration(t - track.t0)

/** What a request's mark says on hover. Its HTTP/2 stream id and response time would go here. */
const requestTitle = (request: RecordedRequest, track: Track): string =>
  `#${request.index} ${request.method} ${truncate(request.url, 200)}\nconn ${request.connectionId}, request ${request.indexOnConnection + 1} on it, at ${at(track, request.receivedAt)}\n${request.connectionHeader === undefined ? '(no Connection header)' : `Connection: ${truncate(request.connectionHeader, 80)}`}`

/** The short label above a mark, when there is room for it. */
const requestLabel = (request: RecordedRequest): string =>
  truncate(`${request.method} ${request.url}`, 28)

/**
 * One mark per request, each labelled where a label fits before `limit`: in `tiers` rows above
 * the lane, a label goes in the first row whose last label ends before this mark, and must end
 * before the mark that will want that row next. Where method and path do not fit, the request's
 * index does (`#3`, as in the text timeline and the table).
 */
export function requestMarks(
  requests: readonly RecordedRequest[],
  y: number,
  track: Track,
  tiers: number,
  limit: number,
) {
  const parts: string[] = []
  const labelEnds: number[] = Array.from({ length: tiers }, () => Number.NEGATIVE_INFINITY)
  requests.forEach((request, i) => {
    const x = track.x(request.receivedAt)
    const color = request.reusedConnection ? colors.reused : colors.newConnection
    parts.push(
      `<rect class="mark" x="${px(x - 1.5)}" y="${y - 6}" width="3" height="12" fill="${color}"><title>${escapeXml(requestTitle(request, track))}</title></rect>`,
    )
    const start = x - 1.5
    const later = requests[i + tiers]
    const room = Math.min(limit, later === undefined ? limit : track.x(later.receivedAt) - 1.5)
    for (const label of [requestLabel(request), `#${request.index}`]) {
      const width = label.length * 10 * charWidth
      const tier = labelEnds.findIndex((end) => start >= end)
      if (tier === -1 || start + width + 4 > room) continue
      parts.push(
        `<text class="mark-label" x="${px(start)}" y="${y - 9 - tier * 11}" font-size="10" fill="${colors.muted}">${escapeXml(label)}</text>`,
      )
      labelEnds[tier] = start + width + 4
      break
    }
  })
  return parts.join('')
}

/** Requests counted per bin: bar height is the count, colour the majority (new or reused). */
export function requestBins(requests: readonly RecordedRequest[], y: number, track: Track) {
  const bins = new Map<number, { count: number; reused: number; from: number; to: number }>()
  for (const request of requests) {
    const bin = Math.floor((track.x(request.receivedAt) - track.left) / binWidth)
    const seen = bins.get(bin) ?? { count: 0, reused: 0, from: request.receivedAt, to: 0 }
    seen.count++
    if (request.reusedConnection) seen.reused++
    seen.to = request.receivedAt
    bins.set(bin, seen)
  }
  let most = 1
  for (const { count } of bins.values()) most = Math.max(most, count)
  const parts: string[] = []
  for (const [bin, { count, reused, from, to }] of bins) {
    const height = 3 + Math.round((11 * count) / most)
    const color = reused * 2 >= count ? colors.reused : colors.newConnection
    const title = `${plural(count, 'request')}, ${reused.toLocaleString('en-US')} on a reused connection, ${at(track, from)} to ${at(track, to)}`
    parts.push(
      `<rect class="bin" x="${px(track.left + bin * binWidth)}" y="${y + 6 - height}" width="${binWidth - 1}" height="${height}" fill="${color}"><title>${escapeXml(title)}</title></rect>`,
    )
  }
  return parts.join('')
}
