import { parseArgs } from 'node:util'
import { KeepAliveKitError } from '../errors.js'
import type { TestServerOptions } from '../types.js'

/**
 * A command line the CLI cannot run: an unknown flag, a bad value, a missing command. The CLI
 * prints its message and exits with code 2.
 */
export class UsageError extends KeepAliveKitError {
  override name = 'UsageError'

  constructor(command: string, problem: string) {
    super(`${command}: ${problem} Run \`keepalive-kit ${command} --help\` for usage.`)
  }
}

/**
 * The flags a command accepts: `string` flags take a value, `boolean` flags do not, `optional`
 * flags are switches that may carry an inline value (`--keep-alive-hint=2`).
 */
export type FlagSpec = Readonly<
  Record<string, { type: 'string' | 'boolean' | 'optional'; short?: string }>
>

/**
 * The flags given, by long name: a string for value flags, `true` (or an inline `=value`) for switches.
 */
export type Flags = Record<string, string | true>

/** The server flags `serve` and `check` share. */
export const serverFlags = {
  port: { type: 'string' },
  host: { type: 'string' },
  'no-keep-alive': { type: 'boolean' },
  'idle-timeout': { type: 'string' },
  'max-requests': { type: 'string' },
  // Only an inline value, so that `--keep-alive-hint --json` never swallows the next flag.
  'keep-alive-hint': { type: 'optional' },
  tls: { type: 'boolean' },
  http2: { type: 'boolean' },
  journal: { type: 'string' },
  'no-record-headers': { type: 'boolean' },
} as const satisfies FlagSpec

/** How each `createTestServer()` option is spelled on the command line, for its error messages. */
export const flagOfOption: Readonly<Record<string, string>> = {
  port: '--port',
  host: '--host',
  keepAlive: '--no-keep-alive',
  idleTimeout: '--idle-timeout',
  maxRequestsPerConnection: '--max-requests',
  keepAliveHint: '--keep-alive-hint',
  tls: '--tls',
  http2: '--http2',
  journal: '--journal',
  recordHeaders: '--no-record-headers',
}

const flagValue = (
  command: string,
  token: { rawName: string; value?: string | undefined; inlineValue?: boolean | undefined },
): string => {
  // A value that looks like a flag means the value was forgotten: `--port --json`.
  if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--')))
    throw new UsageError(command, `${token.rawName} needs a value, as in ${token.rawName}=VALUE.`)
  return token.value
}

/**
 * Reads `argv` against `spec`. Every unknown flag, missing value or stray argument is a
 * `UsageError` that names it; `positionalHint` says where a stray argument belongs.
 * `--help` and `-h` are always accepted.
 */
export function parseFlags(
  command: string,
  argv: readonly string[],
  spec: FlagSpec,
  positionalHint = '',
): Flags {
  const options: FlagSpec = { ...spec, help: { type: 'boolean', short: 'h' } }
  const forNode = Object.fromEntries(
    Object.entries(options).map(([name, { type, short }]) => [
      name,
      { type: type === 'string' ? 'string' : 'boolean', ...(short ? { short } : {}) } as const,
    ]),
  )
  // Not strict: node's own messages for bad flags are generic; these name the flag and the fix.
  const { tokens } = parseArgs({
    args: [...argv],
    options: forNode,
    strict: false,
    allowPositionals: true,
    tokens: true,
  })
  const flags: Flags = {}
  for (const token of tokens) {
    if (token.kind === 'positional')
      throw new UsageError(
        command,
        `unexpected argument ${JSON.stringify(token.value)}.${positionalHint && ` ${positionalHint}`}`,
      )
    if (token.kind !== 'option') continue
    const known = Object.hasOwn(options, token.name) ? options[token.name] : undefined
    if (known === undefined) throw new UsageError(command, `unknown flag ${token.rawName}.`)
    if (known.type === 'boolean' && token.value !== undefined)
      throw new UsageError(
        command,
        `${token.rawName} takes no value, got ${token.rawName}=${token.value}.`,
      )
    flags[token.name] = known.type === 'string' ? flagValue(command, token) : (token.value ?? true)
  }
  return flags
}

/** A number for `createTestServer()`, which then checks its range and says what is valid. */
const numberFlag = (command: string, flag: string, value: string | true): number => {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN
  if (!Number.isFinite(number))
    throw new UsageError(command, `${flag} takes a number, got ${JSON.stringify(value)}.`)
  return number
}

const journalForms =
  'all, counts or last=N (keep the last N requests, N a whole number of at least 1)'

/**
 * The `journal` option `--journal` asks for: `all`, `counts` or `last=N` (docs/cli.md, "Long
 * load runs"). Throws a `UsageError` that lists the valid forms.
 */
function journalFlag(command: string, value: string): NonNullable<TestServerOptions['journal']> {
  const text = value.trim().toLowerCase()
  if (text === 'all' || text === 'counts') return text
  const last = /^last=(\d+)$/.exec(text)
  const keepLast = Number(last?.[1])
  if (last !== null && Number.isSafeInteger(keepLast) && keepLast >= 1) return { keepLast }
  const hint =
    keepLast === 0
      ? ' To keep no request records, use --journal counts.'
      : last !== null
        ? ' To keep every request, use --journal all.'
        : ''
  throw new UsageError(
    command,
    `--journal must be ${journalForms}; got ${JSON.stringify(value)}.${hint}`,
  )
}

/** How `journal` reads as a `--journal` value: `all`, `counts` or `last=N`. */
export const journalName = (journal: TestServerOptions['journal']): string =>
  journal === undefined || typeof journal === 'string'
    ? (journal ?? 'all')
    : `last=${journal.keepLast}`

/**
 * The `createTestServer()` options the server flags ask for. Ranges are left to
 * `createTestServer()`, whose `InvalidOptionError` says what is valid.
 */
export function serverOptions(command: string, flags: Flags): TestServerOptions {
  const options: TestServerOptions = {}
  const { port, host, 'idle-timeout': idle, 'max-requests': max, 'keep-alive-hint': hint } = flags
  if (port !== undefined) options.port = numberFlag(command, '--port', port)
  if (typeof host === 'string') options.host = host
  if (flags['no-keep-alive'] !== undefined) options.keepAlive = false
  if (idle !== undefined) options.idleTimeout = numberFlag(command, '--idle-timeout', idle)
  if (max !== undefined)
    options.maxRequestsPerConnection = numberFlag(command, '--max-requests', max)
  if (hint !== undefined)
    options.keepAliveHint = hint === true ? true : numberFlag(command, '--keep-alive-hint', hint)
  if (flags.tls === true) options.tls = true
  if (flags.http2 === true) options.http2 = true
  if (typeof flags.journal === 'string') options.journal = journalFlag(command, flags.journal)
  if (flags['no-record-headers'] !== undefined) options.recordHeaders = false
  return options
}
