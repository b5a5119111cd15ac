import type { IncomingMessage } from 'node:http'
import { Agent, type AgentOptions, get } from 'node:https'
import type { ClientTarget, ContractClient } from '../contract/types.js'
import type { SurveyClient } from './clients.js'

/** A client run over HTTPS, or HTTP/2, in the survey. */
export interface SurveyTlsClient extends SurveyClient {
  /**
   * It takes no CA of its own (built-in fetch, axios's default agent): the survey makes the
   * process trust the test CA while it runs (`trustTestServers()`).
   */
  readonly trustsProcessWide?: boolean
}

/** node:https with an agent that trusts the contract's CA, reading every body. */
const nodeHttps =
  (options: AgentOptions) =>
  ({ ca }: ClientTarget): ContractClient => {
    const agent = new Agent({ ...options, ca })
    return {
      request: (url: string) =>
        new Promise((resolve, reject) => {
          get(url, { agent }, (res: IncomingMessage) =>
            res.resume().on('end', resolve).on('error', reject),
          ).on('error', reject)
        }),
      close: () => agent.destroy(),
    }
  }

type Fetch = (url: string, init?: { headers?: Record<string, string> }) => Promise<Response>

/** The built-in fetch, every body read with `.text()`; it trusts the CA process-wide. */
const fetchClient = (headers: Record<string, string>) => (): ContractClient => ({
  request: async (url: string) => (await (globalThis.fetch as Fetch)(url, { headers })).text(),
})

type UndiciAgent = new (options: object) => { close(): Promise<void> }
type UndiciRequest = (
  url: string,
  options: { dispatcher: { close(): Promise<void> }; reset?: boolean },
) => Promise<{ body: { text(): Promise<string> } }>

/** undici's request() with an Agent given the CA; `allowH2` picks h2 by ALPN or HTTP/1.1 only. */
const undiciClient =
  (module: Record<string, unknown>, allowH2: boolean, reset = false) =>
  ({ ca }: ClientTarget): ContractClient => {
    const request = module.request as UndiciRequest
    const dispatcher = new (module.Agent as UndiciAgent)({ allowH2, connect: { ca } })
    return {
      request: async (url: string) =>
        (await request(url, { dispatcher, ...(reset ? { reset } : {}) })).body.text(),
      close: () => dispatcher.close(),
    }
  }

type Got = { extend(options: object): (url: string) => Promise<unknown> }
type Axios = {
  create(config: { httpsAgent?: Agent; responseType: 'text' }): {
    get(url: string): Promise<unknown>
  }
}

/** got given the CA as its docs say (`https.certificateAuthority`), 5xx retries off as in clear text. */
const gotClient =
  (module: Record<string, unknown>, extra: object = {}) =>
  ({ ca }: ClientTarget): ContractClient => ({
    request: (module.default as Got).extend({
      retry: { statusCodes: [] },
      https: { certificateAuthority: ca },
      ...extra,
    }),
  })

/**
 * The clients the survey also runs over HTTPS (`(https)`) and, where they can, HTTP/2 (`(h2)`),
 * so that its `resume` column (TLS session resumption) means something.
 */
export const surveyTlsClients: readonly SurveyTlsClient[] = [
  {
    name: 'node:https keepAlive agent (https)',
    options: () => ({
      createClient: nodeHttps({ keepAlive: true }),
      createClientWithoutKeepAlive: nodeHttps({ keepAlive: false }),
      tls: true,
    }),
  },
  {
    name: 'fetch (built-in) (https)',
    trustsProcessWide: true,
    options: () => ({
      createClient: fetchClient({}),
      createClientWithoutKeepAlive: fetchClient({ connection: 'close' }),
      tls: true,
    }),
  },
  {
    name: 'undici request() (https)',
    package: 'undici',
    options: (module) => ({
      createClient: undiciClient(module, false),
      createClientWithoutKeepAlive: undiciClient(module, false, true),
      tls: true,
    }),
  },
  {
    name: 'undici request() (h2)',
    package: 'undici',
    options: (module) => ({ createClient: undiciClient(module, true), tls: true, http2: true }),
  },
  {
    name: 'axios (https)',
    package: 'axios',
    trustsProcessWide: true,
    options: (module) => {
      const axios = module.default as Axios
      const client = (httpsAgent?: Agent) => (): ContractClient => {
        const instance = axios.create({
          responseType: 'text',
          ...(httpsAgent ? { httpsAgent } : {}),
        })
        return { request: (url: string) => instance.get(url) }
      }
      return {
        createClient: client(),
        createClientWithoutKeepAlive: client(new Agent({ keepAlive: false })),
        tls: true,
      }
    },
  },
  {
    name: 'got (https)',
    package: 'got',
    options: (module) => ({
      createClient: gotClient(module),
      createClientWithoutKeepAlive: (target) =>
        gotClient(module, { agent: { https: new Agent({ keepAlive: false, ca: target.ca }) } })(
          target,
        ),
      retriesStaleConnections: true,
      tls: true,
    }),
  },
  {
    name: 'got (h2)',
    package: 'got',
    options: (module) => ({
      createClient: gotClient(module, { http2: true }),
      retriesStaleConnections: true,
      tls: true,
      http2: true,
    }),
  },
]
