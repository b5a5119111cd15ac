/** What a request in the contract may ask of the client. */
export interface ContractRequestInit {
  method?: string
  headers?: Record<string, string>
  /** A JSON text, sent with `content-type: application/json`, when the contract runs with `post`. */
  body?: string
}

/**
 * The client under test, as the contract drives it. `request` resolves once the response has
 * been fully handled, the way your users handle it (body read, or discarded); it may reject for
 * error statuses if your SDK does.
 */
export interface ContractClient {
  request(url: string, init?: ContractRequestInit): Promise<unknown>
  /**
   * Starts a request and gives its body as your SDK streams it (a Node stream, a fetch
   * `ReadableStream`, any async iterable). The contract reads it to the end in one scenario and
   * abandons it after the first chunk in another. Without it, both stream scenarios are skipped.
   */
  stream?(url: string, init?: ContractRequestInit): StreamBody | Promise<StreamBody>
  /**
   * Closes the client's connections; a returned promise is awaited, whatever it resolves to.
   * Without it, the `close()` scenario is skipped.
   */
  close?(): unknown
}

/** A streamed body: a Node stream, a fetch `ReadableStream`, any (async) iterable of chunks. */
export type StreamBody = AsyncIterable<unknown> | Iterable<unknown>

/** Where the client made for a scenario should send its requests. */
export interface ClientTarget {
  /** The scenario's (first) server: `http://127.0.0.1:PORT`, no trailing slash. */
  readonly baseUrl: string
  /** The PEM certificate the client must trust; `undefined` on a plain-HTTP server. */
  readonly ca: string | undefined
}

/** Makes the client for one scenario. It may ignore its argument. */
export type CreateClient = (target: ClientTarget) => ContractClient | Promise<ContractClient>

/** What `respond` is told about the request it answers. */
export interface RespondRequest {
  readonly method: string
  /** Path and query as received: SDKs rewrite paths, so choose the body by shape, not by path. */
  readonly path: string
  /** The status the scenario chose; the response keeps it whatever `respond` returns. */
  readonly status: number
}

/**
 * The body a scenario answers with: a string or `Uint8Array` as it is, a fetch `Response` for
 * its headers and body (its status is ignored), anything else as JSON. May return a promise.
 */
export type Respond = (request: RespondRequest) => unknown

/** The `describe` and `test` of the runner that registers the contract (vitest's or Jest's). */
export interface ContractRunner {
  describe(name: string, body: () => void): unknown
  test: {
    (name: string, body: () => Promise<void>, timeout?: number): unknown
    /** Used, when there, for the scenarios the options alone rule out. */
    skip?: (name: string, body: () => Promise<void>) => unknown
  }
}

/** What the adopter passes to `describeKeepAliveContract`. Every flag has a documented default. */
export interface KeepAliveContractOptions {
  /** Makes a fresh client for a scenario, given that scenario's server; called once per scenario. */
  createClient: CreateClient
  /**
   * Makes a client with keep-alive switched off. Without it, the "keep-alive off" scenario is
   * skipped.
   */
  createClientWithoutKeepAlive?: CreateClient
  /** The body each response carries, so an SDK that parses responses gets what it parses. */
  respond?: Respond
  /**
   * The client sends every request to the `baseUrl` it was made with, whatever the URL's origin
   * (an SDK bound to one host). The two-server scenario is then skipped and says so. Default
   * `false`.
   */
  boundToBaseUrl?: boolean
  /**
   * Send every request as a `POST` with a JSON body (`true`: a small object naming the scenario;
   * an object: that object), the way your SDK calls its API. Default: `GET` without a body.
   */
  post?: boolean | Record<string, unknown>
  /**
   * Whether the client retries a request whose reused connection the server closed under it
   * (the stale-socket race; over HTTP/2, a GOAWAY naming the reused stream, then a close).
   * Default `false`: the failure must surface as an error, promptly.
   */
  retriesStaleConnections?: boolean
  /**
   * Whether the client retries a `503` on its own. Default `false`: the retry scenario is
   * skipped unless the client retries anyway.
   */
  retriesServerErrors?: boolean
  /**
   * Run every scenario over HTTPS: the servers present the test certificate, and
   * `createClient({ baseUrl, ca })` gets the `https://` URL and the CA (PEM) to trust. Default
   * `false`. See docs/tls.md for how each client trusts a CA.
   */
  tls?: boolean
  /**
   * Run every scenario over HTTP/2: by ALPN (`h2`) with `tls: true`, else h2c with prior
   * knowledge. The scenarios that have no meaning on HTTP/2 are skipped and say why. Default
   * `false`.
   */
  http2?: boolean
  /**
   * Whether the client resumes its TLS session on a new connection (needs `tls: true`). Default
   * `false`: the resumption scenario reports what it saw and passes either way; `true` makes a
   * full handshake fail it.
   */
  resumesTlsSessions?: boolean
  /** The most connections the client opens to one server at once. Default: no limit. */
  poolSize?: number
  /** How many requests the concurrency scenario sends in parallel. Default `5`. */
  concurrency?: number
  /**
   * ms a single request may take before the contract calls it hung. Default `5000`. Each
   * scenario's test timeout is set from it, so the contract reports a hang before the runner does.
   */
  requestTimeout?: number
  /** Writes the whole result as JSON to this file once every scenario has run, for CI. */
  reportFile?: string
  /** Your runner's `describe` and `test` (Jest's). Default: vitest's, or the runner's globals. */
  runner?: ContractRunner
}
