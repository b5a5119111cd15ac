import { execFileSync } from 'node:child_process'
import { chmodSync, rmSync } from 'node:fs'

/**
 * Builds dist/ once per run: the CLI and the packed-package tests run the built files. It starts
 * from an empty dist/, so a source file that was deleted leaves no stale build behind, and makes
 * the CLI executable, so `npx keepalive-kit` works in this checkout after `npm test`.
 */
export default function setup(): void {
  rmSync('dist', { recursive: true, force: true })
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  })
  chmodSync('dist/src/cli/main.js', 0o755)
}
