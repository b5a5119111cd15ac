import { ContractFailure, resolveContractOptions, ScenarioContext } from './run.js'
import type { Scenario } from './scenarios.js'
import type { KeepAliveContractOptions } from './types.js'

/** How one scenario went for one client. */
export interface ScenarioResult {
  readonly id: string
  readonly title: string
  readonly status: 'pass' | 'fail' | 'skip'
  /** The connection id of each request, e.g. `1,2,1,2,1`; `|` separates phases or servers. */
  readonly pattern: string
  /** Why it failed or was skipped; empty when it passed. */
  readonly message: string
  /** For a failure, what the client did, without what a healthy client does. */
  readonly detail: string
  /** For a failure, one sentence saying what the client did (a verdict's summary); else empty. */
  readonly finding: string
}

/**
 * Runs one scenario against a fresh client and fresh servers, and closes them all afterwards.
 * The client's failures come back as `status: 'fail'` with the scenario's message.
 *
 * @example
 * const result = await runKeepAliveScenario(keepAliveScenarios[0], { createClient })
 * result.status // 'pass'
 */
export async function runKeepAliveScenario(
  scenario: Scenario,
  options: KeepAliveContractOptions,
): Promise<ScenarioResult> {
  const resolved = resolveContractOptions(options)
  const { id, title } = scenario
  const result = (
    status: ScenarioResult['status'],
    pattern: string,
    message: string,
    detail = message,
    finding = '',
  ): ScenarioResult => ({
    id,
    title,
    status,
    pattern,
    message,
    detail,
    finding,
  })
  const factory = scenario.withoutKeepAlive
    ? resolved.createClientWithoutKeepAlive
    : resolved.createClient
  if (factory === undefined) return result('skip', '', 'no `createClientWithoutKeepAlive` given')
  const client = await factory()
  const context = new ScenarioContext(client, resolved, scenario.healthy)
  try {
    const skip = scenario.skip?.(resolved, client)
    if (skip !== undefined) return result('skip', '', skip)
    return result('pass', await scenario.run(context), '')
  } catch (error) {
    if (!(error instanceof ContractFailure)) throw error
    return result('fail', context.pattern(), error.message, error.detail, error.finding)
  } finally {
    await context.dispose()
  }
}
