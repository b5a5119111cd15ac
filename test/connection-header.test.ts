import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { asksToClose, hasToken, requestAsksToClose } from '../src/connection-header.js'

describe('hasToken', () => {
  test('finds a token in a comma-separated list, whatever its case and spacing', () => {
    expect(hasToken('close', 'close')).toBe(true)
    expect(hasToken('Keep-Alive, Upgrade', 'upgrade')).toBe(true)
    expect(hasToken(' TE ,close', 'close')).toBe(true)
  })

  // Bug: the header was matched by substring, so `close-later` counted as `close`.
  test('does not take a longer token for the one asked', () => {
    expect(hasToken('close-later', 'close')).toBe(false)
    expect(hasToken('not-keep-alive', 'keep-alive')).toBe(false)
    expect(hasToken(undefined, 'close')).toBe(false)
  })

  test('scanning in place decides as splitting, trimming and lower-casing each item did', () => {
    const reference = (header: string, token: string): boolean =>
      header.split(',').some((item) => item.trim().toLowerCase() === token)
    const piece = fc.constantFrom(
      'close',
      'Close',
      'keep-alive',
      'Keep-Alive',
      'upgrade',
      'TE',
      ',',
      ' ',
      '\t',
      '\u00a0',
      '\u212a',
      'x',
      '-later',
      '\u0130',
      '\ufeff',
    )
    const header = fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join(''))
    const token = fc.constantFrom('close', 'keep-alive', 'upgrade', 'te', 'k')
    fc.assert(
      fc.property(header, token, (value, wanted) => {
        expect(hasToken(value, wanted)).toBe(reference(value, wanted))
      }),
      { numRuns: 2000 },
    )
    expect(hasToken('keep-alive, keep-alive', 'keep-alive')).toBe(true)
    expect(hasToken('keep-alive, keep-alive', 'close')).toBe(false)
  })
})

describe('asksToClose', () => {
  test('HTTP/1.1 keeps the connection unless the header lists close', () => {
    expect(asksToClose('1.1', undefined)).toBe(false)
    expect(asksToClose('1.1', 'keep-alive')).toBe(false)
    expect(asksToClose('1.1', 'Close')).toBe(true)
    expect(asksToClose('1.1', 'close-later')).toBe(false)
  })

  test('HTTP/1.0 closes unless the header lists keep-alive', () => {
    expect(asksToClose('1.0', undefined)).toBe(true)
    expect(asksToClose('1.0', 'Keep-Alive')).toBe(false)
    expect(asksToClose('1.0', 'not-keep-alive')).toBe(true)
  })
})

describe('requestAsksToClose', () => {
  // Bug: h2 streams (httpVersion '2.0', no Connection header) were read as HTTP/1.0 closes.
  test('an HTTP/2 stream never asks to close, whatever its version says', () => {
    expect(
      requestAsksToClose({ httpVersion: '2.0', connectionHeader: undefined, streamId: 1 }),
    ).toBe(false)
  })

  test('an HTTP/1 request follows its version and header', () => {
    expect(requestAsksToClose({ httpVersion: '1.0', connectionHeader: undefined })).toBe(true)
    expect(requestAsksToClose({ httpVersion: '1.1', connectionHeader: 'close' })).toBe(true)
    expect(requestAsksToClose({ httpVersion: '1.1', connectionHeader: undefined })).toBe(false)
  })
})
