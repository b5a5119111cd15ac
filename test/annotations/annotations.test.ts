import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import type { Arrival } from './project/reporter.js'

/** Runs the project's deliberately failing tests in a vitest of their own. */
async function runProject(runs: number): Promise<Arrival[]> {
  const out = join(mkdtempSync(join(tmpdir(), 'keepalive-kit-annotations-')), 'arrivals.json')
  const child = spawn(
    process.execPath,
    [
      'node_modules/vitest/vitest.mjs',
      'run',
      '--config',
      'test/annotations/project/vitest.config.ts',
    ],
    {
      env: { ...process.env, ANNOTATIONS_OUT: out, ANNOTATION_RUNS: String(runs) },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const [code] = (await once(child, 'close')) as [number | null]
  // Exit code 1: its failing tests fail, as they should.
  expect(code, stderr).toBe(1)
  return JSON.parse(readFileSync(out, 'utf8')) as Arrival[]
}

test('a failing matcher attaches the timeline picture, and it reaches reporters before the result', async () => {
  const arrivals = await runProject(5)
  const failed = arrivals.filter((arrival) => arrival.state === 'failed')
  const passed = arrivals.filter((arrival) => arrival.state === 'passed')
  expect(failed).toHaveLength(15)
  expect(passed).toHaveLength(5)
  for (const arrival of failed) {
    expect(arrival, arrival.name).toMatchObject({ streamed: 1, atResult: 1 })
    expect(arrival.atEnd).toHaveLength(1)
    const [annotation] = arrival.atEnd
    expect(annotation?.contentType).toBe('image/svg+xml')
    expect(annotation?.body).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
    expect(annotation?.body).toContain('2 requests on 2 connections')
  }
  for (const arrival of passed)
    expect(arrival, arrival.name).toMatchObject({ streamed: 0, atResult: 0, atEnd: [] })
})
