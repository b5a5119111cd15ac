import { ScenarioContext, type ServerRecord } from './context.js'
import { ContractFailure, ScenarioSkip } from './failure.js'
import { type ResolvedContractOptions, resolveContractOptions } from './options.js'
import { formatRetry } from './retries.js'
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
  /** How many requests repeated an earlier one that failed (a 5xx, or no answer). */
  readonly retries: number
  /** One line per retry: which request repeated which, after what, and its retry headers. */
  readonly retryLines: readonly string[]
  /** Every request of the scenario opened a new connection: the client never reused one. */
  readonly neverReused: boolean
  /** Some request of the scenario travelled on a connection that had carried one before. */
  readonly reused: boolean
  /** For a failure, one sentence saying what the client did (a verdict's summary); else empty. */
  readonly finding: string
  /** What each server the scenario started recorded (`survey --html` draws it); none when skipped before it ran. */
  readonly servers: readonly ServerRecord[]
}

/**
 * Runs one scenario against a fresh client and fresh servers, and closes them all afterwards.
 * The client's failures come back as `status: 'fail'` with the scenario's message.
 */
export async function runKeepAliveScenario(
  scenario: Scenario,
  options: KeepAliveContractOptions,
): Promise<ScenarioResult> {
  return await runScenario(scenario, resolveContractOptions(options))
}

/** Runs one scenario with options already checked. */
export async function runScenario(
  scenario: Scenario,
  resolved: ResolvedContractOptions,
): Promise<ScenarioResult> {
  const skipped = scenario.skip?.(resolved)
  if (skipped !== undefined) return skippedResult(scenario, skipped)
  const { id, title } = scenario
  const factory = scenario.withoutKeepAlive
    ? resolved.createClientWithoutKeepAlive
    : resolved.createClient
  if (factory === undefined) throw new Error(`scenario ${id} has no client factory`)
  const context = new ScenarioContext(id, resolved, scenario.healthy, factory)
  const outcome = await run(scenario, context)
  const closed = await context.dispose()
  const retries = context.retries()
  const found = {
    id,
    title,
    retries: retries.length,
    retryLines: retries.map(formatRetry),
    neverReused: scenario.judgesReuse !== false && context.neverReused(),
    reused: context.reusedAny(),
    servers: context.records(),
  }
  if (outcome instanceof ScenarioSkip)
    return { ...skippedResult(scenario, outcome.message), ...found, status: 'skip' }
  if (outcome instanceof ContractFailure)
    return {
      ...found,
      status: 'fail',
      pattern: context.pattern(),
      message: outcome.message,
      detail: outcome.detail,
      finding: outcome.finding,
    }
  if (!closed) {
    const failure = new ContractFailure(
      scenario.healthy,
      `the client's close() did not settle within ${resolved.requestTimeout} ms (requestTimeout).`,
    )
    return {
      ...found,
      status: 'fail',
      pattern: outcome,
      message: failure.message,
      detail: failure.detail,
      finding: failure.finding,
    }
  }
  return { ...found, status: 'pass', pattern: outcome, message: '', detail: '', finding: '' }
}

/** The result of a scenario that does not apply, for the reason given. */
export const skippedResult = ({ id, title }: Scenario, message: string): ScenarioResult => ({
  id,
  title,
  status: 'skip',
  message,
  pattern: '',
  retries: 0,
  retryLines: [],
  neverReused: false,
  reused: false,
  detail: '',
  finding: '',
  servers: [],
})

/** The scenario's pattern, or the failure or skip that ended it; anything else is thrown. */
async function run(
  scenario: Scenario,
  context: ScenarioContext,
): Promise<string | ContractFailure | ScenarioSkip> {
  try {
    return await scenario.run(context)
  } catch (error) {
    if (error instanceof ContractFailure || error instanceof ScenarioSkip) return error
    await context.dispose()
    throw error
  }
}
