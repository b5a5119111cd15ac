import { InvalidOptionError } from '../errors.js'
import { createTestServer, type TestServer } from '../server.js'
import type { TestServerOptions } from '../types.js'
import { type Flags, flagOfOption, serverOptions, UsageError } from './args.js'

/**
 * Starts the test server the server flags describe. An option `createTestServer()` rejects
 * becomes a `UsageError` with its message, the option named as its flag.
 */
export async function startServer(
  command: string,
  flags: Flags,
  extra: TestServerOptions = {},
): Promise<TestServer> {
  try {
    return await createTestServer({ ...serverOptions(command, flags), ...extra })
  } catch (error) {
    if (!(error instanceof InvalidOptionError)) throw error
    // The message is the library's; only the option's name changes to the flag the user typed.
    const message = error.message
      .replace(/^keepalive-kit: /, '')
      .replace(/option `(\w+)`/, (named, option: string) => flagOfOption[option] ?? named)
    throw new UsageError(command, message)
  }
}
