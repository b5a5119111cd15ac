/**
 * The Jest 30 setup entry: registers keepalive-kit's matchers on Jest's `expect` and adds their
 * types. Name it in `setupFilesAfterEnv`; for the types, TypeScript must also see this module
 * (an import in a setup file that tsconfig includes, or `"types": ["keepalive-kit/jest"]`).
 *
 * @example
 * // jest.config.js
 * export default { setupFilesAfterEnv: ['keepalive-kit/jest'] }
 */
import { expect } from '@jest/globals'
import * as matchers from '../matchers/index.js'
import type { KeepAliveMatchers } from '../matchers/types.js'

expect.extend(matchers)

declare module 'expect' {
  // Jest's `expect(…)` and `expect.not` read `Matchers`; `expect.toX()` (asymmetric) reads
  // `AsymmetricMatchers`, whose methods return nothing useful, hence `void`.
  interface Matchers<R extends void | Promise<void>, T = unknown> extends KeepAliveMatchers<R> {}
  interface AsymmetricMatchers extends KeepAliveMatchers<void> {}
}

declare global {
  // The global `expect` of projects typed by @types/jest reads these instead.
  namespace jest {
    interface Matchers<R, T> extends KeepAliveMatchers<R> {}
    interface Expect extends KeepAliveMatchers<void> {}
    interface InverseAsymmetricMatchers extends KeepAliveMatchers<void> {}
  }
}
