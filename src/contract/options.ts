import { InvalidOptionError } from '../errors.js'
import { describeValue } from '../subject.js'
import { isWhole } from '../values.js'
import type { KeepAliveContractOptions } from './types.js'

/** The options with every default filled in. */
export type ResolvedContractOptions = Required<
  Omit<
    KeepAliveContractOptions,
    'createClientWithoutKeepAlive' | 'respond' | 'reportFile' | 'runner' | 'post'
  >
> &
  Pick<
    KeepAliveContractOptions,
    'createClientWithoutKeepAlive' | 'respond' | 'reportFile' | 'runner'
  > & {
    /** `GET` without a body when `undefined`; else `POST` with this JSON (`true`: one per request). */
    readonly post: Record<string, unknown> | true | undefined
  }

const flags = [
  'boundToBaseUrl',
  'retriesStaleConnections',
  'retriesServerErrors',
  'tls',
  'http2',
  'resumesTlsSessions',
] as const satisfies readonly (keyof KeepAliveContractOptions)[]

const known = new Set<string>([
  'createClient',
  'createClientWithoutKeepAlive',
  'respond',
  'post',
  'poolSize',
  'concurrency',
  'requestTimeout',
  'reportFile',
  'runner',
  ...flags,
])

const fail = (message: string): never => {
  throw new InvalidOptionError(`describeKeepAliveContract(): ${message}`)
}

/** The option a misspelt key most likely meant: same letters, case aside, or one letter off. */
function closest(key: string): string | undefined {
  const lower = key.toLowerCase()
  return [...known].find((name) => {
    const other = name.toLowerCase()
    if (other === lower) return true
    if (Math.abs(other.length - lower.length) > 1) return false
    return other.startsWith(lower) || lower.startsWith(other)
  })
}

function checkKeys(options: object): void {
  for (const key of Object.keys(options)) {
    if (known.has(key)) continue
    const near = closest(key)
    fail(
      `unknown option \`${key}\`.${near ? ` Did you mean \`${near}\`?` : ''} Known options: ${[...known].join(', ')}.`,
    )
  }
}

const isFunction = (value: unknown): boolean => typeof value === 'function'

/**
 * Checks the options of `describeKeepAliveContract` once, and fills in the documented defaults.
 * Throws an `InvalidOptionError` that names the option, what it got and the fix.
 */
export function resolveContractOptions(options: KeepAliveContractOptions): ResolvedContractOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    fail(
      `options must be an object such as { createClient: ({ baseUrl }) => ({ request(url) { … } }) }, got ${describeValue(options)}.`,
    )
  checkKeys(options)
  if (!isFunction(options.createClient))
    fail(
      `needs \`createClient: ({ baseUrl }) => ({ request(url) { … } })\`, got ${describeValue(options.createClient)}.`,
    )
  for (const name of ['createClientWithoutKeepAlive', 'respond'] as const)
    if (options[name] !== undefined && !isFunction(options[name]))
      fail(`option \`${name}\` must be a function, got ${describeValue(options[name])}.`)
  if (typeof options.tls === 'object' && options.tls !== null)
    fail(
      'option `tls` takes true or false, got an object: the contract serves the built-in test certificate, and gives its CA to `createClient({ baseUrl, ca })`. Pass `tls: true`.',
    )
  for (const name of flags)
    if (options[name] !== undefined && typeof options[name] !== 'boolean')
      fail(`option \`${name}\` must be true or false, got ${describeValue(options[name])}.`)
  if (options.resumesTlsSessions === true && options.tls !== true)
    fail(
      `option \`resumesTlsSessions: true\` needs \`tls: true\`: ${options.http2 ? 'with `http2: true` alone the servers speak h2c, in clear text,' : 'without it the servers speak clear-text HTTP,'} so there is no TLS session to resume. Add \`tls: true\`, or leave \`resumesTlsSessions\` out.`,
    )
  const {
    poolSize = Number.POSITIVE_INFINITY,
    concurrency = 5,
    requestTimeout = 5000,
    post = false,
  } = options
  if (poolSize !== Number.POSITIVE_INFINITY && !isWhole(poolSize, 1, 10_000))
    fail(
      `option \`poolSize\` must be a whole number from 1 to 10000, got ${describeValue(poolSize)}. Leave it out for no limit.`,
    )
  if (!isWhole(concurrency, 2, 50))
    fail(
      `option \`concurrency\` must be a whole number from 2 to 50, got ${describeValue(concurrency)}.`,
    )
  if (!isWhole(requestTimeout, 50, 600_000))
    fail(
      `option \`requestTimeout\` must be a whole number of milliseconds from 50 to 600000, got ${describeValue(requestTimeout)}.`,
    )
  if (
    typeof post !== 'boolean' &&
    (typeof post !== 'object' || post === null || Array.isArray(post))
  )
    fail(
      `option \`post\` must be true, false or the object to send as JSON, got ${describeValue(post)}.`,
    )
  if (
    options.reportFile !== undefined &&
    (typeof options.reportFile !== 'string' || options.reportFile === '')
  )
    fail(`option \`reportFile\` must be a file path, got ${describeValue(options.reportFile)}.`)
  const runner = options.runner
  if (runner !== undefined && !(isFunction(runner?.describe) && isFunction(runner?.test)))
    fail(
      "option `runner` must be your runner's { describe, test } (e.g. `import { describe, test } from '@jest/globals'`).",
    )
  return {
    boundToBaseUrl: false,
    retriesStaleConnections: false,
    retriesServerErrors: false,
    tls: false,
    http2: false,
    resumesTlsSessions: false,
    ...options,
    poolSize,
    concurrency,
    requestTimeout,
    post: post === false ? undefined : post,
  }
}
