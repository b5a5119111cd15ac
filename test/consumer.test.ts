// Installs the packed package into fresh projects and uses it exactly as the docs show: the
// README's vitest.config.ts, tsconfig.json `types` and first test, and docs/runners.md's Jest
// project, copied from those pages. It catches what the repo's own tests cannot: a missing file
// in `files`, a wrong `exports` path, declarations that do not reach a user's `expect` under one
// runner version or module resolution.
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { docBlock, env, installed, packedProjects, repo, run } from './packed.js'

const tsc = join(repo, 'node_modules/typescript/bin/tsc')

const readmeBlock = (lang: string, opening = '') =>
  docBlock('README.md', '## Your first keep-alive test', lang, opening)

/** The compiler options the README leaves to the user, per module resolution. */
const resolutions = {
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  node16: { module: 'node16', moduleResolution: 'node16' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
  // Our declarations must also survive being checked themselves.
  'nodenext-libcheck': { module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false },
}

/** The project's tsconfig for one resolution: the README's, on a strict base users have. */
async function tsconfig(resolution: keyof typeof resolutions): Promise<string> {
  const fromReadme = JSON.parse(await readmeBlock('json')).compilerOptions
  return JSON.stringify({
    compilerOptions: {
      target: 'es2023',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      ...resolutions[resolution],
      ...fromReadme,
    },
    include: ['src', 'test'],
  })
}

const files: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  'vitest.config.ts': await readmeBlock('ts', '// vitest.config.ts\n'),
  'test/keep-alive.test.ts': await readmeBlock('ts', '// test/keep-alive.test.ts\n'),
  // The client the README's test imports: a keep-alive client, so that test passes.
  'src/client.ts': `export function createApiClient({ baseUrl }: { baseUrl: string }) {
  return { getUser: (id: number) => fetch(new URL(\`/users/\${id}\`, baseUrl)).then((res) => res.text()) }
}
`,
  'test/matchers.test.ts': `import { test } from 'keepalive-kit/fixtures'

test('a server with keep-alive off closes every connection', async ({ createServer, expect }) => {
  const server = await createServer({ keepAlive: false })
  for (let i = 0; i < 3; i++) await fetch(server.url).then((res) => res.text())
  expect(server).toOpenNewSocketPerRequest()
  expect(server).not.toReuseConnection()
  expect(() => expect(server).toUseConnections(Number('x'))).toThrow('n must be a whole number')
})

test('prints the evidence when a matcher fails', async ({ server, expect }) => {
  await fetch(server.url, { headers: { connection: 'close' } }).then((res) => res.text())
  expect(() => expect(server).toReuseConnection()).toThrow(
    /^expect\\(server\\)\\.toReuseConnection\\(\\)\\n\\n1 request used 1 connection, as its first request:\\n  #0  GET \\/  conn 1  127\\.0\\.0\\.1:\\d+  Connection: close\\n\\nConnections opened in this process:\\n  conn 1  opened by test\\/matchers\\.test\\.ts:\\d+\\n\\nWhat the server recorded:\\n  - the client sent Connection: close on its request, so the server closed that connection after its response$/,
  )
})
`,
  // Never run, only type-checked: each line fails tsc if a matcher lost or changed its type.
  'test/matcher-types.ts': `import { expect, expectTypeOf } from 'vitest'
import { test } from 'keepalive-kit/fixtures'
import type { TestServer } from 'keepalive-kit'

declare const server: TestServer

expectTypeOf(expect(server).toReuseConnection({ maxConnections: 1 })).toEqualTypeOf<void>()
expectTypeOf(expect(server.requests).not.toOpenNewSocketPerRequest()).toEqualTypeOf<void>()
expectTypeOf(expect(server.requests[0]).toUseConnections(1)).toEqualTypeOf<void>()
expectTypeOf(expect(server).toUseAtMostConnections(2)).toEqualTypeOf<void>()
expectTypeOf(expect(server).toSendConnectionHeader(/close/)).toEqualTypeOf<void>()
expectTypeOf(expect(server).toHaveOpenConnections(0)).toEqualTypeOf<void>()
expectTypeOf(expect(Promise.resolve(server)).resolves.toReuseConnection()).toEqualTypeOf<Promise<void>>()
expect({ server }).toEqual({ server: expect.toUseConnections(1) })
expect({ server }).toEqual({ server: expect.not.toUseConnections(2) })
// @ts-expect-error n is a number
expect(server).toUseConnections('2')
// @ts-expect-error the option is maxConnections
expect(server).toReuseConnection({ max: 1 })
test('the fixtures expect has them too', ({ server, expect }) => {
  expectTypeOf(expect(server).toReuseConnection()).toEqualTypeOf<void>()
  // @ts-expect-error a token or a RegExp
  expect(server).toSendConnectionHeader(true)
})
`,
}
for (const resolution of Object.keys(resolutions) as (keyof typeof resolutions)[])
  files[`tsconfig.${resolution}.json`] = await tsconfig(resolution)

/** The rest of the story, for the oldest set-up the package supports: msw 2 and the contract. */
const vitest4Story: Record<string, string> = {
  'test/msw.test.ts': `import http from 'node:http'
import { HttpResponse, http as mock } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { createTestServer } from 'keepalive-kit'
import { fromHandlers, passthroughTestServers } from 'keepalive-kit/msw'

const mocks = setupServer(
  passthroughTestServers(),
  mock.get('https://auth.example.com/token', () => HttpResponse.json({ token: 't' })),
)
beforeAll(() => mocks.listen({ onUnhandledRequest: 'error' }))
afterEach(() => mocks.resetHandlers())
afterAll(() => mocks.close())

const api = fromHandlers(mock.get('/user', () => HttpResponse.json({ id: 1 })))
afterEach(() => api.resetHandlers())

it('answers with msw handlers on a real socket, next to setupServer', async () => {
  const server = await createTestServer({ handler: api })
  const agent = new http.Agent({ keepAlive: true })
  const bodies: string[] = []
  for (let i = 0; i < 3; i++)
    await new Promise((resolve, reject) =>
      http
        .get(server.urlFor('/user'), { agent }, (res) => {
          let body = ''
          res.on('data', (chunk) => (body += chunk)).on('end', () => resolve(bodies.push(body)))
        })
        .on('error', reject),
    )
  agent.destroy()
  expect(bodies).toEqual(['{"id":1}', '{"id":1}', '{"id":1}'])
  // As the README says: msw 2 sends passed-through requests with Connection: close.
  expect(server).toOpenNewSocketPerRequest()
  expect(server).toSendConnectionHeader('close')
  expect(await fetch('https://auth.example.com/token').then((res) => res.json())).toEqual({ token: 't' })
  await server.close()
})

it('overrides a handler for one test', async () => {
  api.use(mock.get('/user', () => HttpResponse.json({ id: 2 })))
  const server = await createTestServer({ handler: api })
  expect(await fetch(server.urlFor('/user')).then((res) => res.json())).toEqual({ id: 2 })
  await server.close()
})
`,
  'test/contract.test.ts': `import http from 'node:http'
import { describeKeepAliveContract } from 'keepalive-kit/contract'

describeKeepAliveContract('node:http keepAlive agent', {
  createClient: () => {
    const agent = new http.Agent({ keepAlive: true })
    return {
      request: (url: string) =>
        new Promise<void>((resolve, reject) => {
          http.get(url, { agent }, (res) => res.resume().on('end', () => resolve())).on('error', reject)
        }),
      close: () => agent.destroy(),
    }
  },
})
`,
}

const runners = (opening: string) =>
  docBlock('docs/runners.md', '### An ES module project', 'js', opening)

/** An ES module Jest 30 project as docs/runners.md shows it, and a file that is only type-checked. */
const jestFiles: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'jest-consumer', private: true, type: 'module' }),
  'jest.config.js': await runners('// jest.config.js\n'),
  'keep-alive.test.js': await runners('// keep-alive.test.js\n'),
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      target: 'es2023',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node', 'jest', 'keepalive-kit/jest'],
    },
    include: ['*.ts'],
  }),
  // Never run: each line fails tsc if a matcher lost its type on either Jest expect.
  'matcher-types.ts': `import { expect as jestExpect } from '@jest/globals'
import type { TestServer } from 'keepalive-kit'

declare const server: TestServer

jestExpect(server).toReuseConnection({ maxConnections: 1 })
jestExpect({ server }).toEqual({ server: jestExpect.toUseConnections(1) })
// @ts-expect-error n is a number
jestExpect(server).toUseConnections('2')
// The global expect, typed by @types/jest.
expect(server).not.toOpenNewSocketPerRequest()
expect({ server }).toEqual({ server: expect.toUseConnections(1) })
// @ts-expect-error n is a number
expect(server).toUseConnections('2')
`,
}

const project = packedProjects()

/** Runs the project's vitest on `node` and returns its report. */
async function vitest(root: string, node = process.execPath): Promise<string> {
  const bin = join(root, 'node_modules/vitest/vitest.mjs')
  const result = await run(node, [bin, 'run', '--reporter=verbose'], {
    cwd: root,
    env: { ...env, CI: 'true', NO_COLOR: '1' },
  })
  return result.stdout
}

/** Type-checks the project as its tsconfig for `resolution` says; throws tsc's report. */
async function typecheck(root: string, resolution: keyof typeof resolutions): Promise<void> {
  await run(process.execPath, [tsc, '-p', `tsconfig.${resolution}.json`], { cwd: root, env }).catch(
    (error: { stdout?: string }) => {
      throw new Error(`tsc under ${resolution} failed:\n${error.stdout}`)
    },
  )
}

describe('the packed package in a fresh project, as the docs show', () => {
  test('Vitest 5: the tests pass and tsc accepts them under nodenext, node16 and bundler, libs checked or not', {
    timeout: 180_000,
  }, async () => {
    const root = await project(
      'vitest5',
      [`vitest@${await installed('vitest')}`, `@types/node@${await installed('@types/node')}`],
      files,
    )
    expect(await vitest(root)).toMatch(/Tests +3 passed \(3\)/)
    for (const resolution of Object.keys(resolutions) as (keyof typeof resolutions)[])
      await typecheck(root, resolution)
  })

  // Regression: the matchers' types merged only with Vitest 5's `Matchers<R, T>`, so under
  // Vitest 4 (which the peer range admits) every matcher was unknown to tsc.
  // `npm run test:matrix` runs this one on Node 20 (KEEPALIVE_CONSUMER_NODE).
  const node = process.env.KEEPALIVE_CONSUMER_NODE ?? process.execPath
  test('Vitest 4 and msw 2: the whole story passes, and tsc accepts it, libs checked or not', {
    timeout: 180_000,
  }, async () => {
    const root = await project(
      'vitest4',
      [
        'vitest@4',
        `msw@${await installed('msw2')}`,
        `@types/node@${await installed('@types/node')}`,
      ],
      { ...files, ...vitest4Story },
    )
    const report = await vitest(root, node)
    expect(report).toMatch(/Tests +13 passed \| 5 skipped \(18\)/)
    await typecheck(root, 'nodenext')
    await typecheck(root, 'nodenext-libcheck')
  })

  test('Jest 30, ES modules: the example in docs/runners.md passes, and tsc accepts both expects', {
    timeout: 180_000,
  }, async () => {
    const root = await project(
      'jest',
      [
        `jest@${await installed('jest')}`,
        `@jest/globals@${await installed('@jest/globals')}`,
        `@types/jest@${await installed('@types/jest')}`,
        `@types/node@${await installed('@types/node')}`,
      ],
      jestFiles,
    )
    const jest = await run(
      process.execPath,
      [join(root, 'node_modules/jest/bin/jest.js'), '--ci'],
      {
        cwd: root,
        env: { ...env, NODE_OPTIONS: '--experimental-vm-modules --no-warnings' },
      },
    )
    expect(jest.stderr).toMatch(/Tests: +1 passed, 1 total/)
    await run(process.execPath, [tsc, '-p', '.'], { cwd: root, env }).catch(
      (error: { stdout?: string }) => {
        throw new Error(`tsc failed:\n${error.stdout}`)
      },
    )
  })
})
