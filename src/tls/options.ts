import { createPrivateKey, X509Certificate } from 'node:crypto'
import { createSecureContext, type SecureContext } from 'node:tls'
import { InvalidOptionError } from '../errors.js'
import { showValue } from '../values.js'
import { testCertificate } from './certificate.js'

/** The `tls` option after validation: what the server presents and what clients must trust. */
export interface ResolvedTls {
  readonly context: SecureContext
  /** PEM of the certificate clients must trust: the shared test CA, or the user's own `cert`. */
  readonly ca: string
}

const fail = (message: string): never => {
  throw new InvalidOptionError(`Failed to create the test server: ${message}`)
}

const isPem = (value: unknown): value is string | Buffer =>
  (typeof value === 'string' || Buffer.isBuffer(value)) && String(value).includes('-----BEGIN ')

const shape =
  'option `tls` must be true, false, or { key, cert } with both in PEM (strings or Buffers)'

/** Checks a user's own key and certificate: both PEM, parseable, and belonging together. */
function ownContext(key: string | Buffer, cert: string | Buffer): ResolvedTls {
  let certificate: X509Certificate
  try {
    certificate = new X509Certificate(cert)
  } catch (error) {
    return fail(
      `\`tls.cert\` is not a PEM certificate node can read (${(error as Error).message}).`,
    )
  }
  try {
    if (!certificate.checkPrivateKey(createPrivateKey(key)))
      fail(
        '`tls.key` does not match `tls.cert`: the key is not the private key of the certificate. Pass the key the certificate was issued for, or `tls: true` for the built-in test certificate.',
      )
  } catch (error) {
    if (error instanceof InvalidOptionError) throw error
    return fail(`\`tls.key\` is not a PEM private key node can read (${(error as Error).message}).`)
  }
  return { context: createSecureContext({ key, cert }), ca: String(cert) }
}

/**
 * Checks the `tls` option before anything listens and builds what the server needs; `undefined`
 * for clear text. `true` uses the process's shared test certificate (made on first use).
 */
export function resolveTls(tls: unknown): ResolvedTls | undefined {
  if (tls === undefined || tls === false) return undefined
  if (tls === true) {
    const { key, cert, ca } = testCertificate()
    return { context: createSecureContext({ key, cert }), ca }
  }
  if (typeof tls !== 'object' || tls === null || Array.isArray(tls))
    return fail(`${shape}, got ${showValue(tls)}.`)
  const { key, cert, ...rest } = tls as Record<string, unknown>
  const extra = Object.keys(rest)
  if (extra.length > 0)
    fail(`${shape}; unknown key ${extra.map((name) => `\`tls.${name}\``).join(', ')}.`)
  if (!isPem(key) || !isPem(cert))
    fail(
      `${shape}; got ${showValue(tls)} with ${isPem(key) ? 'a PEM key' : `key ${showValue(key)}`} and ${isPem(cert) ? 'a PEM cert' : `cert ${showValue(cert)}`}.`,
    )
  return ownContext(key as string | Buffer, cert as string | Buffer)
}
