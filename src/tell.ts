import type { EventEmitter } from 'node:events'
import type { TestServerEvents } from './test-server.js'

/**
 * Emits after our own bookkeeping is done. A listener that throws (a failing `expect()`) must
 * not skip what comes after the emit (answering, counting, resolving `close()`): its error is
 * re-thrown on the next tick, an uncaught exception as node's own emitters make it.
 *
 * Every event carries one record, so it takes one argument: no rest array per request.
 */
export function tell<Event extends keyof TestServerEvents>(
  emitter: EventEmitter<TestServerEvents>,
  event: Event,
  record: TestServerEvents[Event][0],
): void {
  try {
    // The untyped signature: TS cannot match the typed one generically.
    ;(emitter as EventEmitter).emit(event, record)
  } catch (error) {
    process.nextTick(() => {
      throw error
    })
  }
}
