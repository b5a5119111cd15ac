import type { ScenarioContext } from '../context.js'
import type { ResolvedContractOptions } from '../options.js'

/** One scenario of the contract: what it checks, what a healthy client does, and the check. */
export interface Scenario {
  readonly id: string
  /** A few words for a table column. */
  readonly short: string
  readonly title: string
  readonly healthy: string
  /** Runs with the client from `createClientWithoutKeepAlive`. */
  readonly withoutKeepAlive?: boolean
  /**
   * The most `requestTimeout`s the scenario can spend waiting (one per request, one per wait for
   * a close): its test timeout is set above that, so a hang is reported by the contract.
   */
  readonly waits: number
  /**
   * `false` for a scenario whose failure is not about reuse: a client that never reuses does not
   * fail it for that reason, so its failure never points to that root cause.
   */
  readonly judgesReuse?: false
  /** Why the scenario does not apply, known from the options alone. */
  skip?(options: ResolvedContractOptions): string | undefined
  /**
   * Runs the scenario; throws a `ContractFailure`, or a `ScenarioSkip` when it finds it does
   * not apply; resolves to the connection pattern seen.
   */
  run(context: ScenarioContext): Promise<string>
}

/** `count` paths under `base`: `/base/1`, `/base/2`, … */
export const paths = (base: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${base}/${i + 1}`)
