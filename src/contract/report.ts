import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { notHttps } from './https-hint.js'
import type { ScenarioResult } from './runner.js'

/** What the contract tells about a scenario that passed: its connection pattern and retries. */
export function passLine(result: ScenarioResult): string {
  const retries =
    result.retries === 0
      ? 'no retry'
      : `${result.retries} ${result.retries === 1 ? 'retry' : 'retries'}:\n${result.retryLines.join('\n')}`
  return `connections ${result.pattern} · ${retries}`
}

/** What the scenarios so far have shown about the client as a whole. */
export interface Findings {
  /** Some earlier scenario saw the client reuse a connection. */
  reused: boolean
  /** The first scenario that failed because the client never reused a connection. */
  rootCause: { title: string } | undefined
  /** The first scenario that failed because the client does not speak HTTPS. */
  notHttps: { title: string } | undefined
}

/**
 * The error a failed scenario throws. The first failure of a client that has never reused a
 * connection names that as the root cause; later ones with the same cause point back to it in
 * one line.
 */
export function failureMessage(name: string, result: ScenarioResult, findings: Findings): string {
  const head = `${name}: ${result.title}`
  const { rootCause } = findings
  if (result.finding === notHttps)
    return findings.notHttps === undefined
      ? `${head}\n\n${result.message}`
      : `${head}\n\nkeepalive-kit: same root cause as "${findings.notHttps.title}": ${notHttps}. Fix that first; what to do is under that scenario.`
  if (!result.neverReused || findings.reused) return `${head}\n\n${result.message}`
  if (rootCause !== undefined)
    return `${head}\n\nkeepalive-kit: same root cause as "${rootCause.title}": this client never reuses a connection (here ${result.pattern}). Fix that first; the timeline is under that scenario.`
  return `${head}\n\nRoot cause: this client never reused a connection; every request opened a new socket. Later scenarios that fail for this reason say so in one line.\n\n${result.message}`
}

/**
 * Writes every result so far as JSON, for CI dashboards: rewritten after each scenario, so the
 * file is whole once the last one has run.
 */
export function writeReport(file: string, name: string, results: readonly ScenarioResult[]): void {
  const count = (status: ScenarioResult['status']): number =>
    results.filter((result) => result.status === status).length
  const report = {
    client: name,
    node: process.version,
    passed: count('pass'),
    failed: count('fail'),
    skipped: count('skip'),
    scenarios: results.map(
      ({ id, title, status, pattern, retries, retryLines, message, detail }) => ({
        id,
        title,
        status,
        pattern,
        retries,
        retryLines,
        message,
        detail,
      }),
    ),
  }
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
}

/**
 * Where the result goes as JSON: `reportFile`, and also a file per client under the folder named
 * by the environment variable `KEEPALIVE_KIT_CONTRACT_REPORTS`, set in CI without a code change.
 */
export function reportFilesOf(name: string, reportFile: string | undefined): string[] {
  const folder = process.env.KEEPALIVE_KIT_CONTRACT_REPORTS
  const slug = name.replace(/[^a-z0-9._-]+/gi, '-').replace(/^-+|-+$/g, '')
  return [
    ...(reportFile === undefined ? [] : [reportFile]),
    ...(folder ? [join(folder, `${slug || 'client'}.json`)] : []),
  ]
}
