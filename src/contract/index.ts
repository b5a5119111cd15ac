import { describe, test } from 'vitest'
import { runKeepAliveScenario } from './runner.js'
import { keepAliveScenarios } from './scenarios.js'
import type { KeepAliveContractOptions } from './types.js'

export { ContractFailure } from './run.js'
export type { ScenarioResult } from './runner.js'
export { runKeepAliveScenario } from './runner.js'
export type { Scenario } from './scenarios.js'
export { keepAliveScenarios } from './scenarios.js'
export type { ContractClient, ContractRequestInit, KeepAliveContractOptions } from './types.js'

/**
 * Registers a vitest `describe` block whose tests prove that an HTTP client keeps HTTP/1.1
 * keep-alive semantics, one test per scenario of docs/contract.md, each against fresh test
 * servers on loopback.
 *
 * @example
 * describeKeepAliveContract('my-sdk', {
 *   createClient: () => {
 *     const sdk = new MySdk()
 *     return { request: (url) => sdk.get(url), close: () => sdk.close() }
 *   },
 *   retriesStaleConnections: true,
 * })
 */
export function describeKeepAliveContract(name: string, options: KeepAliveContractOptions): void {
  describe(`keep-alive contract: ${name}`, () => {
    for (const [i, scenario] of keepAliveScenarios.entries()) {
      test(`${i + 1}. ${scenario.title}`, async (context) => {
        const result = await runKeepAliveScenario(scenario, options)
        if (result.status === 'skip') return context.skip(result.message)
        if (result.status === 'fail')
          throw new Error(`${name}: ${scenario.title}\n\n${result.message}`)
      })
    }
  })
}
