// Prints the Markdown table of the real SDKs' contract results, from the JSON files the contract
// wrote under KEEPALIVE_KIT_CONTRACT_REPORTS (a run of test/contract/sdks). Used by clients-doc.sh.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { keepAliveScenarios } from '../dist/src/contract/scenarios.js'
import { formatMarkdown } from '../dist/src/survey/report.js'

const folder = process.argv[2] ?? ''
const reports = readdirSync(folder)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => {
    const report = JSON.parse(readFileSync(join(folder, file), 'utf8'))
    const manifest = JSON.parse(readFileSync(`node_modules/${report.client}/package.json`, 'utf8'))
    return {
      name: report.client,
      package: report.client,
      version: manifest.version,
      results: report.scenarios,
    }
  })
process.stdout.write(`${formatMarkdown(reports, keepAliveScenarios)}\n`)
