import { spawn } from 'node:child_process'

/** How the command under test ended. */
export type CommandOutcome =
  | { readonly kind: 'exited'; readonly code: number }
  | { readonly kind: 'signalled'; readonly signal: string }
  | { readonly kind: 'not-started'; readonly code: string; readonly message: string }
  | { readonly kind: 'timed-out'; readonly timeout: number }

/** The placeholder replaced by the server's URL in the command's arguments. */
const placeholder = '{url}'

/**
 * The command's arguments with every `{url}` replaced by `url`, also inside a longer argument
 * (`{url}/users`, `sh -c 'curl {url}; curl {url}'`).
 */
function withUrl(args: readonly string[], url: string): string[] {
  return args.map((arg) => arg.replaceAll(placeholder, url))
}

/** Adds `host` to a `NO_PROXY` list, so a proxy set in the environment cannot take the requests. */
const noProxy = (list: string | undefined, host: string): string =>
  list ? `${list},${host}` : host

/**
 * Runs the command under test to its end, with `KEEPALIVE_URL` (and `extraEnv`) in its environment. Its output
 * goes to stderr, so stdout carries only the report (and stays parseable with `--json`).
 * A `timeout` above 0 kills it with SIGTERM after that many ms.
 */
export function runCommand(
  command: readonly string[],
  url: string,
  timeout: number,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<CommandOutcome> {
  const [file = '', ...args] = command
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '')
  const env = {
    ...process.env,
    KEEPALIVE_URL: url,
    NO_PROXY: noProxy(process.env.NO_PROXY, host),
    no_proxy: noProxy(process.env.no_proxy, host),
    ...extraEnv,
  }
  return new Promise((resolve) => {
    const child = spawn(file, withUrl(args, url), { stdio: ['inherit', 'pipe', 'pipe'], env })
    let lastByte = 0x0a
    const forward = (chunk: Buffer): void => {
      process.stderr.write(chunk)
      lastByte = chunk.at(-1) ?? lastByte
    }
    child.stdout?.on('data', forward)
    child.stderr?.on('data', forward)
    let timedOut = false
    const timer =
      timeout > 0
        ? setTimeout(() => {
            timedOut = true
            child.kill('SIGTERM')
          }, timeout)
        : undefined
    child.once('error', (error: NodeJS.ErrnoException) => {
      // Once started, the exit still comes through 'exit'; only a failed start ends here.
      if (child.pid !== undefined) return
      clearTimeout(timer)
      resolve({ kind: 'not-started', code: error.code ?? 'ERROR', message: error.message })
    })
    // 'close', not 'exit': the command's last output is forwarded before the report.
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      // `curl -s` prints bodies with no newline; the report starts on a line of its own.
      if (lastByte !== 0x0a) process.stderr.write('\n')
      if (timedOut) resolve({ kind: 'timed-out', timeout })
      else if (signal !== null) resolve({ kind: 'signalled', signal })
      else resolve({ kind: 'exited', code: code ?? 0 })
    })
  })
}
