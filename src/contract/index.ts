export { describeKeepAliveContract } from './describe.js'
export { ContractFailure } from './failure.js'
export type { ScenarioResult } from './runner.js'
export { runKeepAliveScenario } from './runner.js'
export type { Scenario } from './scenarios.js'
export { keepAliveScenarios } from './scenarios.js'
export type {
  ClientTarget,
  ContractClient,
  ContractRequestInit,
  ContractRunner,
  CreateClient,
  KeepAliveContractOptions,
  Respond,
  RespondRequest,
  StreamBody,
} from './types.js'
