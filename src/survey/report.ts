import { alignColumns } from '../align.js'
import type { ScenarioResult } from '../contract/runner.js'
import type { Scenario } from '../contract/scenarios.js'

/** What the survey found for one client. */
export interface ClientReport {
  readonly name: string
  readonly package: string | undefined
  /** The package's version, or the Node version for built-in clients. */
  readonly version: string
  readonly results: readonly ScenarioResult[]
}

const marks = { pass: '✓', fail: '✗', skip: '–' } as const

/** Runs of one id become `5×5`, rising runs `1-5`; anything shorter than three stays as it is. */
function compactIds(ids: readonly number[]): string {
  const parts: string[] = []
  let i = 0
  while (i < ids.length) {
    const first = ids[i] ?? 0
    let same = i
    while (ids[same + 1] === first) same++
    let rising = i
    while (ids[rising + 1] === (ids[rising] ?? 0) + 1) rising++
    const end = Math.max(same, rising)
    if (end - i < 2) parts.push(String(first))
    else parts.push(same >= rising ? `${first}×${same - i + 1}` : `${first}-${ids[rising]}`)
    i = end - i < 2 ? i + 1 : end + 1
  }
  return parts.join(',')
}

/**
 * Shortens the id runs in a pattern for a table cell.
 */
export const compactPattern = (pattern: string): string =>
  pattern.replace(/\d+(?:,\d+)*/g, (run) => compactIds(run.split(',').map(Number)))

const legend =
  '✓ behaves, ✗ does not, – not applicable; cells show the connection id of each request (1×5 = five requests on connection 1; 1-5 = connections 1 to 5; | between phases or servers). (https) and (h2) rows run the client over HTTPS and HTTP/2; resume only reports whether the new connection resumed the TLS session (✓ either way), and needs HTTPS'

/** The resumption scenario's report, shortened for a table cell; the Markdown and JSON keep it whole. */
const shortResumption = (pattern: string): string =>
  pattern
    .replace(' · TLS session resumed', ' · resumed')
    .replace(' · TLS session not resumed: full handshake on ', ' · full handshake on ')

const cell = (result: ScenarioResult): string =>
  `${marks[result.status]} ${result.status === 'skip' ? '' : compactPattern(shortResumption(result.pattern).replace(/ \| /g, '|'))}`.trimEnd()

/** The survey as a plain-text table, with each failure's finding under it. */
export function formatTable(
  reports: readonly ClientReport[],
  scenarios: readonly Scenario[],
): string {
  const header = ['client', ...scenarios.map((scenario) => scenario.short)]
  const rows = reports.map((report) => [
    `${report.name} ${report.version}`,
    ...report.results.map(cell),
  ])
  const findings = findingsOf(reports).map((finding) => `  ${finding}`)
  return [
    ...alignColumns([header, ...rows]),
    '',
    legend,
    ...(findings.length ? ['', 'What failed:', ...findings] : []),
  ].join('\n')
}

/** What failed, one line each: client, scenario, and the finding. */
const findingsOf = (reports: readonly ClientReport[]): string[] =>
  reports.flatMap((report) =>
    report.results
      .filter((result) => result.status === 'fail')
      .map((result) => `${report.name} · ${result.title}: ${result.finding}`),
  )

/** The survey as Markdown: the table with full patterns (pipes escaped), then what failed and why. */
export function formatMarkdown(
  reports: readonly ClientReport[],
  scenarios: readonly Scenario[],
): string {
  const header = `| client | version | ${scenarios.map((scenario) => scenario.short).join(' | ')} |`
  const rule = `|${' --- |'.repeat(scenarios.length + 2)}`
  const rows = reports.map(
    (report) =>
      `| ${report.name} | ${report.version} | ${report.results.map((result) => `${marks[result.status]}${result.pattern ? ` \`${result.pattern.replaceAll('|', '\\|')}\`` : ''}`).join(' | ')} |`,
  )
  const columns = scenarios.map((scenario) => `- **${scenario.short}**: ${scenario.title}.`)
  const findings = findingsOf(reports).map((finding) => `- ${finding}`)
  return [
    header,
    rule,
    ...rows,
    '',
    `${legend}.`,
    '',
    ...columns,
    ...(findings.length ? ['', '### What failed', '', ...findings] : []),
  ].join('\n')
}
