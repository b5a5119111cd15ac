// STYLE.md habit 9: an `@example` goes on what users import (a name one of the package's entry
// points exports, a member of an exported interface, or an entry's own module comment), not on
// internal code no user can call.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

const repo = fileURLToPath(new URL('..', import.meta.url))
const entries = [
  'src/index.ts',
  'src/vitest.ts',
  'src/jest.ts',
  'src/fixtures.ts',
  'src/contract/index.ts',
  'src/msw/index.ts',
  'matchers/index.ts',
]

/** The names a file exports: its own declarations and the local names it re-exports. */
function exportedNames(text: string): string[] {
  const declared = [
    ...text.matchAll(/^export\s+(?:async\s+)?(?:function|const|class|interface|type)\s+(\w+)/gm),
  ].map((match) => match[1] ?? '')
  const listed = [...text.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}/gm)].flatMap((match) =>
    (match[1] ?? '')
      .split(',')
      .map(
        (item) =>
          item
            .trim()
            .replace(/^type\s+/, '')
            .split(/\s+as\s+/)[0] ?? '',
      )
      .filter(Boolean),
  )
  return [...declared, ...listed]
}

const publicNames = new Set(
  entries.flatMap((file) => exportedNames(readFileSync(join(repo, file), 'utf8'))),
)

/** `name` for each `@example` on a top-level declaration that is not public, in `text`. */
function internalExamples(text: string, isEntry: boolean): string[] {
  const found: string[] = []
  for (const match of text.matchAll(/\/\*\*(?:(?!\*\/)[\s\S])*?@example[\s\S]*?\*\/\n([^\n]*)/g)) {
    const next = match[1] ?? ''
    if (/^\s/.test(next)) continue // a member of an interface or class
    const name = /^(?:export\s+)?(?:async\s+)?(?:function|const|class|interface|type)\s+(\w+)/.exec(
      next,
    )?.[1]
    if (name === undefined) {
      if (!isEntry) found.push(next) // a module comment off an entry point
      continue
    }
    if (!publicNames.has(name)) found.push(name)
  }
  return found
}

const sources = (dir: string): string[] =>
  readdirSync(join(repo, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.c?ts$/.test(file))
    .map((file) => join(dir, file))

describe('@example tags', () => {
  test('sit only on what users import', () => {
    const internal = [...sources('src'), ...sources('matchers')].flatMap((file) =>
      internalExamples(readFileSync(join(repo, file), 'utf8'), entries.includes(file)).map(
        (name) => `${relative(repo, join(repo, file))} ${name}`,
      ),
    )
    expect(internal).toEqual([])
  })

  test('the check sees an example on an internal function, and none on a public one', () => {
    const text = `/**
 * Internal.
 *
 * @example
 * helper()
 */
export function helper(): void {}

/**
 * Public.
 *
 * @example
 * await createTestServer()
 */
export async function createTestServer(): Promise<void> {}

/**
 * @example
 * server.close()
 */
  close(): void
`
    expect(internalExamples(text, false)).toEqual(['helper'])
  })
})
