// The package as npm would pack it: what users get, read without installing it. The consumer
// test installs it; this one checks the file list, quickly, on every run.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, test } from 'vitest'

const run = promisify(execFile)
const repo = fileURLToPath(new URL('..', import.meta.url))

// The child npm should behave as in a fresh shell, not inherit this run's `npm exec` settings.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')),
)

let dir = ''
let tarball = ''
let packed: string[] = []

// The tarball `npm pack` makes (dist/ is built by the global setup) and the paths it holds.
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keepalive-kit-pack-'))
  const { stdout } = await run(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', dir],
    { cwd: repo, env },
  )
  const [result] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }]
  tarball = join(dir, result.filename)
  packed = result.files.map((file) => file.path)
})
afterAll(() => rm(dir, { recursive: true, force: true }))

/** Runs a linter from node_modules/.bin on the tarball; its report is the error if it fails. */
async function lint(bin: string, ...args: string[]): Promise<string> {
  const result = await run(join(repo, 'node_modules/.bin', bin), [...args, tarball], {
    cwd: repo,
    env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
  }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`${bin} found problems:\n${error.stdout}${error.stderr}`)
  })
  return result.stdout
}

type Target = string | { [condition: string]: Target }
const manifest = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as {
  bin: Record<string, string>
  exports: Record<string, Target>
}

/** Every file an `exports` target names, through nested conditions. */
const targetsOf = (target: Target): string[] =>
  typeof target === 'string' ? [target] : Object.values(target).flatMap(targetsOf)

test('the tarball holds the built package, its docs and licence, and nothing else', async () => {
  const files = packed
  const stray = files.filter(
    (file) =>
      !/^dist\/(src|matchers)\/.+\.(c?js|d\.c?ts)$/.test(file) &&
      !/^docs\/.+\.md$/.test(file) &&
      !['package.json', 'README.md', 'LICENSE'].includes(file),
  )
  expect(stray).toEqual([])
  expect(files).toContain('LICENSE')
  expect(files.filter((file) => /\.test\.|\.test-d\./.test(file))).toEqual([])
})

// Regression: the tarball shipped source maps pointing at src/*.ts, which it does not ship, so
// vite warned on every cold run and stack frames named files users do not have.
test('ships no source maps and no references to them', async () => {
  const files = packed
  expect(files.filter((file) => file.endsWith('.map'))).toEqual([])
  const referring: string[] = []
  for (const file of files.filter((name) => name.endsWith('.js')))
    if ((await readFile(join(repo, file), 'utf8')).includes('sourceMappingURL'))
      referring.push(file)
  expect(referring).toEqual([])
})

test('every entry point and the bin are in the tarball', async () => {
  const files = new Set(packed)
  const targets = [
    ...Object.values(manifest.bin),
    ...Object.values(manifest.exports).flatMap(targetsOf),
  ].map((target) => target.replace(/^\.\//, ''))
  expect(targets.filter((target) => !files.has(target))).toEqual([])
})

test('publint finds nothing to fix in the tarball, warnings included', async () => {
  expect(await lint('publint', 'run', '--strict')).toContain('All good!')
})

test('attw: every entry point has its types under node16 (ESM) and bundler', {
  timeout: 30_000,
}, async () => {
  // The package is ESM only: CommonJS and node10 resolution are out of scope by design.
  await lint('attw', '--profile', 'esm-only')
})
