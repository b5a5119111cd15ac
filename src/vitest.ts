/**
 * The Vitest setup entry: registers keepalive-kit's matchers on Vitest's `expect` and adds their
 * types. Name it in `setupFiles`; for the types, TypeScript must also see this module (an import
 * in a setup file that tsconfig includes, or `"types": ["keepalive-kit/vitest"]`).
 *
 * @example
 * // vitest.config.ts
 * export default defineConfig({ test: { setupFiles: ['keepalive-kit/vitest'] } })
 */
import { afterEach, expect } from 'vitest'
import * as matchers from '../matchers/index.js'
import type { KeepAliveMatchers } from '../matchers/types.js'
import { timelinesAttached, withTimelineOnFailure } from './vitest-timeline.js'

// A failing matcher also attaches the timeline picture to its test (docs/evidence.md).
expect.extend(withTimelineOnFailure(matchers))
afterEach(() => timelinesAttached())

declare module 'vitest' {
  // Vitest 3.2+ reads `Matchers` for `expect(…)`, `expect.not`, asymmetric use and `expect.extend`.
  interface Matchers<R, T> extends KeepAliveMatchers<R> {}
}
