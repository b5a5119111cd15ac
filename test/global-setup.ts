import { execFileSync } from 'node:child_process'

/** Builds dist/ once per run: the CLI and the packed-package tests run the built files. */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  })
}
