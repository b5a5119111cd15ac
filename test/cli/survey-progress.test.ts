// Regression: on an 80-column terminal the survey's progress line wrapped, and rewriting it from
// its start left the first row of every step on screen. Runs the survey in a real terminal
// (tmux, 80 columns) and reads both the bytes it wrote and the screen they left.
import { execFile, execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { expect, onTestFinished, test } from 'vitest'
import { cli } from './helpers.js'

const run = promisify(execFile)

const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

test.runIf(hasTmux)(
  'the progress line fits an 80-column terminal and leaves no rows behind',
  {
    timeout: 60_000,
  },
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keepalive-kit-tmux-'))
    // A tmux server of its own, so the test touches no other session.
    const tmux = (...args: string[]) =>
      run('tmux', ['-L', `keepalive-kit-${process.pid}`, ...args], { timeout: 30_000 })
    onTestFinished(async () => {
      await tmux('kill-server').catch(() => {})
      await rm(dir, { recursive: true, force: true })
    })
    const raw = join(dir, 'raw')
    const survey = `'${process.execPath}' '${resolve(cli)}' survey --only fetch`
    // The survey waits for `go` until its output is piped to a file, and signals `done`.
    await tmux(
      'new-session',
      ...['-d', '-s', 'survey', '-x', '80', '-y', '50'],
      `tmux -L keepalive-kit-${process.pid} wait-for go; ${survey}; tmux -L keepalive-kit-${process.pid} wait-for -S done; sleep 60`,
    )
    await tmux('pipe-pane', '-t', 'survey', '-o', `cat > '${raw}'`)
    await tmux('wait-for', '-S', 'go')
    await tmux('wait-for', 'done')

    const written = await readFile(raw, 'utf8')
    const steps = written
      .split('\r\x1b[K')
      .filter((text) => /^\[\d+\/\d+\]/.test(text))
      .map((text) => text.split('\n')[0] ?? '')
    expect(steps.length).toBeGreaterThan(9)
    expect(steps.filter((text) => [...text].length > 79)).toEqual([])
    // The count of steps grows with the scenarios; the first one's text does not.
    expect(steps[0]).toMatch(
      /^\[1\/\d+\] fetch \(built-in\): sequential requests reuse connections$/,
    )

    const screen = (await tmux('capture-pane', '-p', '-t', 'survey')).stdout
    expect(screen).toMatch(/^client +reuse/m)
    expect(screen.split('\n').filter((row) => /^\[\d+\/\d+\]/.test(row))).toEqual([])
  },
)
