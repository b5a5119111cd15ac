import { defineConfig } from 'vitest/config'

// The HTTP/1.1 server scenarios run twice, as Go's httptest tests run over a table of
// constructors: project `http` in clear text, project `tls` with every server on `tls: true`.
const overTls = [
  'test/server/scenarios.test.ts',
  'test/server/lifecycle.test.ts',
  'test/server/faults.test.ts',
]

export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 15_000,
    hookTimeout: 15_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'http',
          include: ['test/**/*.test.ts'],
          setupFiles: ['./test/setup.ts'],
          typecheck: {
            enabled: true,
            include: ['test/**/*.test-d.ts'],
            tsconfig: './tsconfig.json',
          },
        },
      },
      {
        extends: true,
        test: {
          name: 'tls',
          include: overTls,
          setupFiles: ['./test/setup.ts', './test/tls/trust-setup.ts'],
          env: { KEEPALIVE_TEST_TLS: '1' },
        },
      },
    ],
  },
})
