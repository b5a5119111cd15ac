import type { Server } from 'node:net'
import getPort from 'get-port'
import { KeepAliveKitError } from './errors.js'
import { isLoopback } from './loopback.js'

/** `'listening'`, or the error that came instead; lighter than events.once() (start+close figure). */
function listening(http: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      http.off('listening', onListening)
      reject(error)
    }
    const onListening = (): void => {
      http.off('error', onError)
      resolve()
    }
    http.once('listening', onListening).once('error', onError)
  })
}

async function listenOn(http: Server, host: string, port: number): Promise<void> {
  const listened = listening(http)
  http.listen(port, host)
  try {
    await listened
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw error
    const reason = error instanceof Error ? error.message : String(error)
    throw new KeepAliveKitError(
      `Failed to listen on ${host}:${port}: ${reason}. Is \`host\` an address of this machine? Leave it out to use 127.0.0.1.`,
      { cause: error },
    )
  }
}

/**
 * Binds `http` to `host` on the first free port of `ports` (any free port when none is, or when
 * `ports` is empty) and resolves to the port and the URL that reaches it. Warns when the address
 * is reachable from other machines.
 */
export async function listen(
  http: Server,
  host: string,
  ports: readonly number[],
  scheme: 'http' | 'https' = 'http',
): Promise<{ port: number; url: string }> {
  const preferred = ports.length === 0 ? 0 : await getPort({ port: ports, host })
  try {
    await listenOn(http, host, preferred)
  } catch (error) {
    // get-port's pick can be taken before we bind it; any free port will do then.
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || preferred === 0) throw error
    await listenOn(http, host, 0)
  }
  const address = http.address()
  if (address === null || typeof address === 'string')
    throw new KeepAliveKitError('the server has no TCP address')
  if (!isLoopback(host)) {
    process.emitWarning(
      `keepalive-kit: the test server listens on ${host}, reachable from other machines. Leave \`host\` out to bind 127.0.0.1.`,
      { code: 'KEEPALIVE_KIT_NOT_LOOPBACK' },
    )
  }
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host
  return {
    port: address.port,
    // Of the hosts that listen, only IPv6 addresses have a colon (no isIP() per server started).
    url: `${scheme}://${shown.includes(':') ? `[${shown}]` : shown}:${address.port}`,
  }
}
