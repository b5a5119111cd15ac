import { describe, expect, expectTypeOf, test } from 'vitest'
import * as matchers from '../matchers/index.js'
import { test as fixtureTest } from '../src/fixtures.js'
import type { RecordedRequest, TestServer, TestServerOptions } from '../src/index.js'
// The setup file is what brings the matchers' types to `expect`, for tsc as for users.
import './setup.js'

declare const server: TestServer
declare const request: RecordedRequest

describe('the matchers on expect', () => {
  test('take their documented arguments and return void', () => {
    expectTypeOf(expect(server).toReuseConnection()).toEqualTypeOf<void>()
    expectTypeOf(expect(server).toReuseConnection({ maxConnections: 1 })).toEqualTypeOf<void>()
    expectTypeOf(expect(server.requests).not.toOpenNewSocketPerRequest()).toEqualTypeOf<void>()
    expectTypeOf(expect(request).toUseConnections(2)).toEqualTypeOf<void>()
    expectTypeOf(expect(server).toUseAtMostConnections(2)).toEqualTypeOf<void>()
    expectTypeOf(expect(server).toSendConnectionHeader()).toEqualTypeOf<void>()
    expectTypeOf(expect(server).toSendConnectionHeader('close')).toEqualTypeOf<void>()
    expectTypeOf(expect(server).toSendConnectionHeader(/keep-alive/i)).toEqualTypeOf<void>()
    expectTypeOf(expect(server).toHaveOpenConnections(0)).toEqualTypeOf<void>()
    expectTypeOf(expect(server).toResumeTlsSession()).toEqualTypeOf<void>()
    expectTypeOf(
      expect(server).toReuseConnection({ protocol: 'h2', maxConnections: 1 }),
    ).toEqualTypeOf<void>()
    expectTypeOf(server.ca).toEqualTypeOf<string | undefined>()
  })

  test('reject wrong arguments', () => {
    // @ts-expect-error n is a number
    expect(server).toUseConnections('2')
    // @ts-expect-error n is required
    expect(server).toUseAtMostConnections()
    // @ts-expect-error maxConnections is a number
    expect(server).toReuseConnection({ maxConnections: '1' })
    // @ts-expect-error the option is maxConnections
    expect(server).toReuseConnection({ max: 1 })
    // @ts-expect-error a token or a RegExp
    expect(server).toSendConnectionHeader(true)
    // @ts-expect-error no arguments
    expect(server).toOpenNewSocketPerRequest(1)
    // @ts-expect-error 'http/1.1' or 'h2'
    expect(server).toReuseConnection({ protocol: 'http/2' })
    // @ts-expect-error no arguments
    expect(server).toResumeTlsSession(1)
  })

  test('return a promise after .resolves', () => {
    expectTypeOf(expect(Promise.resolve(server)).resolves.toReuseConnection()).toEqualTypeOf<
      Promise<void>
    >()
  })
})

describe('the matchers object', () => {
  test('fits expect.extend', () => {
    expect.extend(matchers)
  })
})

describe('the fixtures', () => {
  test('give each test a server and createServer', () => {
    fixtureTest('types', async ({ server, createServer }) => {
      expectTypeOf(server).toEqualTypeOf<TestServer>()
      expectTypeOf(createServer).parameter(0).toEqualTypeOf<TestServerOptions | undefined>()
      expectTypeOf(await createServer({ keepAlive: false })).toEqualTypeOf<TestServer>()
      // @ts-expect-error keepAlive is a boolean
      await createServer({ keepAlive: 'no' })
    })
  })
})

describe('the server options', () => {
  // Regression: a one-line handler returning res.end()'s value did not type-check.
  test('take a handler whatever it returns', () => {
    const options: TestServerOptions = { handler: (_req, res) => res.end('x') }
    expectTypeOf(options).toEqualTypeOf<TestServerOptions>()
  })
})
