// Needs Go (Debian's golang-go): runs under `npm run test:system`, not `npm test`.
import { beforeAll, describe, expect, test } from 'vitest'
import { runCli } from '../cli/helpers.js'
import { buildGoClient } from './go.js'

describe('check with a Go client', () => {
  let binary = ''
  beforeAll(() => {
    binary = buildGoClient('burst')
  }, 120_000)

  test('passes reuse for net/http: a burst of 5 goroutines, then 5 in turn, with --await-burst 5', async () => {
    const result = await runCli(['check', '--await-burst', '5', '--', binary])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toMatch(
      /PASS {2}expect reuse: 10 requests used 5 connections; 5 requests reused a connection/,
    )
    // Go keeps 2 idle connections per host and closes the rest: a fact, not a failure.
    expect(result.stdout).not.toContain('then opened new connections')
  })

  test('fails reuse when each later request goes through a new Transport while the burst sits idle', async () => {
    const result = await runCli(['check', '--await-burst', '5', '--', binary, 'new-clients'])
    expect(result.code, result.stdout + result.stderr).toBe(1)
    expect(result.stdout).toContain(
      'FAIL  expect reuse: 10 requests used 10 connections; none was reused',
    )
    expect(result.stdout).toMatch(
      / - the server wrote the response on connections 1, 2, [\d, ]+( and \d+ more)?, then each sat idle and was never used again/,
    )
  })
})
