import { writeFileSync } from 'node:fs'
import { KeepAliveKitError } from '../errors.js'
import { renderTimelineSvg } from '../picture/svg.js'
import { escapeXml } from '../picture/text.js'
import { findingsHeading } from '../timeline.js'
import type { RecordedConnection, RecordedRequest } from '../types.js'
import { plural } from '../verdicts/wording.js'
import type { Finding, Verdict } from '../verdicts.js'
import { connectionTable, requestTable, startOf } from './html-tables.js'
import { type Kept, notKeptClause } from './kept.js'
import { commandLine, noVerdictReason, outcomeOf, type Report, verdictLine } from './report.js'

/** What an HTML report shows: a verdict line, facts about the run, the picture, the tables. */
export interface HtmlPage {
  readonly heading: string
  /** `pass` and `fail` colour the verdict; `none` when no verdict was given. */
  readonly status: 'pass' | 'fail' | 'none'
  readonly verdict: string
  /** The recorded facts behind the verdict, in the words of the text report. */
  readonly findings: readonly Finding[]
  readonly facts: readonly string[]
  readonly requests: readonly RecordedRequest[]
  readonly connections: readonly RecordedConnection[]
  /** What the journal kept of the requests; `undefined` for a page of every request. */
  readonly kept?: Kept | undefined
}

const style = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#111827;max-width:1100px}
h1{font-size:18px;margin:0 0 8px}h2{font-size:15px;margin:24px 0 8px}
.verdict{font-weight:600;padding:8px 12px;border-radius:4px;margin:8px 0}
.pass{background:#dcfce7;color:#14532d}.fail{background:#fee2e2;color:#7f1d1d}.none{background:#f3f4f6}
.facts{color:#4b5563;margin:12px 0 0;padding-left:18px}.findings-heading{font-weight:600;margin:8px 0 2px}.findings{margin:0;padding-left:18px}
.picture svg{max-width:100%;height:auto;border:1px solid #e5e7eb}
table{border-collapse:collapse;font:12px ui-monospace,monospace}
td,th{border-bottom:1px solid #e5e7eb;padding:3px 10px 3px 0;text-align:left;vertical-align:top}
td:nth-child(2){word-break:break-all}tr.empty td{color:#6b7280;font-style:italic}`

/** The findings under the verdict, as the text report lists them; nothing when there are none. */
const findingList = (findings: readonly Finding[]): string =>
  findings.length === 0
    ? ''
    : `<p class="findings-heading">${escapeXml(findingsHeading)}:</p>\n<ul class="findings">${findings.map((finding) => `<li>${escapeXml(finding.text)}</li>`).join('')}</ul>\n`

/** Over the request table: how many it has, and of how many when the journal kept fewer. */
const requestsHeading = ({ requests, kept }: HtmlPage): string =>
  kept === undefined || kept.notKept === 0
    ? plural(requests.length, 'request')
    : kept.kept === 0
      ? `No request records (--journal ${kept.journal}): ${plural(kept.recorded, 'request')} counted on their connections`
      : `The last ${plural(kept.kept, 'request')} of ${kept.recorded.toLocaleString('en-US')}`

/**
 * The timeline picture, or why there is none: with no request kept it would draw connections
 * that carried requests as if none had arrived.
 */
const picture = (page: HtmlPage, record: Pick<HtmlPage, 'requests' | 'connections'>): string =>
  page.kept !== undefined && page.kept.kept === 0 && page.kept.recorded > 0
    ? `<p class="facts">No picture: --journal ${escapeXml(page.kept.journal)} kept no request to draw. The connection table counts each connection's requests.</p>`
    : `<div class="picture">${renderTimelineSvg(record)}</div>`

/** The facts line that says what the journal did not keep, when it kept fewer than all. */
const keptFacts = (kept: Kept): string[] => {
  const clause = notKeptClause(kept)
  if (clause === undefined) return []
  const shown =
    kept.kept === 0
      ? 'The connection table counts every request.'
      : 'The timeline picture and the request table show the requests kept; the connection table counts every request.'
  return [`${plural(kept.recorded, 'request')} recorded; ${clause}. ${shown}`]
}

/** A self-contained page: no script, no font, no request to anywhere. */
function htmlPage(page: HtmlPage): string {
  const t0 = startOf(page.requests, page.connections)
  const record = { requests: page.requests, connections: page.connections }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeXml(page.heading)}</title><style>${style}</style></head>
<body>
<h1>${escapeXml(page.heading)}</h1>
<p class="verdict ${page.status}">${escapeXml(page.verdict)}</p>
${findingList(page.findings)}<ul class="facts">${page.facts.map((fact) => `<li>${escapeXml(fact)}</li>`).join('')}</ul>
<h2>Timeline</h2>
${picture(page, record)}
<h2>${escapeXml(plural(page.connections.length, 'connection'))}</h2>
${connectionTable(page.connections, t0)}
<h2>${escapeXml(requestsHeading(page))}</h2>
${requestTable(page.requests, t0)}
</body></html>
`
}

/**
 * Writes the page (an `HtmlPage`, or a finished one such as the survey's) to `file` and says so
 * on stderr (stdout carries the report only).
 */
export function writeHtml(command: string, file: string, page: HtmlPage | string): void {
  try {
    writeFileSync(file, typeof page === 'string' ? page : htmlPage(page))
  } catch (error) {
    throw new KeepAliveKitError(
      `${command}: could not write --html ${file}: ${(error as Error).message}. Give a file in a folder that exists and that you can write to.`,
    )
  }
  process.stderr.write(`keepalive-kit ${command}: wrote ${file}\n`)
}

/** The page of a finished `check`: the verdict and findings the text report prints. */
export function checkPage(report: Report): HtmlPage {
  const outcome = outcomeOf(report)
  const line = verdictLine(report)
  return {
    heading: 'keepalive-kit check',
    status: outcome === 'pass' || outcome === 'fail' ? outcome : 'none',
    verdict: line ?? `No verdict: ${noVerdictReason(report)}.`,
    findings: line === undefined ? [] : (report.verdict?.findings ?? []),
    facts: [
      `command: ${commandLine(report.command)}`,
      `server: ${report.url}`,
      ...keptFacts(report.kept),
    ],
    requests: report.requests,
    connections: report.connections,
    kept: report.kept,
  }
}

/**
 * The page of a stopped `serve`: what the requests did with their connections and the facts
 * behind it, in the words of its text summary (`verdict`: the reuse verdict, none without
 * requests); no pass or fail.
 */
export function servePage(
  url: string,
  requests: readonly RecordedRequest[],
  connections: readonly RecordedConnection[],
  verdict: Verdict | undefined,
  kept: Kept,
): HtmlPage {
  return {
    heading: 'keepalive-kit serve',
    status: 'none',
    verdict: verdict === undefined ? 'No request arrived.' : `${verdict.summary}.`,
    findings: verdict?.findings ?? [],
    facts: [`server: ${url}`, ...keptFacts(kept)],
    requests,
    connections,
    kept,
  }
}
