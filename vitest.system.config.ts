import { defineConfig } from 'vitest/config'

// Tests that need what npm cannot install, from Debian's packages: the pictures looked at in a
// real browser (chromium, driven by playwright-core) and `check` against a Go client
// (golang-go). Not part of `npm test`: run them with `npm run test:system` after
// `apt-get install -y chromium golang-go`.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.spec.ts', 'test/system/**/*.spec.ts'],
    globalSetup: ['./test/global-setup.ts'],
    setupFiles: ['./test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One browser at a time: the machines that run this are small.
    fileParallelism: false,
  },
})
