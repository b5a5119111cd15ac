import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'

// The core never imports an integration (STYLE.md habit 12): the server, verdicts and TLS code
// load neither msw nor a test runner, nor the CLI, contract, survey or picture layers above them.
// The entry points are not core (index.ts re-exports the picture). The one seam is
// src/handlers-option.ts, which loads the msw handler only when `handlers` is given.
const src = new URL('../src/', import.meta.url).pathname
const entries = new Set([
  'index.ts',
  'fixtures.ts',
  'vitest.ts',
  'vitest-timeline.ts',
  'jest.ts',
  'jest-require.cts',
])
const seam = 'handlers-option.ts'

const coreFiles = (): string[] => [
  ...readdirSync(src).filter((file) => /\.c?ts$/.test(file) && !entries.has(file) && file !== seam),
  ...['verdicts', 'tls', 'journal'].flatMap((dir) =>
    readdirSync(join(src, dir)).map((file) => join(dir, file)),
  ),
]

/** The module specifiers a file imports, statically or dynamically. */
const specifiers = (text: string): string[] =>
  [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1] ?? '')

const upward = /^(msw|vitest|@vitest\/|@jest\/|expect$|jest)|\/(msw|cli|contract|survey|picture)\//

describe('the core', () => {
  test('imports no integration and no layer above it', () => {
    const found = coreFiles().flatMap((file) =>
      specifiers(readFileSync(join(src, file), 'utf8'))
        .filter((specifier) => upward.test(specifier))
        .map((specifier) => `${file} imports ${specifier}`),
    )
    expect(found).toEqual([])
  })

  test('the check sees an import of the msw folder, static or dynamic', () => {
    expect(
      specifiers(`import { a } from './msw/live-servers.js'`).filter((s) => upward.test(s)),
    ).toHaveLength(1)
    expect(
      specifiers(`await import('./msw/handler.js')`).filter((s) => upward.test(s)),
    ).toHaveLength(1)
    expect(
      specifiers(`import { b } from './live-servers.js'`).filter((s) => upward.test(s)),
    ).toHaveLength(0)
  })
})
