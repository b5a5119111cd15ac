// What the consumer tests share: the package packed as npm would publish it, fresh projects that
// install it from npm, and the code blocks of the docs those projects are copied from.
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll } from 'vitest'

export const run = promisify(execFile)
export const repo = fileURLToPath(new URL('..', import.meta.url))

/** The version the repo itself has installed, so npm can take it from its cache. */
export const installed = async (name: string): Promise<string> =>
  JSON.parse(await readFile(join(repo, 'node_modules', name, 'package.json'), 'utf8')).version

// The child npm should behave as in a fresh shell, not inherit this run's `npm exec` settings.
export const env = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')),
)

/** The body of the fenced block of `lang` that opens with `opening`, in `file` after `heading`. */
export async function docBlock(
  file: string,
  heading: string,
  lang: string,
  opening = '',
): Promise<string> {
  const text = await readFile(join(repo, file), 'utf8')
  const section = text.slice(text.indexOf(heading))
  const fence = `\`\`\`${lang}\n${opening}`
  const start = section.indexOf(fence)
  if (start < 0) throw new Error(`${file} has no \`\`\`${lang} block "${opening}" after ${heading}`)
  const body = start + fence.length - opening.length
  return section.slice(body, section.indexOf('```', body))
}

/** Writes `files` (paths relative to `root`) into `root`, making folders as needed. */
export async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, file)), { recursive: true })
    await writeFile(join(root, file), text)
  }
}

/**
 * Packs the package once for the calling test file (dist/ is built by the global setup) and
 * returns `project`, which writes a fresh project of `files` with the tarball and
 * `dependencies` installed from npm, and returns its folder.
 */
export function packedProjects(): (
  name: string,
  dependencies: string[],
  files: Record<string, string>,
) => Promise<string> {
  let dir = ''
  let tarball = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'keepalive-kit-consumer-'))
    const packed = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], {
      cwd: repo,
      env,
    })
    tarball = join(dir, packed.stdout.trim().split('\n').at(-1) ?? '')
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  return async (name, dependencies, files) => {
    const root = join(dir, name)
    await writeFiles(root, files)
    const flags = ['--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts']
    await run('npm', ['install', tarball, ...dependencies, ...flags], { cwd: root, env })
    return root
  }
}
