import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** A package found where the survey runs. */
export interface LoadedPackage {
  readonly version: string
  readonly module: Record<string, unknown>
}

function versionNear(entry: string, name: string): string {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json')
    if (!existsSync(file)) continue
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }
    if (manifest.name === name) return manifest.version ?? 'unknown'
  }
  return 'unknown'
}

/**
 * Loads `name` as the project in `cwd` would, or resolves to `undefined` when it is not
 * installed there: the survey covers the clients the user's project has.
 */
export async function loadFrom(cwd: string, name: string): Promise<LoadedPackage | undefined> {
  let entry: string
  try {
    entry = createRequire(join(cwd, 'package.json')).resolve(name)
  } catch {
    return undefined
  }
  const module = (await import(pathToFileURL(entry).href)) as Record<string, unknown>
  return { version: versionNear(entry, name), module }
}
