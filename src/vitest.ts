/**
 * The Vitest setup entry: registers keepalive-kit's matchers on Vitest's `expect` and adds their
 * types. Name it in `setupFiles`; for the types, TypeScript must also see this module (an import
 * in a setup file that tsconfig includes, or `"types": ["keepalive-kit/vitest"]`).
 *
 * @example
 * // vitest.config.ts
 * export default defineConfig({ test: { setupFiles: ['keepalive-kit/vitest'] } })
 */
import { afterEach, beforeEach, expect } from 'vitest'
import * as matchers from '../matchers/index.js'
import type { KeepAliveMatchers } from '../matchers/types.js'
import { tellRunningTests } from './openers.js'
import { timelinesAttached, withTimelineOnFailure } from './vitest-timeline.js'

// A failing matcher also attaches the timeline picture to its test (docs/evidence.md).
expect.extend(withTimelineOnFailure(matchers))
// A connection no user code opened names the tests running when it connected; counted, not
// guessed, so concurrent tests are all named.
const running = new Map<object, string>()
tellRunningTests(() => [...running.values()])
beforeEach(({ task }) => {
  running.set(task, task.fullTestName ?? task.name)
})
afterEach(({ task }) => {
  running.delete(task)
  return timelinesAttached()
})

/**
 * What a matcher call returns on the assertion `A` it is called on, read from Vitest's own
 * `toBeTypeOf`: `void`, or a promise after `.resolves`/`.rejects` in Vitest 5 (Vitest 4 wraps
 * the whole assertion in promises itself), and `void` on `expect` and `expect.not`.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: it is what the call returns, as Vitest's own
type Returned<A> = A extends { toBeTypeOf: (...args: never[]) => infer R } ? R : void
type On<A> = KeepAliveMatchers<Returned<A>>

declare module 'vitest' {
  // No type parameters, on purpose: Vitest 4 declares `Matchers<T>` and Vitest 5
  // `Matchers<R, T>`, and declarations merge only when their type parameters agree by name, so
  // `Matchers<R, T>` alone silently gave Vitest 4 no matchers. One without parameters merges with
  // both; each matcher reads what it returns from the assertion it is called on (`this`).
  // Vitest reads `Matchers` for `expect(…)`, `expect.toX()` and `expect.extend`.
  interface Matchers {
    toReuseConnection: On<this>['toReuseConnection']
    toOpenNewSocketPerRequest: On<this>['toOpenNewSocketPerRequest']
    toUseConnections: On<this>['toUseConnections']
    toUseAtMostConnections: On<this>['toUseAtMostConnections']
    toSendConnectionHeader: On<this>['toSendConnectionHeader']
    toHaveOpenConnections: On<this>['toHaveOpenConnections']
    toResumeTlsSession: On<this>['toResumeTlsSession']
  }
  // `expect.not.toX()`: Vitest 5 derives it from `Matchers`, Vitest 4 does not.
  interface AsymmetricMatchersContaining {
    toReuseConnection: On<this>['toReuseConnection']
    toOpenNewSocketPerRequest: On<this>['toOpenNewSocketPerRequest']
    toUseConnections: On<this>['toUseConnections']
    toUseAtMostConnections: On<this>['toUseAtMostConnections']
    toSendConnectionHeader: On<this>['toSendConnectionHeader']
    toHaveOpenConnections: On<this>['toHaveOpenConnections']
    toResumeTlsSession: On<this>['toResumeTlsSession']
  }
}
