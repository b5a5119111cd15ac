import { defineConfig } from 'vitest/config'

// A project of its own, run by ../annotations.test.ts in a child process: its tests fail on
// purpose, and the reporter writes down which annotations reached vitest's main process and when.
export default defineConfig({
  test: {
    root: new URL('../../..', import.meta.url).pathname,
    include: ['test/annotations/project/*.check.ts'],
    setupFiles: ['./src/vitest.ts'],
    reporters: ['./test/annotations/project/reporter.ts'],
  },
})
