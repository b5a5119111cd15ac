// The verdict functions over hand-built journals: patterns no real client produces on demand
// (sparse connection ids, slices that start mid-connection, a million requests). The matcher
// tests under test/matchers cover every row of the verdict table with real clients.
import { describe, expect, test } from 'vitest'
import { describePattern, reusesConnection, usesConnections } from '../src/index.js'
import { journal } from './journal.js'

describe('reusesConnection', () => {
  test('judges connection ids far apart the same as dense ones', () => {
    const sparse = journal([7, 1_000_000_007, 7, 1_000_000_007])
    expect(reusesConnection(sparse).pass).toBe(true)
    expect(usesConnections(sparse, 2).pass).toBe(true)
    expect(reusesConnection(journal([7, 1_000_000_007, 1_000_000_007])).pass).toBe(false)
  })

  test('counts what a connection carried before a slice began', () => {
    const requests = journal([1, 1, 1, 2, 2])
    // #2 is the third request on connection 1; #3 the first on connection 2, the newest.
    expect(reusesConnection(requests.slice(2, 4)).pass).toBe(true)
    expect(describePattern(requests.slice(2, 4))).toBe('2 requests used 2 connections, each reused')
  })

  test('names at most eight dropped connections', () => {
    const requests = journal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 11])
    expect(describePattern(requests)).toBe(
      '12 requests used 11 connections; connections 1, 2, 3, 4, 5, 6, 7, 8 and 2 more carried a single request and were never used again (often a response body left unread, which keeps its socket busy)',
    )
  })
})

describe('describePattern', () => {
  test('puts a connection dropped after one request down to Connection: close when the client sent it', () => {
    const requests = journal([1, 2, 2]).map((request) =>
      request.connectionId === 1 ? { ...request, connectionHeader: 'Close' } : request,
    )
    expect(describePattern(requests)).toBe(
      '3 requests used 2 connections; connection 1 carried a single request and was never used again (the client sent Connection: close)',
    )
  })
})

// How fast the verdicts are over this journal is measured by `npm run bench`, not asserted here.
describe('over a journal of a million requests', () => {
  const million = journal(Array.from({ length: 1_000_000 }, (_, i) => i + 1))

  test('a failure message shows the head and tail of the timeline only', () => {
    let message = ''
    try {
      expect(million).toReuseConnection()
    } catch (error) {
      message = (error as Error).message
    }
    expect(message.split('\n')).toHaveLength(3 + 12 + 1 + 6)
    expect(message).toContain('  … 999982 more requests …')
  })
})
