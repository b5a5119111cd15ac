import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { onTestFinished } from 'vitest'

/** The built CLI: the tests run what users run. test/global-setup.ts builds it. */
export const cli = 'dist/src/cli/main.js'

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the CLI to its end and collects its output. */
export async function runCli(args: readonly string[]): Promise<CliResult> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  onTestFinished(() => void child.kill('SIGKILL'))
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const [code] = (await once(child, 'close')) as [number | null]
  return { code, stdout, stderr }
}

/** Ports and times change from run to run; snapshots show PORT and +T ms instead. */
export const normalise = (text: string): string =>
  text
    .replace(/(127\.0\.0\.1|localhost):\d+/g, '$1:PORT')
    .replace(
      /\+\d+\.\d ms( +)?/g,
      (_, pad?: string) => `+T ms${pad === undefined ? '' : pad.length > 1 ? '  ' : ' '}`,
    )

/** Fails with the apt package to install when a client the tests drive is missing. */
export function requireTool(tool: string, aptPackage: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' })
  } catch {
    throw new Error(`these tests drive ${tool}; install it: apt-get install -y ${aptPackage}`)
  }
}

/** A running `keepalive-kit serve`, read line by line as it prints. */
export interface ServeProcess {
  child: ChildProcess
  lines: string[]
  /** Resolves with the first line (already printed or still to come) that matches. */
  waitForLine(match: RegExp): Promise<string>
  /** Resolves with the exit code once the process has exited and its output is read. */
  exited: Promise<number | null>
}

/** Starts `keepalive-kit serve` with `args`; it is killed when the test ends. */
export function startServe(args: readonly string[]): ServeProcess {
  const child = spawn(process.execPath, [cli, 'serve', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  onTestFinished(() => void child.kill('SIGKILL'))
  const lines: string[] = []
  const waiting: { match: RegExp; resolve: (line: string) => void }[] = []
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line)
    for (const waiter of waiting.filter((w) => w.match.test(line))) {
      waiting.splice(waiting.indexOf(waiter), 1)
      waiter.resolve(line)
    }
  })
  const exited = once(child, 'close').then(([code]) => code as number | null)
  const waitForLine = (match: RegExp): Promise<string> => {
    const seen = lines.find((line) => match.test(line))
    if (seen !== undefined) return Promise.resolve(seen)
    return new Promise((resolve, reject) => {
      waiting.push({ match, resolve })
      exited.then(() =>
        reject(new Error(`serve exited before printing ${match}:\n${lines.join('\n')}`)),
      )
    })
  }
  return { child, lines, waitForLine, exited }
}
