import type { EventEmitter } from 'node:events'
import type { TestServerEvents } from './test-server.js'

/**
 * Emits after our own bookkeeping is done. A listener that throws (a failing `expect()`) must
 * not skip what comes after the emit (answering, counting, resolving `close()`): its error is
 * re-thrown on the next tick, an uncaught exception as node's own emitters make it.
 */
export function tell<Event extends keyof TestServerEvents>(
  emitter: EventEmitter<TestServerEvents>,
  event: Event,
  ...args: TestServerEvents[Event]
): void {
  try {
    // The cast only restates the emitter's own signature, which TS cannot match generically.
    ;(emitter.emit as (event: Event, ...args: TestServerEvents[Event]) => boolean).call(
      emitter,
      event,
      ...args,
    )
  } catch (error) {
    process.nextTick(() => {
      throw error
    })
  }
}
