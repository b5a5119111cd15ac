import { describe as jestDescribe, test as jestTest } from '@jest/globals'
import { describe, expectTypeOf, test } from 'vitest'
import type {
  ContractRunner,
  CreateClient,
  KeepAliveContractOptions,
  Respond,
} from '../../src/contract/index.js'

describe('the contract options', () => {
  test('tls, http2 and resumesTlsSessions are flags; tls takes no certificate', () => {
    const options: KeepAliveContractOptions = {
      createClient: ({ baseUrl, ca }) => ({ request: async () => [baseUrl, ca] }),
      tls: true,
      http2: true,
      resumesTlsSessions: true,
    }
    expectTypeOf(options).toExtend<KeepAliveContractOptions>()
    // @ts-expect-error the contract serves the built-in test certificate
    const own: KeepAliveContractOptions = { createClient: options.createClient, tls: { key: 'k' } }
    expectTypeOf(own).toExtend<KeepAliveContractOptions>()
  })

  test("Jest's and vitest's describe and test are runners", () => {
    expectTypeOf({ describe: jestDescribe, test: jestTest }).toExtend<ContractRunner>()
    expectTypeOf({ describe, test }).toExtend<ContractRunner>()
  })

  test('createClient may ignore its argument, and respond may return anything, or a promise', () => {
    expectTypeOf(() => ({ request: async () => 'ok' })).toExtend<CreateClient>()
    expectTypeOf(async () => new Response('x')).toExtend<Respond>()
  })
})
