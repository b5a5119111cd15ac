import { once } from 'node:events'
import { KeepAliveKitError } from '../errors.js'
import { createTestServer, type TestServer } from '../server.js'
import type { RecordedRequest, TestServerOptions } from '../types.js'
import type { Verdict } from '../verdicts.js'
import type { ContractClient, ContractRequestInit, KeepAliveContractOptions } from './types.js'

/** A matcher as `keepalive-kit/matchers` exports it, called with a plain context. */
type Matcher<Args extends unknown[]> = (
  this: { isNot: boolean },
  received: unknown,
  ...args: Args
) => { pass: boolean; message: () => string; verdict?: Verdict }

/** Thrown when a client breaks a scenario of the contract. */
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

/** The options with every default filled in. */
export type ResolvedContractOptions = Required<
  Omit<KeepAliveContractOptions, 'createClientWithoutKeepAlive'>
> &
  Pick<KeepAliveContractOptions, 'createClientWithoutKeepAlive'>

/** What a scenario works with: its client, servers closed after it, and checks that throw. */
export class ScenarioContext {
  readonly #servers: TestServer[] = []

  constructor(
    readonly client: ContractClient,
    readonly options: ResolvedContractOptions,
    readonly healthy: string,
  ) {}

  async server(options?: TestServerOptions): Promise<TestServer> {
    const server = await createTestServer(options)
    this.#servers.push(server)
    return server
  }

  /** Sends one request; a request still pending after `requestTimeout` fails the scenario. */
  async request(url: string, init?: ContractRequestInit): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined
    const hung = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ContractFailure(
              this.healthy,
              `the request to ${url} did not settle within ${this.options.requestTimeout} ms: the client hung.`,
            ),
          ),
        this.options.requestTimeout,
      )
    })
    try {
      return await Promise.race([this.client.request(url, init), hung])
    } finally {
      clearTimeout(timer)
    }
  }

  /** Sends requests one after another, failing the scenario on the first error. */
  async sequential(urls: readonly string[]): Promise<void> {
    for (const [i, url] of urls.entries()) {
      try {
        await this.request(url)
      } catch (error) {
        if (error instanceof ContractFailure) throw error
        this.fail(`request ${i + 1} of ${urls.length} (${url}) failed: ${String(error)}`)
      }
    }
  }

  /** Runs a matcher; throws its failure message, led by what a healthy client does. */
  expect<Args extends unknown[]>(matcher: Matcher<Args>, received: unknown, ...args: Args): void {
    const result = matcher.call({ isNot: false }, received, ...args)
    if (!result.pass)
      throw new ContractFailure(this.healthy, result.message(), result.verdict?.summary)
  }

  fail(message: string): never {
    throw new ContractFailure(this.healthy, message)
  }

  /** Resolves once `server` has no open connection, or fails after `requestTimeout`. */
  async allClosed(server: TestServer): Promise<void> {
    const deadline = AbortSignal.timeout(this.options.requestTimeout)
    while (server.openConnections.length > 0) {
      try {
        await once(server, 'connectionClose', { signal: deadline })
      } catch {
        return
      }
    }
    // The server's close event comes before the client has read the FIN; let the client's side
    // of the loopback run so it drops the socket from its pool before the next request.
    for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve))
  }

  /** The connection pattern of every server the scenario started, for a failure report. */
  pattern(): string {
    return this.#servers.map((server) => patternOf(server.requests)).join(' | ')
  }

  async dispose(): Promise<void> {
    await Promise.allSettled([
      this.client.close?.(),
      ...this.#servers.map((server) => server.close()),
    ])
  }
}

/** The connection ids of requests, as a pattern such as `1,2,1,2`. */
export const patternOf = (requests: readonly RecordedRequest[]): string =>
  requests.map((request) => request.connectionId).join(',')

/** Fills in the documented defaults and checks the options. */
export function resolveContractOptions(options: KeepAliveContractOptions): ResolvedContractOptions {
  if (typeof options?.createClient !== 'function')
    throw new KeepAliveKitError(
      'describeKeepAliveContract() needs `createClient: () => ({ request(url) { … } })`.',
    )
  return {
    retriesStaleConnections: false,
    poolSize: Number.POSITIVE_INFINITY,
    concurrency: 5,
    requestTimeout: 5000,
    ...options,
  }
}
