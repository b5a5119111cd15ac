import { Agent, get, type IncomingMessage } from 'node:http'
import type {
  ContractClient,
  ContractRequestInit,
  KeepAliveContractOptions,
} from '../contract/types.js'

/** A client the survey knows how to drive. */
export interface SurveyClient {
  readonly name: string
  /** The npm package it needs where the survey runs; built-in clients have none. */
  readonly package?: string
  /** Contract options for it, given its module (built-ins get an empty object). */
  readonly options: (module: Record<string, unknown>) => KeepAliveContractOptions
}

type Fn = (...args: never[]) => unknown
/** A package's export as the adapter uses it; the survey only runs adapters for installed packages. */
const use = <T extends Fn>(module: Record<string, unknown>, name = 'default'): T =>
  module[name] as T

/** node:http with a given agent, reading every body, as the Node docs show it. */
const nodeHttp =
  (agent: Agent | false | undefined, close?: () => void): (() => ContractClient) =>
  () => ({
    request: (url: string, init?: ContractRequestInit) =>
      new Promise((resolve, reject) => {
        const options = { headers: init?.headers ?? {}, ...(agent === undefined ? {} : { agent }) }
        get(url, options, (res: IncomingMessage) =>
          res.resume().on('end', resolve).on('error', reject),
        ).on('error', reject)
      }),
    ...(close ? { close } : {}),
  })

const keepAliveAgent = (): ContractClient => {
  const agent = new Agent({ keepAlive: true })
  return nodeHttp(agent, () => agent.destroy())()
}

const closeAgent = (): Agent => new Agent({ keepAlive: false })

type Fetch = (
  url: string,
  init?: { headers?: Record<string, string>; agent?: Agent },
) => Promise<{ text(): Promise<string> }>

/** Every body read with `.text()`, as most code that uses fetch does. */
const fetchClient =
  (
    fetch: Fetch,
    init: { headers?: Record<string, string>; agent?: Agent } = {},
  ): (() => ContractClient) =>
  () => ({ request: async (url: string) => (await fetch(url, init)).text() })

interface UndiciBody {
  body: { text(): Promise<string> }
}
type UndiciRequest = (
  url: string,
  options: { dispatcher: { close(): Promise<void> }; reset?: boolean },
) => Promise<UndiciBody>

const undiciClient = (module: Record<string, unknown>, reset: boolean) => (): ContractClient => {
  const request = use<UndiciRequest>(module, 'request')
  const dispatcher = new (module.Agent as new () => { close(): Promise<void> })()
  return {
    request: async (url: string) =>
      (await request(url, { dispatcher, ...(reset ? { reset } : {}) })).body.text(),
    close: () => dispatcher.close(),
  }
}

type Axios = {
  create(config: { httpAgent?: Agent; responseType: 'text' }): {
    get(url: string): Promise<unknown>
  }
}
type Got = { extend(options: object): (url: string) => Promise<unknown> }
type Ky = { create(options: object): { get(url: string): { text(): Promise<string> } } }
type Superagent = { get(url: string): Promise<unknown> & { agent(agent: Agent): Promise<unknown> } }

/** The clients the survey and the real-client matrix drive, in the order they are shown. */
export const surveyClients: readonly SurveyClient[] = [
  {
    name: 'node:http global agent',
    options: () => ({
      createClient: nodeHttp(undefined),
      createClientWithoutKeepAlive: nodeHttp(closeAgent()),
    }),
  },
  {
    name: 'node:http keepAlive agent',
    options: () => ({
      createClient: keepAliveAgent,
      createClientWithoutKeepAlive: nodeHttp(closeAgent()),
    }),
  },
  { name: 'node:http agent: false', options: () => ({ createClient: nodeHttp(false) }) },
  {
    name: 'fetch (built-in)',
    options: () => ({
      createClient: fetchClient(globalThis.fetch as unknown as Fetch),
      createClientWithoutKeepAlive: fetchClient(globalThis.fetch as unknown as Fetch, {
        headers: { connection: 'close' },
      }),
    }),
  },
  {
    name: 'undici request()',
    package: 'undici',
    options: (module) => ({
      createClient: undiciClient(module, false),
      createClientWithoutKeepAlive: undiciClient(module, true),
    }),
  },
  {
    name: 'axios',
    package: 'axios',
    options: (module) => {
      const axios = use<Fn>(module) as unknown as Axios
      const client = (httpAgent?: Agent) => (): ContractClient => {
        const instance = axios.create({ responseType: 'text', ...(httpAgent ? { httpAgent } : {}) })
        return { request: (url: string) => instance.get(url) }
      }
      return { createClient: client(), createClientWithoutKeepAlive: client(closeAgent()) }
    },
  },
  {
    name: 'got',
    package: 'got',
    options: (module) => {
      const got = use<Fn>(module) as unknown as Got
      // got retries 500s after a delay of a second or more; only its network retries are surveyed.
      const client = (extra: object) => (): ContractClient => ({
        request: got.extend({ retry: { statusCodes: [] }, ...extra }),
      })
      return {
        createClient: client({}),
        createClientWithoutKeepAlive: client({ agent: { http: closeAgent() } }),
        retriesStaleConnections: true,
      }
    },
  },
  {
    name: 'node-fetch',
    package: 'node-fetch',
    options: (module) => ({
      createClient: fetchClient(use<Fetch>(module)),
      createClientWithoutKeepAlive: fetchClient(use<Fetch>(module), { agent: closeAgent() }),
    }),
  },
  {
    name: 'ky',
    package: 'ky',
    options: (module) => {
      const ky = use<Fn>(module) as unknown as Ky
      // As with got: ky retries 500s after a delay; only its network retries are surveyed.
      const client = (headers: Record<string, string>) => (): ContractClient => {
        const api = ky.create({ retry: { statusCodes: [] }, headers })
        return { request: (url: string) => api.get(url).text() }
      }
      return {
        createClient: client({}),
        createClientWithoutKeepAlive: client({ connection: 'close' }),
        retriesStaleConnections: true,
      }
    },
  },
  {
    name: 'superagent',
    package: 'superagent',
    options: (module) => {
      const superagent = use<Fn>(module) as unknown as Superagent
      return { createClient: () => ({ request: (url: string) => superagent.get(url) }) }
    },
  },
  {
    name: 'superagent keepAlive agent',
    package: 'superagent',
    options: (module) => {
      const superagent = use<Fn>(module) as unknown as Superagent
      return {
        createClient: () => {
          const agent = new Agent({ keepAlive: true })
          return {
            request: (url: string) => superagent.get(url).agent(agent),
            close: () => agent.destroy(),
          }
        },
      }
    },
  },
]
