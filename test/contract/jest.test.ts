// Runs the contract under Jest 30, as an SDK on Jest would, with a client that hangs once: the
// contract's own timeout must fire before Jest's default 5 s test timeout.
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, onTestFinished, test } from 'vitest'

const run = promisify(execFile)
const repo = fileURLToPath(new URL('../..', import.meta.url))

const files: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'jest-sdk', private: true, type: 'module' }),
  'jest.config.js': "export default { testEnvironment: 'node', transform: {} }\n",
  'keep-alive.test.js': `import { Agent, get } from 'node:http'
import { describe, test } from '@jest/globals'
import { describeKeepAliveContract } from 'keepalive-kit/contract'

describeKeepAliveContract('hangs-once', {
  runner: { describe, test },
  createClient: () => {
    const agent = new Agent({ keepAlive: true })
    return {
      request: (url) =>
        url.endsWith('/sequential/3')
          ? new Promise(() => {})
          : new Promise((resolve, reject) =>
              get(url, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject),
            ),
      close: () => agent.destroy(),
    }
  },
  requestTimeout: 5500,
})
`,
  // No runner given: the contract finds Jest's globals.
  'globals.test.js': `import { Agent, get } from 'node:http'
import { describeKeepAliveContract } from 'keepalive-kit/contract'

describeKeepAliveContract('globals', {
  createClient: () => {
    const agent = new Agent({ keepAlive: true })
    return {
      request: (url) =>
        new Promise((resolve, reject) =>
          get(url, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject),
        ),
      close: () => agent.destroy(),
    }
  },
})
`,
}

test('the contract runs under Jest 30 and reports a hang itself, before Jest would', {
  timeout: 120_000,
}, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'keepalive-kit-jest-contract-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  await mkdir(join(dir, 'node_modules'))
  await symlink(repo, join(dir, 'node_modules', 'keepalive-kit'), 'dir')
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text)
  const jest = await run(process.execPath, [join(repo, 'node_modules/jest/bin/jest.js'), '--ci'], {
    cwd: dir,
    env: { ...process.env, NODE_OPTIONS: '--experimental-vm-modules --no-warnings' },
  }).catch((error: { stdout: string; stderr: string }) => error)
  expect(jest.stderr).toContain('keep-alive contract: hangs-once')
  expect(jest.stderr).toMatch(/PASS \.\/globals\.test\.js/)
  expect(jest.stderr).toMatch(
    /the request to http:\/\/127\.0\.0\.1:\d+\/sequential\/3 did not settle within 5500 ms \(requestTimeout\): the client hung\./,
  )
  expect(jest.stderr).not.toContain('Exceeded timeout')
  expect(jest.stderr).toMatch(/Tests: +1 failed, 4 skipped, 21 passed, 26 total/)
})
