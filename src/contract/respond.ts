import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { KeepAliveKitError } from '../errors.js'
import type { Respond } from './types.js'

/** What a response carries before it is written: its headers and its whole body. */
export interface Body {
  readonly headers: OutgoingHttpHeaders
  readonly bytes: Uint8Array
}

/** Error bodies without `respond` are large, so a client that leaves them unread is caught. */
const errorText = 'x'.repeat(16 * 1024)

const text = (value: string): Body => ({
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  bytes: Buffer.from(value),
})

/** Turns what `respond` returned into headers and bytes, following the rules of API.md. */
async function bodyOf(value: unknown): Promise<Body> {
  if (typeof value === 'string') return text(value)
  if (value instanceof Uint8Array)
    return { headers: { 'content-type': 'application/octet-stream' }, bytes: value }
  if (value instanceof Response) {
    const headers: OutgoingHttpHeaders = {}
    // The length and framing are ours to set: the body is sent whole, with its length.
    for (const [name, header] of value.headers)
      if (name !== 'content-length' && name !== 'transfer-encoding') headers[name] = header
    return { headers, bytes: new Uint8Array(await value.arrayBuffer()) }
  }
  const json = JSON.stringify(value)
  if (json === undefined)
    throw new KeepAliveKitError(
      `respond() returned ${typeof value}, which has no JSON form. Return a string, a Uint8Array, a Response or a JSON value.`,
    )
  return { headers: { 'content-type': 'application/json' }, bytes: Buffer.from(json) }
}

/**
 * The body for one response: what `respond` gives, or without it `ok` for a success and 16 KiB
 * of text for an error.
 */
export async function bodyFor(
  respond: Respond | undefined,
  request: { method: string; path: string; status: number },
): Promise<Body> {
  if (respond === undefined) return text(request.status < 400 ? 'ok' : errorText)
  try {
    return await bodyOf(await respond(request))
  } catch (error) {
    if (error instanceof KeepAliveKitError) throw error
    throw new KeepAliveKitError(
      `respond() threw for ${request.method} ${request.path} (status ${request.status}): ${String(error)}`,
      { cause: error },
    )
  }
}

/** Reads a request's body whole, as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString()
}

/** Writes a whole response with its status, its length and the body's headers. */
export function send(res: ServerResponse, status: number, body: Body): void {
  if (res.destroyed || res.headersSent) return
  res
    .writeHead(status, { ...body.headers, 'content-length': body.bytes.byteLength })
    .end(body.bytes)
}
