import type { Usage } from './usage.js'

/** `1 request`, `5,000 requests`: the one plural of the verdicts, the picture and the CLI. */
export const plural = (n: number, word: string): string =>
  `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`

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
    const unfinished = usage.unfinished.map(({ id }) => id)
    const left = [
      ...(idle.length > 0 ? [`${connectionsNamed(idle)} sat idle`] : []),
      ...(unfinished.length > 0
        ? [`${connectionsNamed(unfinished)} held a response that never finished being written`]
        : []),
    ]
    const those = idle.length + unfinished.length === 1 ? 'that one was' : 'those were'
    return `${used}; ${connectionsNamed(opened)} opened while ${left.join(' and ')}, and ${those} never used again`
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
    : ` (judged the last ${plural(judged, 'request')} of ${(judged + dropped).toLocaleString('en-US')}; ${plural(dropped, 'earlier request')} ${dropped === 1 ? 'was' : 'were'} not kept)`
