import { KeepAliveKitError } from '../errors.js'

/** Thrown when a client breaks a scenario of the contract. */
export class ContractFailure extends KeepAliveKitError {
  override name = 'ContractFailure'

  constructor(
    healthy: string,
    /** What this client did, without the description of a healthy one. */
    readonly detail: string,
  ) {
    super(`${healthy}\n\n${detail}`)
  }
}

/** Thrown inside a scenario that does not apply to this client; `reason` says why. */
export class ScenarioSkip extends Error {
  override name = 'ScenarioSkip'
}
