// `npm run bench`: runs each part of the benchmark in a process of its own, one after the other
// so no part competes with another for the CPU, then prints one table of every figure against
// its goal. Exits 1 when a goal is missed or a part fails, after printing everything.
// `npm run bench -- --json` prints the same as JSON. docs/performance.md explains the figures.
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { availableParallelism } from 'node:os'
import { pin } from './pin.ts'
import type { PartReport, Row } from './types.js'

interface Part {
  name: string
  file: string
  /** --expose-gc for the parts that read the heap after a full collection. */
  execArgv: string[]
  /**
   * The core a timed part runs on. The CPU part pins its own processes; the memory part counts
   * bytes, not time, and leaves its load client free to use the other core.
   */
  cpu?: number
  /** Arguments for the part's process. */
  args?: string[]
}

const parts: Part[] = [
  { name: 'start-close', file: './start-close.ts', execArgv: ['--expose-gc'], cpu: 1 },
  { name: 'cpu', file: './cpu.ts', execArgv: [] },
  { name: 'memory', file: './memory.ts', execArgv: ['--expose-gc'] },
  { name: 'verdicts', file: './verdicts.ts', execArgv: [], cpu: 1 },
  { name: 'openers', file: './openers.ts', execArgv: [], cpu: 1 },
  { name: 'tls-start-close', file: './tls-start-close.ts', execArgv: [], cpu: 1 },
  { name: 'cpu-tls', file: './cpu.ts', execArgv: [], args: ['tls'] },
  { name: 'cpu-h2', file: './cpu.ts', execArgv: [], args: ['h2'] },
]

const json = process.argv.includes('--json')
const partTimeout = 300_000

/** Runs one part to its end: its report, or the reason it has none. */
async function run(part: Part): Promise<PartReport | Error> {
  const child = fork(new URL(part.file, import.meta.url), part.args ?? [], {
    execArgv: part.execArgv,
    stdio: 'inherit',
  })
  if (part.cpu !== undefined) pin(child, part.cpu)
  let report: PartReport | undefined
  child.once('message', (message: PartReport) => {
    report = message
    child.disconnect()
  })
  // A part that hangs (a load client that never answers) must not hang the whole run; its own
  // children exit when it does, as they leave on 'disconnect'.
  const timer = setTimeout(() => child.kill(), partTimeout)
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null]
  clearTimeout(timer)
  const file = `bench/${part.file.slice(2)}`
  if (report !== undefined) return report
  return new Error(
    signal === 'SIGTERM'
      ? `${file} gave no figures within ${partTimeout / 1000} s and was stopped`
      : `${file} ended with ${signal ?? `exit code ${code}`} and no figures`,
  )
}

const started = performance.now()
const results: { part: string; report: PartReport | Error }[] = []
for (const part of parts) {
  if (!json) process.stderr.write(`bench: running ${part.name}…\n`)
  results.push({ part: part.name, report: await run(part) })
}
const seconds = (performance.now() - started) / 1000

const rows = results.flatMap(({ report }) => (report instanceof Error ? [] : report.rows))
const notes = results.flatMap(({ report }) => (report instanceof Error ? [] : (report.notes ?? [])))
const failures = results.flatMap(({ report }) => (report instanceof Error ? [report.message] : []))
const missed = rows.filter((row) => !row.pass)
const passed = missed.length + failures.length === 0
const machine = `Node ${process.version}, ${availableParallelism()} cores, ${process.platform}`

const show = (value: number, unit: Row['unit']): string =>
  unit === 'x' ? `${value.toFixed(2)}x` : `${value.toFixed(unit === 'ms' ? 2 : 0)} ${unit}`

/** Left-aligned columns, the last one left ragged. */
function table(lines: string[][]): string {
  const widths = lines[0]?.map((_, column) =>
    Math.max(...lines.map((line) => line[column]?.length ?? 0)),
  )
  return lines
    .map((line) =>
      line
        .map((cell, column) =>
          column === line.length - 1 ? cell : cell.padEnd(widths?.[column] ?? 0),
        )
        .join('  '),
    )
    .join('\n')
}

if (json) {
  const byPart = Object.fromEntries(
    results.map(({ part, report }) => [
      part,
      report instanceof Error ? { error: report.message } : report,
    ]),
  )
  console.log(JSON.stringify({ machine, seconds, pass: passed, parts: byPart }, null, 2))
} else {
  console.log(`\nkeepalive-kit benchmark: ${machine}, ${seconds.toFixed(0)} s\n`)
  console.log(
    table([
      ['figure', 'measured', 'goal', 'result', 'detail'],
      ...rows.map((row) => [
        row.figure,
        show(row.measured, row.unit),
        `≤ ${show(row.goal, row.unit)}`,
        row.pass ? 'pass' : 'FAIL',
        row.detail,
      ]),
    ]),
  )
  if (notes.length > 0) console.log(`\nNotes:\n${notes.map((note) => `- ${note}`).join('\n')}`)
  for (const failure of failures) console.log(`\nbench: ${failure}`)
  console.log(
    passed
      ? `\nEvery goal met (${rows.length} figures).`
      : `\n${missed.length} of ${rows.length} goals missed${failures.length > 0 ? `, ${failures.length} parts failed` : ''}.`,
  )
}
process.exitCode = passed ? 0 : 1
