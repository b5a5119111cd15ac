// The package as npm would pack it: what users get, read without installing it. The consumer
// test installs it; this one checks the file list, quickly, on every run.
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'

const run = promisify(execFile)
const repo = fileURLToPath(new URL('..', import.meta.url))

// The child npm should behave as in a fresh shell, not inherit this run's `npm exec` settings.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')),
)

/** The paths `npm pack` would put in the tarball (dist/ is built by the global setup). */
async function pack(): Promise<string[]> {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: repo,
    env,
  })
  const [result] = JSON.parse(stdout) as [{ files: { path: string }[] }]
  return result.files.map((file) => file.path)
}
let packed: Promise<string[]> | undefined
const packedFiles = (): Promise<string[]> => (packed ??= pack())

const manifest = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as {
  bin: Record<string, string>
  exports: Record<string, string | Record<string, string>>
}

test('the tarball holds the built package, its docs and licence, and nothing else', async () => {
  const files = await packedFiles()
  const stray = files.filter(
    (file) =>
      !/^dist\/(src|matchers)\/.+\.(js|d\.ts)$/.test(file) &&
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
  const files = await packedFiles()
  expect(files.filter((file) => file.endsWith('.map'))).toEqual([])
  const referring: string[] = []
  for (const file of files.filter((name) => name.endsWith('.js')))
    if ((await readFile(join(repo, file), 'utf8')).includes('sourceMappingURL'))
      referring.push(file)
  expect(referring).toEqual([])
})

test('every entry point and the bin are in the tarball', async () => {
  const files = new Set(await packedFiles())
  const targets = [
    ...Object.values(manifest.bin),
    ...Object.values(manifest.exports).flatMap((target) =>
      typeof target === 'string' ? [target] : Object.values(target),
    ),
  ].map((target) => target.replace(/^\.\//, ''))
  expect(targets.filter((target) => !files.has(target))).toEqual([])
})
