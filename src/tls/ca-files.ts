import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { rootCertificates } from 'node:tls'

/** The files that let a command trust a test server's CA, and the environment that names them. */
export interface CaFiles {
  /** The test CA alone (`KEEPALIVE_CA`). */
  readonly ca: string
  /** Node's root certificates plus the test CA: for the variables that replace the roots. */
  readonly bundle: string
  /** The variables that make common clients trust the test CA with no flag of their own. */
  readonly env: Readonly<Record<string, string>>
  /** Removes the files. */
  remove(): Promise<void>
}

/**
 * Writes `ca` to a new temporary folder, alone and in a bundle after node's root certificates,
 * and names them the way clients look for them: `NODE_EXTRA_CA_CERTS` (node, read at start),
 * `SSL_CERT_FILE` (OpenSSL: Python's ssl, httpx, Go, Ruby), `REQUESTS_CA_BUNDLE` (Python
 * requests), `CURL_CA_BUNDLE` (curl) and `KEEPALIVE_CA` (the test CA alone, for a `ca` option).
 * The bundle keeps the usual roots, so a command that also reaches a real host still can.
 */
export async function writeCaFiles(ca: string): Promise<CaFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'keepalive-kit-ca-'))
  const alone = join(dir, 'ca.pem')
  const bundle = join(dir, 'bundle.pem')
  await writeFile(alone, ca)
  await writeFile(bundle, `${[...rootCertificates, ca.trim()].join('\n')}\n`)
  return {
    ca: alone,
    bundle,
    env: {
      NODE_EXTRA_CA_CERTS: bundle,
      SSL_CERT_FILE: bundle,
      REQUESTS_CA_BUNDLE: bundle,
      CURL_CA_BUNDLE: bundle,
      KEEPALIVE_CA: alone,
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  }
}
