// The Jest set-ups that compile TypeScript, ts-jest and babel-jest, as docs/runners.md shows them:
// each project is copied from that page into a fresh folder with the packed package installed
// from npm. (The ES module Jest project is in consumer.test.ts.)
import { symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { docBlock, env, installed, packedProjects, run, writeFiles } from './packed.js'

const section = (heading: string) => (lang: string, opening: string) =>
  docBlock('docs/runners.md', heading, lang, opening)
const tsJest = section('### ts-jest')
const babelJest = section('### babel-jest')

const project = packedProjects()

/** Runs the project's Jest, with node's VM modules on or not; Jest reports on stderr. */
async function jest(root: string, vmModules: boolean): Promise<{ code: number; stderr: string }> {
  const flags = vmModules ? '--experimental-vm-modules --no-warnings' : '--no-warnings'
  return run(process.execPath, [join(root, 'node_modules/jest/bin/jest.js'), '--ci'], {
    cwd: root,
    env: { ...env, NODE_OPTIONS: flags, NO_COLOR: '1', FORCE_COLOR: '0' },
  }).then(
    ({ stderr }) => ({ code: 0, stderr }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  )
}

/** Runs the project's own TypeScript over it; throws tsc's report. */
async function typecheck(root: string): Promise<void> {
  const tsc = join(root, 'node_modules/typescript/bin/tsc')
  await run(process.execPath, [tsc, '--noEmit', '-p', '.'], { cwd: root, env }).catch(
    (error: { stdout?: string }) => {
      throw new Error(`tsc failed:\n${error.stdout}`)
    },
  )
}

/** What Jest prints, through keepalive-kit's setup file, when it runs without VM modules. */
const told =
  'keepalive-kit: keepalive-kit is ES modules only, and Jest runs without them. Start Jest ' +
  "with node's VM modules on: NODE_OPTIONS=--experimental-vm-modules npx jest."

const testFile = await tsJest('ts', '// keep-alive.test.ts\n')

// ts-jest 29 admits TypeScript below 7 only.
const tsJestDependencies = async () => [
  `jest@${await installed('jest')}`,
  `@types/jest@${await installed('@types/jest')}`,
  `@types/node@${await installed('@types/node')}`,
  'ts-jest@29.4.15',
  'typescript@6.0.3',
]

describe('Jest 30 with a TypeScript transform, from the packed package', () => {
  // Regression: ts-jest resolves types the node10 way on its CommonJS path, which reads no
  // `exports`, so `keepalive-kit/jest` did not resolve and every matcher failed its type check.
  test('ts-jest: the default (CommonJS) and the ES module preset pass, types checked; without VM modules it says what to do', {
    timeout: 240_000,
  }, async () => {
    const root = await project('ts-jest', await tsJestDependencies(), {
      'package.json': JSON.stringify({ name: 'ts-jest-consumer', private: true }),
      'jest.config.js': await tsJest('js', '// jest.config.js\nconst'),
      'tsconfig.json': await tsJest('json', ''),
      'keep-alive.test.ts': testFile,
    })
    const commonJs = await jest(root, true)
    expect(commonJs.stderr).toMatch(/Tests: +1 passed, 1 total/)
    expect(commonJs.code).toBe(0)
    await typecheck(root)
    const plain = await jest(root, false)
    expect(plain.code).toBe(1)
    expect(plain.stderr).toContain(told)

    // The ES module preset, in a sibling project that shares the installed packages.
    const esm = join(root, '..', 'ts-jest-esm')
    const tsconfig = JSON.parse(await tsJest('json', ''))
    tsconfig.compilerOptions.module = 'nodenext'
    await writeFiles(esm, {
      'package.json': JSON.stringify({ name: 'ts-jest-esm', private: true, type: 'module' }),
      'jest.config.js': await tsJest('js', '// jest.config.js\nimport'),
      'tsconfig.json': JSON.stringify(tsconfig),
      'keep-alive.test.ts': testFile,
    })
    await symlink(join(root, 'node_modules'), join(esm, 'node_modules'), 'dir')
    const modules = await jest(esm, true)
    expect(modules.stderr).toMatch(/Tests: +1 passed, 1 total/)
    expect(modules.code).toBe(0)
  })

  test('babel-jest: passes with VM modules on, and without them says exactly what to do', {
    timeout: 240_000,
  }, async () => {
    const root = await project(
      'babel-jest',
      [
        `jest@${await installed('jest')}`,
        `@jest/globals@${await installed('@jest/globals')}`,
        `babel-jest@${await installed('babel-jest')}`,
        '@babel/core@8.1.3',
        '@babel/preset-env@8.0.7',
        '@babel/preset-typescript@8.0.7',
      ],
      {
        'package.json': JSON.stringify({ name: 'babel-jest-consumer', private: true }),
        'babel.config.js': await babelJest('js', '// babel.config.js\n'),
        'jest.config.js': await babelJest('js', '// jest.config.js\n'),
        'keep-alive.test.ts': await babelJest('ts', '// keep-alive.test.ts\n'),
      },
    )
    const flagged = await jest(root, true)
    expect(flagged.stderr).toMatch(/Tests: +1 passed, 1 total/)
    expect(flagged.code).toBe(0)

    const plain = await jest(root, false)
    expect(plain.code).toBe(1)
    expect(plain.stderr).toContain(told)
  })
})
