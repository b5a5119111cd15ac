// Installs the packed package into a fresh project and uses it exactly as the README shows:
// `setupFiles: ['keepalive-kit/vitest']` and `import { test } from 'keepalive-kit/fixtures'`.
// It catches what the repo's own tests cannot: a missing file in `files`, a wrong `exports`
// path, declarations that do not reach a user's `expect`.
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, onTestFinished, test } from 'vitest'

const run = promisify(execFile)
const repo = fileURLToPath(new URL('..', import.meta.url))

/** The version the repo itself has installed, so npm can take it from its cache. */
const installed = async (name: string): Promise<string> =>
  JSON.parse(await readFile(join(repo, 'node_modules', name, 'package.json'), 'utf8')).version

// The child npm should behave as in a fresh shell, not inherit this run's `npm exec` settings.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')),
)

const files: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  'vitest.config.ts': `import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: { setupFiles: ['keepalive-kit/vitest'] },
})
`,
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      target: 'es2023',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node', 'keepalive-kit/vitest'],
    },
    include: ['*.ts'],
  }),
  'keep-alive.test.ts': `import { test } from 'keepalive-kit/fixtures'

test('fetch reuses its connections', async ({ server, expect }) => {
  for (let i = 0; i < 5; i++) await fetch(server.url).then((res) => res.text())
  expect(server).toReuseConnection()
  expect(server).toUseAtMostConnections(2)
  // @ts-expect-error the count is a number: proves the matchers' types reached expect
  expect(() => expect(server).toUseConnections('9')).toThrow('n must be a whole number')
})

test('a server with keep-alive off closes every connection', async ({ createServer, expect }) => {
  const server = await createServer({ keepAlive: false })
  for (let i = 0; i < 3; i++) await fetch(server.url).then((res) => res.text())
  expect(server).toOpenNewSocketPerRequest()
  expect(server).not.toReuseConnection()
})

test('prints the evidence when a matcher fails', async ({ server, expect }) => {
  await fetch(server.url, { headers: { connection: 'close' } }).then((res) => res.text())
  expect(() => expect(server).toReuseConnection()).toThrow(
    /^expect\\(server\\)\\.toReuseConnection\\(\\)\\n\\n1 request used 1 connection, as its first request:\\n  #0  GET \\/  conn 1  127\\.0\\.0\\.1:\\d+  Connection: close\\n\\nWhat the server recorded:\\n  - the client sent Connection: close on its request, so the server closed that connection after its response$/,
  )
})
`,
}

test('the packed package works in a fresh project as the README shows', {
  timeout: 120_000,
}, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'keepalive-kit-consumer-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  const project = join(dir, 'project')
  await mkdir(project)
  // dist/ is already built by the global setup, so `prepare` need not build it again.
  const packed = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], {
    cwd: repo,
    env,
  })
  const tarball = join(dir, packed.stdout.trim().split('\n').at(-1) ?? '')
  for (const [name, text] of Object.entries(files)) await writeFile(join(project, name), text)

  await run(
    'npm',
    [
      'install',
      tarball,
      `vitest@${await installed('vitest')}`,
      `@types/node@${await installed('@types/node')}`,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
    ],
    { cwd: project, env },
  )

  const vitest = await run(
    process.execPath,
    [join(project, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=verbose'],
    { cwd: project, env: { ...env, CI: 'true', NO_COLOR: '1' } },
  )
  expect(vitest.stdout).toMatch(/Tests +3 passed \(3\)/)

  // The repo's tsc over the project: the package's declarations must type the matchers.
  await run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', project], {
    cwd: project,
    env,
  })
})
