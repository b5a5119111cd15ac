import type { RequestHandler } from '../types.js'

export function createMswHandler(_handlers: readonly unknown[]): RequestHandler {
  throw new Error('not yet')
}
