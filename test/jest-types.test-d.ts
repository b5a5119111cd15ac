import { describe, expect, test } from '@jest/globals'
import type { TestServer } from '../src/index.js'
// Jest users' setup entry: its `declare module 'expect'` brings the matchers' types.
import '../src/jest.js'

declare const server: TestServer

describe('the matchers on Jest 30 expect', () => {
  test('take their documented arguments', () => {
    expect(server).toReuseConnection({ maxConnections: 1 })
    expect(server).not.toOpenNewSocketPerRequest()
    expect(server.requests).toUseConnections(2)
    expect(server).toUseAtMostConnections(2)
    expect(server).toSendConnectionHeader(/close/)
    expect(server).toHaveOpenConnections(0)
    expect({ server }).toEqual({ server: expect.toUseConnections(1) })
  })

  test('reject wrong arguments', () => {
    // @ts-expect-error n is a number
    expect(server).toUseConnections('2')
    // @ts-expect-error maxConnections is a number
    expect(server).toReuseConnection({ maxConnections: '1' })
  })
})
