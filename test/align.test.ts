import { expect, test } from 'vitest'
import { alignColumns } from '../src/align.js'

test('alignColumns pads each column to its widest cell, leaves the last unpadded, cuts trailing spaces', () => {
  expect(
    alignColumns([
      ['#0', 'GET /', 'conn 1'],
      ['#10', 'GET /long', 'conn 2', 'Connection: close'],
      ['#2', ''],
    ]),
  ).toEqual(['#0   GET /      conn 1', '#10  GET /long  conn 2  Connection: close', '#2'])
})
