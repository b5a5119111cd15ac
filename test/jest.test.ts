// Runs Jest 30 over a small project whose setup file is `keepalive-kit/jest`, as a Jest user's
// would be. The package is linked, not packed: the consumer test covers packing.
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, onTestFinished, test } from 'vitest'

const run = promisify(execFile)
const repo = fileURLToPath(new URL('..', import.meta.url))

const files: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'jest-user', private: true, type: 'module' }),
  'jest.config.js': `export default {
  testEnvironment: 'node',
  transform: {},
  setupFilesAfterEnv: ['keepalive-kit/jest'],
}
`,
  'keep-alive.test.js': `import { Agent, get } from 'node:http'
import { expect, test } from '@jest/globals'
import { createTestServer } from 'keepalive-kit'

test('the matchers work on Jest expect, with .not and asymmetric use', async () => {
  const server = await createTestServer()
  const agent = new Agent({ keepAlive: true })
  for (let i = 0; i < 3; i++)
    await new Promise((resolve) => get(server.url, { agent }, (res) => res.resume().on('end', resolve)))
  expect(server).toReuseConnection({ maxConnections: 1 })
  expect(server).not.toOpenNewSocketPerRequest()
  expect({ server }).toEqual({ server: expect.toUseConnections(1) })
  expect(() => expect(server).not.toReuseConnection()).toThrow(
    /^expect\\(server\\)\\.not\\.toReuseConnection\\(\\)\\n\\n3 requests used 1 connection; 2 requests reused it:\\n  #0  GET \\//,
  )
  agent.destroy()
  await server.close()
})
`,
}

/** Writes a project of `files` that links this package, and runs Jest in it. */
async function jest(
  files: Record<string, string>,
  vmModules: boolean,
): Promise<{ code: number; stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'keepalive-kit-jest-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  await mkdir(join(dir, 'node_modules'))
  await symlink(repo, join(dir, 'node_modules', 'keepalive-kit'), 'dir')
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text)
  const flags = vmModules ? '--experimental-vm-modules --no-warnings' : '--no-warnings'
  return run(process.execPath, [join(repo, 'node_modules/jest/bin/jest.js'), '--ci'], {
    cwd: dir,
    env: { ...process.env, NODE_OPTIONS: flags },
  }).then(
    ({ stderr }) => ({ code: 0, stderr }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  )
}

test('keepalive-kit/jest registers the matchers on Jest 30', { timeout: 60_000 }, async () => {
  // Jest runs ES modules only under node's VM modules flag.
  const result = await jest(files, true)
  expect(result.stderr).toMatch(/Tests: +1 passed, 1 total/)
  expect(result.code).toBe(0)
})

/** A default Jest 30 project: CommonJS, no transform set, the setup entry in its config. */
const commonJs: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'jest-commonjs-user', private: true }),
  'jest.config.js': `module.exports = { testEnvironment: 'node', setupFilesAfterEnv: ['keepalive-kit/jest'] }
`,
  'keep-alive.test.js': `const { Agent, get } = require('node:http')
const { createTestServer } = require('keepalive-kit')

test('the matchers work from a CommonJS test file', async () => {
  const server = await createTestServer()
  const agent = new Agent({ keepAlive: true })
  for (let i = 0; i < 3; i++)
    await new Promise((resolve) => get(server.url, { agent }, (res) => res.resume().on('end', resolve)))
  expect(server).toReuseConnection({ maxConnections: 1 })
  expect(() => expect(server).toOpenNewSocketPerRequest()).toThrow('3 requests used 1 connection')
  agent.destroy()
  await server.close()
})
`,
}

// Regression: a default (CommonJS) Jest project failed with Jest's "Must use import to load ES
// Module", which does not say that Jest needs node's VM modules flag.
test('a CommonJS Jest project without VM modules is told exactly what to do', {
  timeout: 60_000,
}, async () => {
  const result = await jest(commonJs, false)
  expect(result.code).toBe(1)
  expect(result.stderr).toContain(
    'keepalive-kit: keepalive-kit is ES modules only, and Jest runs without them. Start Jest ' +
      "with node's VM modules on: NODE_OPTIONS=--experimental-vm-modules npx jest.",
  )
})

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
test.runIf(major > 24 || (major === 24 && minor >= 9))(
  'a CommonJS Jest project with VM modules requires keepalive-kit on Node 24.9+',
  { timeout: 60_000 },
  async () => {
    const result = await jest(commonJs, true)
    expect(result.stderr).toMatch(/Tests: +1 passed, 1 total/)
    expect(result.code).toBe(0)
  },
)
