import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { runCli } from './helpers.js'

describe('usage errors exit 2 with a message that names the problem', () => {
  test.each([
    [['frobnicate'], 'keepalive-kit: unknown command "frobnicate". Use check, serve or survey.'],
    [
      ['check', '--expet', 'reuse', '--', 'curl', '{url}'],
      'keepalive-kit: check: unknown flag --expet. Run `keepalive-kit check --help` for usage.',
    ],
    [
      ['serve', '-x'],
      'keepalive-kit: serve: unknown flag -x. Run `keepalive-kit serve --help` for usage.',
    ],
    [
      ['check', '--expect', 'sometimes', '--', 'curl', '{url}'],
      'keepalive-kit: check: --expect must be reuse, reuse-over=h2, reuse-over=http/1.1, new-socket-per-request, connections=N or at-most=N (N a whole number of at least 1); got "sometimes". Run `keepalive-kit check --help` for usage.',
    ],
    [
      ['check', '--expect', 'connections=0', '--', 'curl', '{url}'],
      'keepalive-kit: check: --expect must be reuse, reuse-over=h2, reuse-over=http/1.1, new-socket-per-request, connections=N or at-most=N (N a whole number of at least 1); got "connections=0". Run `keepalive-kit check --help` for usage.',
    ],
    [
      ['check', '--expect'],
      'keepalive-kit: check: --expect needs a value, as in --expect=VALUE. Run `keepalive-kit check --help` for usage.',
    ],
    [
      ['serve', '--port', '--json'],
      'keepalive-kit: serve: --port needs a value, as in --port=VALUE. Run `keepalive-kit serve --help` for usage.',
    ],
    [
      ['serve', '--port', 'eighty'],
      'keepalive-kit: serve: --port takes a number, got "eighty". Run `keepalive-kit serve --help` for usage.',
    ],
    [
      ['serve', '--json=yes'],
      'keepalive-kit: serve: --json takes no value, got --json=yes. Run `keepalive-kit serve --help` for usage.',
    ],
    [
      ['serve', 'now'],
      'keepalive-kit: serve: unexpected argument "now". Run `keepalive-kit serve --help` for usage.',
    ],
    [
      ['check', 'curl', '{url}'],
      'keepalive-kit: check: unexpected argument "curl". Put the command after --, as in `keepalive-kit check --expect reuse -- curl -s {url} {url} {url}`. Run `keepalive-kit check --help` for usage.',
    ],
    [
      ['check', '--expect', 'reuse'],
      "keepalive-kit: check: no command to run. Put the client's command after --, as in `keepalive-kit check --expect reuse -- curl -s {url} {url} {url}`. Run `keepalive-kit check --help` for usage.",
    ],
    [
      ['check', '--timeout', 'soon', '--', 'true'],
      'keepalive-kit: check: --timeout takes a whole number of milliseconds (0 = no limit), got "soon". Run `keepalive-kit check --help` for usage.',
    ],
    [
      ['check', '--await-burst', '0', '--', 'true'],
      'keepalive-kit: check: --await-burst takes a whole number of at least 1: how many requests your client sends at once, got "0". Run `keepalive-kit check --help` for usage.',
    ],
    [
      ['serve', '--journal', 'last=abc'],
      'keepalive-kit: serve: --journal must be all, counts or last=N (keep the last N requests, N a whole number of at least 1); got "last=abc". Run `keepalive-kit serve --help` for usage.',
    ],
    [
      ['check', '--journal', 'some', '--', 'true'],
      'keepalive-kit: check: --journal must be all, counts or last=N (keep the last N requests, N a whole number of at least 1); got "some". Run `keepalive-kit check --help` for usage.',
    ],
    [
      ['serve', '--journal', 'last=-1'],
      'keepalive-kit: serve: --journal must be all, counts or last=N (keep the last N requests, N a whole number of at least 1); got "last=-1". Run `keepalive-kit serve --help` for usage.',
    ],
    [
      ['serve', '--journal', 'last=0'],
      'keepalive-kit: serve: --journal must be all, counts or last=N (keep the last N requests, N a whole number of at least 1); got "last=0". To keep no request records, use --journal counts. Run `keepalive-kit serve --help` for usage.',
    ],
    [
      ['serve', '--journal', '--json'],
      'keepalive-kit: serve: --journal needs a value, as in --journal=VALUE. Run `keepalive-kit serve --help` for usage.',
    ],
    [
      ['check', '--no-record-headers=no', '--', 'true'],
      'keepalive-kit: check: --no-record-headers takes no value, got --no-record-headers=no. Run `keepalive-kit check --help` for usage.',
    ],
  ])('%j', async (args, message) => {
    const result = await runCli(args)
    expect(result.code, result.stderr).toBe(2)
    expect(result.stderr.split('\n')[0]).toBe(message)
    expect(result.stdout).toBe('')
  })

  test('a server option out of range gives the server’s own message, named as the flag', async () => {
    const result = await runCli(['serve', '--idle-timeout', '-1'])
    expect(result.code, result.stderr).toBe(2)
    expect(result.stderr).toMatchInlineSnapshot(`
      "keepalive-kit: serve: Failed to create the test server: --idle-timeout must be a whole number of milliseconds from 0 to 2147483647, got -1. Use 0 to never close idle connections. Run \`keepalive-kit serve --help\` for usage.
      "
    `)
  })

  test('a port out of range is refused before any command runs', async () => {
    const result = await runCli(['check', '--port', '70000', '--', 'curl', '-s', '{url}'])
    expect(result.code, result.stderr).toBe(2)
    expect(result.stderr).toContain('--port must be a whole number from 0 to 65535')
  })

  test('an unknown command also prints the usage', async () => {
    const result = await runCli(['frobnicate'])
    expect(result.stderr).toContain('keepalive-kit check [flags] -- <command> [args...]')
  })
})

describe('help and version', () => {
  test.each([[['--help']], [['help']], [[]]])(
    '%j prints the overview and exits 0',
    async (args) => {
      const result = await runCli(args)
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toContain('keepalive-kit check -- curl -s {url} {url} {url}')
    },
  )

  test.each(['check', 'serve'])(
    '%s --help prints its flags, examples and exits 0',
    async (command) => {
      const result = await runCli([command, '--help'])
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toContain(`Usage: keepalive-kit ${command} [flags]`)
      expect(result.stdout).toContain('--idle-timeout MS')
      expect(result.stdout).toContain('--journal J')
      expect(result.stdout).toContain('--no-record-headers')
      expect(result.stdout).toContain('Examples:')
    },
  )

  test('check --help documents the exit codes', async () => {
    const { stdout } = await runCli(['check', '-h'])
    expect(stdout).toContain('3  the command failed')
  })

  test('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }
    const result = await runCli(['--version'])
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
  })
})

// Bug: after `npm test` rebuilt dist/, the README's `npx keepalive-kit survey` failed with
// "Permission denied": tsc writes the bin without its executable bit.
test('`npx keepalive-kit` runs the built bin in this checkout, as the README shows', () => {
  const help = execFileSync('npx', ['--no-install', 'keepalive-kit', '--help'], {
    encoding: 'utf8',
  })
  expect(help).toContain('keepalive-kit check')
})
