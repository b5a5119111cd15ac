// What Jest loads when it resolves `keepalive-kit/jest` with require() (jest-config resolves
// setup files with the `require` condition, whatever the project). keepalive-kit is ES modules
// only, so this file hands over to the ES module entry, `jest.js`, in the way the running Node
// and Jest allow, or says exactly what to change.
import vm = require('node:vm')

// The same checks as Jest's own: node's VM modules are on (`--experimental-vm-modules`), and
// a module graph can be evaluated synchronously (Node 24.9+), which Jest's require(esm) needs.
const vmModules = typeof vm.SyntheticModule === 'function'
const requireEsm =
  vmModules &&
  typeof (vm.SourceTextModule?.prototype as { hasAsyncGraph?: unknown } | undefined)
    ?.hasAsyncGraph === 'function'

if (requireEsm) {
  require('./jest.js')
} else if (vmModules) {
  // Older Node: ES modules load only asynchronously, so register before the first test.
  const { beforeAll }: typeof import('@jest/globals') = require('@jest/globals')
  beforeAll(async () => {
    await import('./jest.js')
  })
} else {
  throw new Error(
    'keepalive-kit: keepalive-kit is ES modules only, and Jest runs without them. Start Jest ' +
      "with node's VM modules on: NODE_OPTIONS=--experimental-vm-modules npx jest. On Node " +
      '24.9 or later, CommonJS test files may then require() keepalive-kit; on older Node, test ' +
      'files that import it must be ES modules ("type": "module" in package.json, or .mjs). ' +
      'See node_modules/keepalive-kit/docs/runners.md.',
  )
}

// The matchers' types reach TypeScript projects compiled as CommonJS through this reference.
export type * from './jest.js'
