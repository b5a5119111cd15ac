import type { TestServer } from '../server.js'

/** The finding of a client that does not speak HTTPS to the contract's https:// servers. */
export const notHttps = 'the client does not speak HTTPS'

/** What shows the client spoke no HTTPS: its own error, or clear-text HTTP the server received. */
function evidenceOf(error: unknown, servers: readonly TestServer[]): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  if (code === 'ERR_INVALID_PROTOCOL' || /Protocol "https:" not supported/.test(String(error)))
    return `it rejected the https:// URL: ${String(error)}`
  const clear = servers
    .flatMap((server) => server.connections)
    .find((connection) => connection.error?.startsWith('ERR_SSL_HTTP_REQUEST') === true)
  if (clear !== undefined)
    return `it sent clear-text HTTP to the https:// server (conn ${clear.id}: the TLS handshake failed with ERR_SSL_HTTP_REQUEST), and its request failed: ${String(error)}`
  return undefined
}

/** The first line of the failure: what the contract expected. */
export const overHttps =
  'The contract runs over HTTPS (`tls: true`): every server is https:// and speaks only TLS.'

/**
 * Over `tls: true`, the one message for a client that does not speak HTTPS at all (a node:http
 * client, or one that rewrites the URL to http://), instead of every scenario's own failure;
 * `undefined` when the error says something else.
 */
export function notHttpsMessage(
  error: unknown,
  servers: readonly TestServer[],
): string | undefined {
  const evidence = evidenceOf(error, servers)
  if (evidence === undefined) return undefined
  return `But ${notHttps}: ${evidence}.
Make the client send its requests to the \`baseUrl\` that createClient({ baseUrl, ca }) receives, over HTTPS (node:https rather than node:http, fetch, undici), and trust the \`ca\` it receives (an https.Agent's \`ca\`, undici's \`connect: { ca }\`; docs/tls.md says how for each client). Or leave out \`tls: true\` to run the contract over clear-text HTTP.`
}
