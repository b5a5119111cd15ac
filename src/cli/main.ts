#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import { KeepAliveKitError } from '../errors.js'
import { mainHelp } from './help.js'

/** The package's version, read from package.json next to dist/ (three levels up from here). */
function version(): string {
  const manifest = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')
  return (JSON.parse(manifest) as { version: string }).version
}

async function dispatch(command: string | undefined, args: string[]): Promise<number> {
  switch (command) {
    case 'check': {
      const { check } = await import('./check.js')
      return check(args)
    }
    case 'serve': {
      const { serve } = await import('./serve.js')
      return serve(args)
    }
    case 'survey': {
      const { survey } = await import('./survey.js')
      return survey(args)
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(mainHelp)
      return 0
    case '--version':
    case '-v':
      process.stdout.write(`${version()}\n`)
      return 0
    default:
      process.stderr.write(
        `keepalive-kit: unknown command ${JSON.stringify(command)}. Use check, serve or survey.\n\n${mainHelp}`,
      )
      return 2
  }
}

/**
 * Runs the CLI on `argv` (without node and the script) and resolves to the exit code. Our own
 * errors (bad flags, a server that cannot listen) print their message and give 2; anything else
 * is a bug in keepalive-kit and gives 4, so it is never mistaken for a verdict (0, 1) or a
 * failed command (3).
 */
async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv
  try {
    return await dispatch(command, args)
  } catch (error) {
    if (error instanceof KeepAliveKitError) {
      process.stderr.write(`${error.message}\n`)
      return 2
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error)
    process.stderr.write(
      `keepalive-kit: internal error, please report it with the command you ran:\n${detail}\n`,
    )
    return 4
  }
}

process.exitCode = await main(process.argv.slice(2))
