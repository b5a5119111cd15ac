import type { Usage } from './usage.js'

/** `1 request`, `2 requests`. */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** Lists at most `max` items, then says how many more there were. */
export const some = (items: readonly (string | number)[], max = 8): string =>
  items.length > max
    ? `${items.slice(0, max).join(', ')} and ${items.length - max} more`
    : items.join(', ')

/** `connection 1` or `connections 1, 2`. */
export const connectionsNamed = (ids: readonly number[]): string =>
  `${ids.length === 1 ? 'connection' : 'connections'} ${some(ids)}`

/** The one sentence every report prints about what the requests did with their connections. */
export function sentence(
  count: number,
  usage: Usage,
  only: { indexOnConnection: number } | undefined,
): string {
  const used = `${plural(count, 'request')} used ${plural(usage.used, 'connection')}`
  if (count === 1 && only !== undefined)
    return only.indexOnConnection > 0
      ? `${used}, which had carried ${plural(only.indexOnConnection, 'request')} before it`
      : `${used}, as its first request`
  if (usage.reused === 0) return `${used}; none was reused`
  if (usage.used === 1) return `${used}; ${plural(usage.reused, 'request')} reused it`
  const opened = [...new Set(usage.missed.map((miss) => miss.opened))]
  if (opened.length > 0) {
    const idle = usage.abandoned
    return `${used}; ${connectionsNamed(opened)} opened while ${connectionsNamed(idle)} sat idle, and ${idle.length === 1 ? 'that one was' : 'those were'} never used again`
  }
  return `${used}; ${plural(usage.reused, 'request')} reused a connection, and none opened while another sat idle`
}

/**
 * What a bounded journal did not keep, said after the sentence (docs/server.md); empty when it
 * kept every request.
 */
export const notKept = (judged: number, dropped: number): string =>
  dropped === 0
    ? ''
    : ` (judged the last ${plural(judged, 'request')} of ${judged + dropped}; ${plural(dropped, 'earlier request')} ${dropped === 1 ? 'was' : 'were'} not kept)`
