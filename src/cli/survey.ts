import { runKeepAliveScenario } from '../contract/runner.js'
import { keepAliveScenarios } from '../contract/scenarios.js'
import { type SurveyClient, surveyClients } from '../survey/clients.js'
import { loadFrom } from '../survey/load.js'
import { type ClientReport, formatMarkdown, formatTable } from '../survey/report.js'
import { surveyTlsClients } from '../survey/tls-clients.js'
import { trustTestServers } from '../tls/trust.js'
import { parseFlags, UsageError } from './args.js'
import { writeHtml } from './html.js'
import { surveyPage } from './survey-html.js'

const surveyHelp = `Usage: keepalive-kit survey [--only NAMES] [--json | --markdown] [--html FILE]

Runs the keep-alive contract's scenarios against the HTTP clients it can load: node:http (global
agent, a keepAlive agent, agent: false) and fetch always; undici, axios, got, node-fetch, ky and
superagent when they are installed in the project where you run it. node:https, fetch, undici,
axios and got run again over HTTPS (rows named "(https)"), undici and got also over HTTP/2 ("(h2)"),
which is where the resume column (TLS session resumption) applies. Prints, for each client and
scenario, the connection that carried each request and whether the client behaved.

Flags:
  --only NAMES   only the clients whose names contain one of NAMES (comma-separated)
  --json         the results as JSON
  --markdown     the results as a Markdown table (docs/clients.md is made this way)
  --html FILE    also write the table as a self-contained HTML page, with a picture of the
                 connections in each cell

Examples:
  keepalive-kit survey
  keepalive-kit survey --only fetch,undici
  keepalive-kit survey --markdown > clients.md
  keepalive-kit survey --only fetch,undici --html survey.html
`

interface Found {
  readonly client: SurveyClient
  readonly version: string
  readonly module: Record<string, unknown>
}

/** The clients installed where the survey runs; built-ins always. */
async function findClients(
  cwd: string,
  only: readonly string[] | undefined,
): Promise<{ found: Found[]; missing: string[] }> {
  const found: Found[] = []
  const missing = new Set<string>()
  for (const client of [...surveyClients, ...surveyTlsClients]) {
    if (only && !only.some((name) => client.name.toLowerCase().includes(name))) continue
    if (client.package === undefined) {
      found.push({ client, version: process.version, module: {} })
      continue
    }
    const loaded = await loadFrom(cwd, client.package)
    if (loaded) found.push({ client, ...loaded })
    else missing.add(client.package)
  }
  return { found, missing: [...missing] }
}

/**
 * One line on a terminal's stderr, rewritten in place; nothing when stderr is not a terminal.
 * It is cut to one column less than the terminal's width: a line that wraps cannot be rewritten
 * from its start, so each one used to leave its first row behind.
 */
const progress = (text: string): void => {
  if (!process.stderr.isTTY) return
  const width = process.stderr.columns - 1
  const chars = [...text]
  const fitted = chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : text
  process.stderr.write(`\r\x1b[K${fitted}`)
}

/**
 * `keepalive-kit survey`: runs every contract scenario against each HTTP client it can load
 * (the built-in ones always; undici, axios, got, node-fetch, ky and superagent when installed
 * where it runs) and prints client × scenario with the connection pattern and a verdict.
 */
export async function survey(argv: readonly string[]): Promise<number> {
  const flags = parseFlags('survey', argv, {
    json: { type: 'boolean' },
    markdown: { type: 'boolean' },
    only: { type: 'string' },
    html: { type: 'string' },
  })
  if (flags.help) {
    process.stdout.write(surveyHelp)
    return 0
  }
  if (flags.json && flags.markdown)
    throw new UsageError('survey', 'pass --json or --markdown, not both.')
  const only =
    typeof flags.only === 'string'
      ? flags.only
          .toLowerCase()
          .split(',')
          .map((name) => name.trim())
      : undefined
  const { found, missing } = await findClients(process.cwd(), only)
  if (found.length === 0)
    throw new UsageError('survey', `--only ${String(flags.only)} matches no client.`)
  // Built-in fetch and axios's default agent take no CA of their own: trust it process-wide.
  const untrust = found.some(({ client }) => 'trustsProcessWide' in client)
    ? trustTestServers()
    : undefined
  const reports: ClientReport[] = []
  const total = found.length * keepAliveScenarios.length
  for (const { client, version, module } of found) {
    const results = []
    for (const scenario of keepAliveScenarios) {
      progress(
        `[${reports.length * keepAliveScenarios.length + results.length + 1}/${total}] ${client.name}: ${scenario.title}`,
      )
      results.push(await runKeepAliveScenario(scenario, client.options(module)))
    }
    reports.push({ name: client.name, package: client.package, version, results })
  }
  untrust?.()
  progress('')
  if (typeof flags.html === 'string')
    writeHtml('survey', flags.html, surveyPage(reports, keepAliveScenarios, process.version))
  // The recorded servers are for the pictures; the JSON keeps to the results.
  const clients = reports.map((report) => ({
    ...report,
    results: report.results.map(({ servers: _, ...result }) => result),
  }))
  if (flags.json)
    process.stdout.write(
      `${JSON.stringify({ node: process.version, clients, notInstalled: missing }, null, 2)}\n`,
    )
  else if (flags.markdown) process.stdout.write(`${formatMarkdown(reports, keepAliveScenarios)}\n`)
  else {
    process.stdout.write(`${formatTable(reports, keepAliveScenarios)}\n`)
    if (missing.length > 0)
      process.stdout.write(
        `\nNot installed here, so not surveyed: ${missing.join(', ')}. Install them in this project to include them.\n`,
      )
  }
  return 0
}
