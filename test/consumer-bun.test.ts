// The Bun set-up of docs/runners.md, copied from that page into a fresh project with the packed
// package: its types always (`@types/bun` is types only), `bun test` only where Bun is installed.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { docBlock, env, installed, packedProjects, repo, run } from './packed.js'

const bun = (opening: string, lang = 'ts') => docBlock('docs/runners.md', '## Bun', lang, opening)

const files: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'bun-consumer', private: true, type: 'module' }),
  'bunfig.toml': await bun('# bunfig.toml\n', 'toml'),
  'test/setup.ts': await bun('// test/setup.ts\n'),
  'test/keep-alive.test.ts': await bun('// test/keep-alive.test.ts\n'),
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      target: 'es2023',
      module: 'nodenext',
      strict: true,
      noEmit: true,
      // bun-types itself does not pass a library check against @types/node 24.
      skipLibCheck: true,
      types: ['bun'],
    },
    include: ['test'],
  }),
  // Never run: each line fails tsc if a matcher lost or changed its type on bun:test's expect.
  'test/matcher-types.ts': `import { expect } from 'bun:test'
import type { TestServer } from 'keepalive-kit'

declare const server: TestServer

expect(server).toReuseConnection({ maxConnections: 1 })
expect(server.requests).not.toOpenNewSocketPerRequest()
expect({ server }).toEqual({ server: expect.toUseConnections(1) })
// @ts-expect-error n is a number
expect(server).toUseConnections('2')
// @ts-expect-error the option is maxConnections
expect(server).toReuseConnection({ max: 1 })
`,
}

/** A `bun` binary: KEEPALIVE_BUN, or the one on the PATH, or none. */
function findBun(): string | undefined {
  if (process.env.KEEPALIVE_BUN) return process.env.KEEPALIVE_BUN
  try {
    execFileSync('bun', ['--version'], { stdio: 'ignore' })
    return 'bun'
  } catch {
    return undefined
  }
}
const bunBinary = findBun()

const project = packedProjects()
let root = ''

describe('Bun, from the packed package', () => {
  test('tsc accepts the matchers on bun:test and rejects wrong arguments', {
    timeout: 180_000,
  }, async () => {
    root = await project(
      'bun',
      ['@types/bun@1.4.5', `@types/node@${await installed('@types/node')}`],
      files,
    )
    const tsc = join(repo, 'node_modules/typescript/bin/tsc')
    await run(process.execPath, [tsc, '-p', '.'], { cwd: root, env }).catch(
      (error: { stdout?: string }) => {
        throw new Error(`tsc failed:\n${error.stdout}`)
      },
    )
  })

  test.runIf(bunBinary)('bun test passes the example', { timeout: 60_000 }, async () => {
    const result = await run(bunBinary ?? 'bun', ['test'], { cwd: root, env })
    expect(result.stderr).toMatch(/1 pass\n 0 fail/)
  })
})
