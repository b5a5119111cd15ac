export { describeKeepAliveContract } from './describe.js'
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
