import { KeepAliveKitError } from '../errors.js'

/**
 * Thrown inside a scenario when the client breaks it; `runKeepAliveScenario` turns it into a
 * `status: 'fail'` result whose `message` is this error's.
 */
export class ContractFailure extends KeepAliveKitError {
  override name = 'ContractFailure'

  constructor(
    healthy: string,
    /** What this client did, without the description of a healthy one. */
    readonly detail: string,
    /** The one sentence that says what the client did: the verdict's summary, or the detail. */
    readonly finding: string = detail,
  ) {
    super(`${healthy}\n\n${detail}`)
  }
}

/** Thrown inside a scenario that does not apply to this client; `reason` says why. */
export class ScenarioSkip extends Error {
  override name = 'ScenarioSkip'
}
