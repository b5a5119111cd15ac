import type { ScenarioResult } from '../contract/runner.js'
import type { Scenario } from '../contract/scenarios.js'
import { legend, legendHeight } from '../picture/legend.js'
import { renderTimelineSvg } from '../picture/svg.js'
import { escapeXml } from '../picture/text.js'
import { type ClientReport, compactPattern } from '../survey/report.js'

const marks = { pass: '✓', fail: '✗', skip: '–' } as const
const words = { pass: 'behaves', fail: 'does not behave', skip: 'not applicable' } as const

const style = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#111827}
h1{font-size:18px;margin:0 0 8px}.facts{color:#4b5563;margin:0 0 16px;padding-left:18px}
table{border-collapse:collapse;table-layout:fixed;width:max-content}col.client{width:170px}col.scenario{width:240px}th,td{border:1px solid #e5e7eb;padding:6px;vertical-align:top;text-align:left}
thead th{font-size:12px;max-width:260px}tbody th{white-space:nowrap;font-size:13px}
td{font:12px ui-monospace,monospace;overflow-wrap:anywhere}
.pass .mark{color:#15803d}.fail{background:#fef2f2}.fail .mark{color:#b91c1c}.skip{color:#6b7280}
.mark{font-weight:700;font-size:14px;margin-right:6px}.why{font:11px system-ui,sans-serif;color:#4b5563;margin:4px 0}
.server{font:11px system-ui,sans-serif;color:#4b5563;margin-top:4px}
.cell-picture svg{display:block;width:100%;height:auto;border:1px solid #e5e7eb;margin-top:4px}`

/** A cell: the mark and the pattern, why it failed or was skipped, and a picture per server. */
function cell(result: ScenarioResult): string {
  const pictures = result.servers
    .filter((server) => server.requests.length + server.connections.length > 0)
    .map(
      (server, i, all) =>
        `${all.length > 1 ? `<div class="server">server ${'AB'[i] ?? i + 1}</div>` : ''}<div class="cell-picture">${renderTimelineSvg(server, { width: 640, maxLanes: 8, legend: false })}</div>`,
    )
  const why = result.status === 'pass' ? '' : result.finding || result.message
  return [
    `<td class="${result.status}" title="${escapeXml(`${result.title}: ${words[result.status]}`)}">`,
    `<span class="mark">${marks[result.status]}</span>${escapeXml(compactPattern(result.pattern))}`,
    why === '' ? '' : `<div class="why">${escapeXml(why)}</div>`,
    ...pictures,
    '</td>',
  ].join('')
}

/**
 * The survey as a self-contained HTML page: client × scenario, each cell with its verdict, its
 * connection pattern and a small picture of what each server recorded (hover a mark or a close
 * for its details). No script, no request to anywhere.
 */
export function surveyPage(
  reports: readonly ClientReport[],
  scenarios: readonly Scenario[],
  node: string,
): string {
  const header = scenarios.map(
    (s) => `<th title="${escapeXml(s.title)}">${escapeXml(s.short)}</th>`,
  )
  const rows = reports.map(
    (report) =>
      `<tr><th>${escapeXml(report.name)}<br><small>${escapeXml(report.version)}</small></th>${report.results.map(cell).join('')}</tr>`,
  )
  const columns = scenarios.map(
    (s) => `<li><b>${escapeXml(s.short)}</b>: ${escapeXml(s.title)}.</li>`,
  )
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>keepalive-kit survey</title><style>${style}</style></head>
<body>
<h1>keepalive-kit survey</h1>
<ul class="facts"><li>node ${escapeXml(node)}</li><li>✓ behaves, ✗ does not, – not applicable; each cell shows the connection id of each request (1×5 = five requests on connection 1; 1-5 = connections 1 to 5; | between phases or servers) and the picture of what the test server recorded</li>${columns.join('')}</ul>
<svg xmlns="http://www.w3.org/2000/svg" class="legend" width="760" height="${legendHeight + 8}" viewBox="0 0 760 ${legendHeight + 8}" font-family="ui-monospace, monospace">${legend(0, 4, 760)}</svg>
<table><colgroup><col class="client">${scenarios.map(() => '<col class="scenario">').join('')}</colgroup><thead><tr><th>client</th>${header.join('')}</tr></thead>
<tbody>${rows.join('')}</tbody></table>
</body></html>
`
}
