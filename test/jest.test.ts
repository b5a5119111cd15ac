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

test('keepalive-kit/jest registers the matchers on Jest 30', { timeout: 60_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'keepalive-kit-jest-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  await mkdir(join(dir, 'node_modules'))
  await symlink(repo, join(dir, 'node_modules', 'keepalive-kit'), 'dir')
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text)
  // Jest runs ES modules only under node's VM modules flag.
  const jest = await run(process.execPath, [join(repo, 'node_modules/jest/bin/jest.js'), '--ci'], {
    cwd: dir,
    env: { ...process.env, NODE_OPTIONS: '--experimental-vm-modules --no-warnings' },
  })
  expect(jest.stderr).toMatch(/Tests: +1 passed, 1 total/)
})
