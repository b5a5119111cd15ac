import { once } from 'node:events'
import type { TestServer } from '../server.js'
import { formatTimeline } from '../timeline.js'
import type { RecordedConnection, RecordedRequest } from '../types.js'
import type { Verdict } from '../verdicts.js'
import { ContractFailure, ScenarioSkip } from './failure.js'
import { notHttps, notHttpsMessage, overHttps } from './https-hint.js'
import type { ResolvedContractOptions } from './options.js'
import { findRetries, type Retry } from './retries.js'
import {
  describeServers,
  type ScenarioServerOptions,
  type Started,
  startServer,
} from './scenario-server.js'
import type { ContractClient, ContractRequestInit, CreateClient } from './types.js'

export type { Answer, Reply } from './scenario-server.js'

const settles = (promise: unknown, ms: number): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    Promise.resolve(promise).then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

/** What a scenario works with: its servers, its client, and checks that throw. */
export class ScenarioContext {
  readonly #started: Started[] = []
  #client: ContractClient | undefined
  #calls = 0
  /** An error thrown by the adopter's `respond`, reported instead of the 500 it caused. */
  #respondError: unknown

  constructor(
    readonly id: string,
    readonly options: ResolvedContractOptions,
    readonly healthy: string,
    readonly createClient: CreateClient,
  ) {}

  /**
   * Starts a server for the scenario. The first one is the client's: `createClient` is called
   * with its URL once it listens.
   */
  async server(options: ScenarioServerOptions = {}): Promise<TestServer> {
    const { tls, http2 } = this.options
    const over = { ...(tls ? { tls } : {}), ...(http2 ? { http2 } : {}) }
    const started = await startServer({ ...over, ...options }, this.options.respond, (error) => {
      this.#respondError ??= error
    })
    this.#started.push(started)
    const { server } = started
    if (this.#client === undefined) {
      const { ca } = server
      this.#client = await this.bounded(`createClient({ baseUrl: '${server.url}' })`, () =>
        this.createClient({ baseUrl: server.url, ca }),
      )
    }
    return server
  }

  /** The client, made with the first server's URL. */
  get client(): ContractClient {
    if (this.#client === undefined) throw new Error('a scenario used its client before a server')
    return this.#client
  }

  /** The init of the next request: a `POST` with a JSON body when the contract runs with `post`. */
  init(headers?: Record<string, string>): ContractRequestInit | undefined {
    this.#calls++
    const { post } = this.options
    if (post === undefined) return headers ? { headers } : undefined
    const json = post === true ? { scenario: this.id, request: this.#calls } : post
    return {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(json),
    }
  }

  /** Fails with a hang, with the servers' timeline, if `work` is still pending after the timeout. */
  async bounded<T>(what: string, work: () => T | Promise<T>): Promise<Awaited<T>> {
    let timer: NodeJS.Timeout | undefined
    const ms = this.options.requestTimeout
    const hung = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ContractFailure(
              this.healthy,
              `${what} did not settle within ${ms} ms (requestTimeout): the client hung.\n\n${this.evidence()}`,
            ),
          ),
        ms,
      )
    })
    try {
      return await Promise.race([Promise.resolve().then(work), hung])
    } finally {
      clearTimeout(timer)
      this.#checkRespond()
    }
  }

  /** Sends one request; a request still pending after `requestTimeout` fails the scenario. */
  request(url: string): Promise<unknown> {
    const init = this.init()
    return this.bounded(`the request to ${url}`, () => this.client.request(url, init))
  }

  /** Sends one request and tells whether it succeeded; a hang still fails the scenario. */
  async attempt(url: string): Promise<{ error?: unknown }> {
    try {
      await this.request(url)
      return {}
    } catch (error) {
      if (error instanceof ContractFailure) throw error
      this.#checkRespond()
      const https = this.options.tls ? notHttpsMessage(error, this.#servers()) : undefined
      if (https !== undefined) throw new ContractFailure(overHttps, https, notHttps)
      return { error }
    }
  }

  /** Sends requests one after another, failing the scenario on the first error. */
  async sequential(urls: readonly string[]): Promise<void> {
    for (const [i, url] of urls.entries()) {
      const { error } = await this.attempt(url)
      if (error !== undefined)
        this.fail(
          `request ${i + 1} of ${urls.length} (${url}) failed: ${String(error)}${this.#trustHint(error)}`,
        )
    }
  }

  /** Over TLS, a certificate error means the client was not given the CA: say where it is. */
  #trustHint(error: unknown): string {
    const code = (error as { code?: unknown } | null)?.code
    const certificate =
      /CERT|SIGNATURE|UNABLE_TO_VERIFY/.test(String(code)) || /certificate/i.test(String(error))
    if (!this.options.tls || !certificate) return ''
    return '\nThe client does not trust the test certificate: give it the `ca` that createClient({ baseUrl, ca }) receives (docs/tls.md says how for each client).'
  }

  /** Fails with the verdict's sentence and timeline unless it passed. */
  expect(verdict: Verdict, statement: string): void {
    if (!verdict.pass)
      throw new ContractFailure(
        this.healthy,
        `${statement}\n\n${verdict.summary}:\n${formatTimeline(verdict.requests)}\n\n${this.evidence(false)}`,
        verdict.summary,
      )
  }

  /** Fails the scenario, with what every server recorded. */
  fail(message: string): never {
    throw new ContractFailure(this.healthy, `${message}\n\n${this.evidence()}`, message)
  }

  skip(reason: string): never {
    throw new ScenarioSkip(reason)
  }

  /** Resolves once `server` has no open connection, or after `requestTimeout`. */
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

  /** Every request that repeated an earlier failed one, server by server. */
  retries(): Retry[] {
    return this.#started.flatMap(({ server, exchanges }) => findRetries(server.requests, exchanges))
  }

  /** The connection pattern of every server the scenario started, `|` between servers. */
  pattern(): string {
    const label = this.#started.length > 1
    return this.#started
      .map(({ server }, i) => `${label ? `${'AB'[i] ?? i + 1} ` : ''}${patternOf(server.requests)}`)
      .join(' | ')
  }

  /** What each server the scenario started recorded, in the order they started. */
  records(): ServerRecord[] {
    return this.#started.map(({ server }) => ({
      requests: server.requests,
      connections: server.connections,
    }))
  }

  /** Whether some request of the scenario travelled on a connection that had carried one. */
  reusedAny(): boolean {
    return this.#started.some(({ server }) => server.requests.some((each) => each.reusedConnection))
  }

  /** Every request of the scenario was the first on its connection (and there were several). */
  neverReused(): boolean {
    const count = this.#started.reduce((sum, { server }) => sum + server.requests.length, 0)
    return count > 1 && !this.reusedAny()
  }

  /**
   * What the servers recorded: their requests (unless a verdict's timeline already shows them),
   * the retries among them, and their connections, with those that carried no request.
   */
  evidence(timeline = true): string {
    return describeServers(this.#started, timeline)
  }

  /** Closes the client and the servers; tells whether the client's `close()` settled in time. */
  async dispose(): Promise<boolean> {
    const closed = await settles(
      Promise.resolve().then(() => this.#client?.close?.()),
      this.options.requestTimeout,
    )
    await Promise.allSettled(this.#started.map(({ server }) => server.close()))
    return closed
  }

  #servers(): TestServer[] {
    return this.#started.map(({ server }) => server)
  }

  #checkRespond(): void {
    if (this.#respondError !== undefined) throw this.#respondError
  }
}

/** The connection ids of requests, as a pattern such as `1,2,1,2`. */
export const patternOf = (requests: readonly RecordedRequest[]): string =>
  requests.map((request) => request.connectionId).join(',')

/** The requests and connections one server of a scenario recorded. */
export interface ServerRecord {
  readonly requests: readonly RecordedRequest[]
  readonly connections: readonly RecordedConnection[]
}
