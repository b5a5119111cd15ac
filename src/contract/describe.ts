import { KeepAliveKitError } from '../errors.js'
import { notHttps } from './https-hint.js'
import { resolveContractOptions } from './options.js'
import { type Findings, failureMessage, passLine, reportFilesOf, writeReport } from './report.js'
import { runScenario, type ScenarioResult, skippedResult } from './runner.js'
import { keepAliveScenarios } from './scenarios.js'
import type { ContractRunner, KeepAliveContractOptions } from './types.js'

/** Vitest's context, as far as the contract uses it. */
interface VitestContext {
  skip(note?: string): never
  annotate?(message: string): Promise<unknown>
}

// Loaded only inside vitest: importing it under another runner would fail. (A Jest run started
// from a vitest test inherits VITEST; JEST_WORKER_ID tells it apart.)
const vitest =
  process.env.VITEST && !process.env.JEST_WORKER_ID ? await import('vitest') : undefined

/** The runner to register on: the one given, vitest's inside vitest, or the runner's globals. */
function runnerOf(given: ContractRunner | undefined): ContractRunner | undefined {
  if (given !== undefined) return given
  if (vitest !== undefined) return undefined
  const globals = globalThis as Partial<ContractRunner>
  if (typeof globals.describe === 'function' && typeof globals.test === 'function')
    return { describe: globals.describe, test: globals.test }
  throw new KeepAliveKitError(
    "describeKeepAliveContract() found no test runner. Run it under vitest, or pass your runner's `runner: { describe, test }` (from '@jest/globals' under Jest).",
  )
}

/**
 * Registers a `describe` block whose tests prove that an HTTP client keeps HTTP/1.1 keep-alive
 * semantics, one test per scenario of docs/contract.md, each against fresh test servers on
 * loopback. The options are checked now, before any test runs.
 *
 * @example
 * describeKeepAliveContract('my-sdk', {
 *   createClient: ({ baseUrl }) => {
 *     const sdk = new MySdk({ baseURL: baseUrl })
 *     return { request: (url) => sdk.get(new URL(url).pathname), close: () => sdk.close() }
 *   },
 *   respond: () => ({ id: 1 }),
 *   boundToBaseUrl: true, // it only sends paths: the two-server scenario does not apply
 * })
 */
export function describeKeepAliveContract(name: string, options: KeepAliveContractOptions): void {
  if (typeof name !== 'string' || name === '')
    throw new KeepAliveKitError(
      "describeKeepAliveContract(name, options) needs your client's name first, such as 'my-sdk'.",
    )
  const resolved = resolveContractOptions(options)
  const runner = runnerOf(resolved.runner)
  const results: ScenarioResult[] = []
  const findings: Findings = { reused: false, rootCause: undefined, notHttps: undefined }
  const reportFiles = reportFilesOf(name, resolved.reportFile)
  const run = async (index: number, context: VitestContext | undefined): Promise<void> => {
    const scenario = keepAliveScenarios[index]
    if (scenario === undefined) return
    const result = await runScenario(scenario, resolved)
    results[index] = result
    for (const file of reportFiles) writeReport(file, name, results.filter(Boolean))
    if (result.status === 'skip') {
      if (context !== undefined) context.skip(result.message)
      return void console.info(`${name}: ${scenario.title}: skipped: ${result.message}`)
    }
    if (result.status === 'fail') {
      const message = failureMessage(name, result, findings)
      if (result.neverReused && !findings.reused)
        findings.rootCause ??= { title: `${index + 1}. ${scenario.title}` }
      if (result.finding === notHttps)
        findings.notHttps ??= { title: `${index + 1}. ${scenario.title}` }
      findings.reused ||= result.reused
      throw new Error(message)
    }
    findings.reused ||= result.reused
    await context?.annotate?.(passLine(result))
  }
  const title = `keep-alive contract: ${name}`
  // One requestTimeout per wait, one for createClient, one for close(), and a margin.
  const timeoutOf = (waits: number): number => resolved.requestTimeout * (waits + 2) + 2000
  if (runner === undefined && vitest !== undefined) {
    vitest.describe(title, () => {
      for (const [i, scenario] of keepAliveScenarios.entries())
        vitest.test(
          `${i + 1}. ${scenario.title}`,
          { timeout: timeoutOf(scenario.waits) },
          (context) => run(i, context),
        )
    })
    return
  }
  runner?.describe(title, () => {
    for (const [i, scenario] of keepAliveScenarios.entries()) {
      const name = `${i + 1}. ${scenario.title}`
      // No parameter: Jest would take one as a `done` callback.
      const body = () => run(i, undefined)
      const skip = scenario.skip?.(resolved)
      if (skip === undefined || !runner.test.skip) {
        runner.test(name, body, timeoutOf(scenario.waits))
        continue
      }
      // The runner will not run it: its result goes in the report now. The scenario's own reason
      // (a declared capability the client lacks, such as `boundToBaseUrl`) is in the test's name.
      results[i] = skippedResult(scenario, skip)
      runner.test.skip(`${name} (${skip})`, body)
    }
  })
}
