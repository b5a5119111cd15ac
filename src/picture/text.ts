// Characters XML 1.0 forbids even when escaped; a client can put them in a path.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters to remove
const forbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g

/** Text made safe inside an SVG element or a double- or single-quoted attribute. */
export const escapeXml = (text: string): string =>
  text
    .replace(forbidden, '\ufffd')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')

/** At most `max` characters, the cut marked with an ellipsis. */
export const truncate = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`

/** A duration in ms as a person reads it: `0.4 ms`, `12 ms`, `1.25 s`. */
export function formatDuration(ms: number): string {
  if (ms < 10) return `${Number(ms.toFixed(1))} ms`
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 10_000) return `${Number((ms / 1000).toFixed(2))} s`
  return `${Number((ms / 1000).toFixed(1))} s`
}

/** Rounds a coordinate so the SVG stays short and deterministic. */
export const px = (value: number): string => String(Math.round(value * 10) / 10)
