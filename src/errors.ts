/**
 * The base of every error keepalive-kit throws. Catch this to tell our errors from your client's.
 *
 * @example
 * try {
 *   await createTestServer({ idleTimeout: -1 })
 * } catch (error) {
 *   if (error instanceof KeepAliveKitError) console.log(error.message)
 * }
 */
export class KeepAliveKitError extends Error {
  override name = 'KeepAliveKitError'

  constructor(message: string, options?: ErrorOptions) {
    super(`keepalive-kit: ${message}`, options)
  }
}

/**
 * Thrown by `createTestServer()` before anything listens when an option is wrong.
 *
 * @example
 * await expect(createTestServer({ port: 70000 })).rejects.toThrow(InvalidOptionError)
 */
export class InvalidOptionError extends KeepAliveKitError {
  override name = 'InvalidOptionError'
}

/**
 * Thrown by a matcher or verdict function that was used wrongly: a subject that is not a test
 * server or recorded requests, a bad argument, or a subject with no requests at all.
 *
 * @example
 * expect(() => expect('http://x').toReuseConnection()).toThrow(MatcherUsageError)
 */
export class MatcherUsageError extends KeepAliveKitError {
  override name = 'MatcherUsageError'
}
