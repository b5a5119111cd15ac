/// <reference types="jest" />
// The global `expect` that @types/jest declares, as Jest projects without @jest/globals use it.
import type { TestServer } from '../src/index.js'
import '../src/jest.js'

declare const server: TestServer

// Regression: the types reached @jest/globals' `expect` but not the global one.
describe('the matchers on the global expect of @types/jest', () => {
  test('take their documented arguments', () => {
    expect(server).toReuseConnection({ maxConnections: 1 })
    expect(server).not.toOpenNewSocketPerRequest()
    expect(server.requests).toUseConnections(2)
    expect(server).toSendConnectionHeader(/close/)
    expect({ server }).toEqual({ server: expect.toUseConnections(1) })
    expect({ server }).toEqual({ server: expect.not.toUseConnections(2) })
  })

  test('reject wrong arguments', () => {
    // @ts-expect-error n is a number
    expect(server).toUseConnections('2')
    // @ts-expect-error maxConnections is a number
    expect(server).toReuseConnection({ maxConnections: '1' })
  })
})
