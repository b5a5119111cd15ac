import { describe as jestDescribe, test as jestTest } from '@jest/globals'
import { describe, expectTypeOf, test } from 'vitest'
import type {
  ContractRunner,
  CreateClient,
  KeepAliveContractOptions,
  Respond,
} from '../../src/contract/index.js'

describe('the contract options', () => {
  test('tls and http2 are not options yet', () => {
    const options: KeepAliveContractOptions = {
      createClient: () => ({ request: async () => 'ok' }),
      // @ts-expect-error the contract does not run over HTTPS yet
      tls: true,
    }
    expectTypeOf(options).toExtend<KeepAliveContractOptions>()
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
