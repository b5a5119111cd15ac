import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { requireTool } from '../cli/helpers.js'

/** Builds the Go client test/cli/clients/NAME.go into a temporary folder; returns the binary. */
export function buildGoClient(name: string): string {
  requireTool('go', 'golang-go')
  const binary = join(mkdtempSync(join(tmpdir(), 'keepalive-go-')), name)
  const source = fileURLToPath(new URL(`../cli/clients/${name}.go`, import.meta.url))
  execFileSync('go', ['build', '-o', binary, source], {
    env: { ...process.env, GOCACHE: join(tmpdir(), 'keepalive-kit-gocache'), GOFLAGS: '-mod=mod' },
    stdio: 'inherit',
  })
  return binary
}
