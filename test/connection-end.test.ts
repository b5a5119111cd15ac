import { describe, expect, test } from 'vitest'
import { connectionTable } from '../src/cli/html-tables.js'
import { closeOf } from '../src/connection-end.js'
import { renderTimelineSvg } from '../src/picture/svg.js'
import { formatConnection, formatConnectionEnds } from '../src/timeline.js'
import { connection, request } from './picture/records.js'

const byClient = connection({ id: 1, openedAt: 0 })
const idle = connection({ id: 2, openedAt: 1, closedBy: 'server', closeReason: 'idle-timeout' })
const faulted = connection({
  id: 3,
  openedAt: 2,
  closedBy: 'server',
  closeReason: 'server-closed',
  fault: 'reset',
  error: 'ECONNRESET: read ECONNRESET',
})
const open = connection({ id: 4, openedAt: 3, closedAt: undefined, closedBy: undefined })

describe('closeOf', () => {
  test('says who closed a connection and why, a fault in place of its reason', () => {
    expect([byClient, idle, faulted, open].map((c) => closeOf(c))).toEqual([
      'by client (client-closed)',
      'by server (idle-timeout)',
      'by server (fault reset)',
      'open',
    ])
    expect(closeOf(faulted, true)).toBe('by server (fault reset: ECONNRESET: read ECONNRESET)')
  })

  // Bug: "who closed and why" was worded in three places, and the picture said it differently.
  test('is the wording of the text timeline, the connection ends, the picture and the HTML table', () => {
    const connections = [byClient, idle, faulted]
    const requests = connections.map((c, index) =>
      request({ index, connectionId: c.id, receivedAt: c.openedAt + 0.5 }),
    )
    const svg = renderTimelineSvg({ requests, connections })
    const table = connectionTable(connections, 0)
    const ends = formatConnectionEnds(connections)
    for (const c of connections) {
      expect(formatConnection(c).endsWith(`  closed ${closeOf(c, true)}`)).toBe(true)
      expect(ends).toContain(` ms ${closeOf(c, true)}`)
      expect(svg).toContain(`>${closeOf(c)}<`)
      expect(table).toContain(`<td>${closeOf(c)}</td>`)
    }
  })
})
