import type { RecordedConnection } from '../types.js'
import { escapeXml } from './text.js'

/** The picture's colours, one home so marks and legend agree. */
export const colors = {
  newConnection: '#d97706',
  reused: '#15803d',
  lane: '#9ca3af',
  byClient: '#2563eb',
  byServer: '#7c3aed',
  fault: '#dc2626',
  text: '#111827',
  muted: '#6b7280',
} as const

/** The kind of close a mark shows: who closed, or a fault, reset or error. */
export function closeColor(connection: RecordedConnection): string {
  if (
    connection.fault !== undefined ||
    connection.closeReason === 'client-reset' ||
    connection.closeReason === 'error'
  )
    return colors.fault
  return connection.closedBy === 'client' ? colors.byClient : colors.byServer
}

const item = (x: number, y: number, symbol: string, label: string): string =>
  `<g class="legend-item" transform="translate(${x},${y})">${symbol}<text x="18" y="4">${escapeXml(label)}</text></g>`

const bar = (color: string, height: number): string =>
  `<rect x="5" y="${-height / 2}" width="3" height="${height}" fill="${color}"/>`

const line = (dashed: boolean): string =>
  `<line x1="0" y1="0" x2="13" y2="0" stroke="${colors.lane}" stroke-width="2"${dashed ? ' stroke-dasharray="3 2"' : ''}/>`

/** Height the legend takes below the lanes. */
export const legendHeight = 68

/** The legend: what each mark, line, colour and duration means, in three rows of three. */
export function legend(x: number, y: number, width: number): string {
  const column = width / 3
  const items = [
    [bar(colors.newConnection, 12), 'request, new connection'],
    [bar(colors.reused, 12), 'request, reused connection'],
    [
      `<text x="-2" y="4" font-size="10" font-style="italic" fill="${colors.muted}">ms</text>`,
      'time between events on a lane',
    ],
    [line(false), 'connection open'],
    [line(true), 'connection, no request'],
    [`<path d="M0,-5 L9,0 L0,5 Z" fill="${colors.lane}"/>`, 'still open'],
    [bar(colors.byClient, 18), 'closed by the client'],
    [bar(colors.byServer, 18), 'closed by the server'],
    [bar(colors.fault, 18), 'fault, reset or error'],
  ] as const
  const drawn = items.map(([symbol, label], i) =>
    item(x + (i % 3) * column, y + 12 + Math.floor(i / 3) * 20, symbol, label),
  )
  return `<g class="legend" font-size="11" fill="${colors.text}">${drawn.join('')}</g>`
}
