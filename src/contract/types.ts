/** What a request in the contract may ask of the client. */
export interface ContractRequestInit {
  method?: string
  headers?: Record<string, string>
}

/**
 * The client under test, as the contract drives it. `request` resolves once the response has
 * been fully handled, the way your users handle it (body read, or discarded); it may reject for
 * error statuses if your SDK does.
 */
export interface ContractClient {
  request(url: string, init?: ContractRequestInit): Promise<unknown>
  /**
   * Closes the client's connections; a returned promise is awaited, whatever it resolves to.
   * Without it, the `close()` scenario is skipped.
   */
  close?(): unknown
}

/** What the adopter passes to `describeKeepAliveContract`. Every flag has a documented default. */
export interface KeepAliveContractOptions {
  /** Makes a fresh client; called once per scenario. */
  createClient: () => ContractClient | Promise<ContractClient>
  /**
   * Makes a client with keep-alive switched off. Without it, the "keep-alive off" scenario is
   * skipped.
   */
  createClientWithoutKeepAlive?: () => ContractClient | Promise<ContractClient>
  /**
   * Whether the client retries a request whose reused connection the server closed under it
   * (the stale-socket race). Default `false`: the failure must surface as an error, promptly.
   */
  retriesStaleConnections?: boolean
  /** The most connections the client opens to one server at once. Default: no limit. */
  poolSize?: number
  /** How many requests the concurrency scenario sends in parallel. Default `5`. */
  concurrency?: number
  /** ms a single request may take before the contract calls it hung. Default `5000`. */
  requestTimeout?: number
}
