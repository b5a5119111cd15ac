import type { EventEmitter } from 'node:events'

/**
 * Resolves after `ms`, or as soon as `target` (a connection's socket, an HTTP/2 stream) closes,
 * so no timer outlives the server.
 */
export function delayUnlessClosed(
  target: EventEmitter & { readonly destroyed: boolean },
  ms: number,
): Promise<void> {
  return new Promise((resolve) => {
    if (target.destroyed) return resolve()
    const done = (): void => {
      clearTimeout(timer)
      target.off('close', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    target.once('close', done)
  })
}
