import { defineConfig } from 'vitest/config'

// Tests that look at the pictures in a real browser: Debian's chromium, driven by
// playwright-core. Not part of `npm test` (npm cannot install the browser): run them with
// `npm run test:browser` after `apt-get install -y chromium`.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.spec.ts'],
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One browser at a time: the machines that run this are small.
    fileParallelism: false,
  },
})
