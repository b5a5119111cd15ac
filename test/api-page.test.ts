import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'

// docs/api.md is the one page of public names: every value an entry point exports is on it, in
// its entry's section, and every function or class the page names there is exported.
const page = readFileSync(new URL('../docs/api.md', import.meta.url), 'utf8')

const entries: Record<string, () => Promise<Record<string, unknown>>> = {
  'keepalive-kit': () => import('../src/index.js'),
  'keepalive-kit/matchers': () => import('../matchers/index.js'),
  'keepalive-kit/fixtures': () => import('../src/fixtures.js'),
  'keepalive-kit/contract': () => import('../src/contract/index.js'),
  'keepalive-kit/msw': () => import('../src/msw/index.js'),
}

/** The names in the first column of the section headed by `entry`. */
function namesOn(entry: string): Set<string> {
  const section = page.split('\n## ').find((part) => part.startsWith(`\`${entry}\``)) ?? ''
  const firstColumns = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split(' | ')[0] ?? '')
  return new Set(
    firstColumns.flatMap((cell) => [...cell.matchAll(/`(\w+)/g)].map((m) => m[1] ?? '')),
  )
}

describe('docs/api.md', () => {
  for (const [entry, load] of Object.entries(entries)) {
    test(`lists exactly the values ${entry} exports`, async () => {
      const exported = Object.keys(await load()).sort()
      const listed = namesOn(entry)
      expect(exported.filter((name) => !listed.has(name))).toEqual([])
      const values = [...listed].filter((name) => /^[a-z]/.test(name) || name.endsWith('Error'))
      expect(values.filter((name) => !exported.includes(name))).toEqual([])
    })
  }

  test('fails for a value no section lists', () => {
    expect(namesOn('keepalive-kit').has('createTestServer')).toBe(true)
    expect(namesOn('keepalive-kit').has('describePattern')).toBe(false)
    expect(namesOn('keepalive-kit/contract').has('runKeepAliveScenario')).toBe(false)
  })
})
