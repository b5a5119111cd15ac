// The test certificate passes the strict verifiers that real clients run: node's, OpenSSL's
// -x509_strict, Python's VERIFY_X509_STRICT (the default from 3.13) and curl's.
import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from 'node:tls'
import { promisify } from 'node:util'
import { describe, expect, onTestFinished, test } from 'vitest'
import { makeCertificate, testCertificate } from '../../src/tls/certificate.js'
import { requireTool } from '../cli/helpers.js'

const run = promisify(execFile)
const certificate = testCertificate()

function writePem(made = certificate): { ca: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'keepalive-kit-cert-'))
  writeFileSync(join(dir, 'ca.pem'), made.ca)
  writeFileSync(join(dir, 'cert.pem'), made.cert)
  return { ca: join(dir, 'ca.pem'), cert: join(dir, 'cert.pem') }
}

/** A bare node:https server presenting the leaf, on `host`. */
async function bareServer(host: string, made = certificate): Promise<number> {
  const server: Server = createServer({ key: made.key, cert: made.cert }, (_req, res) =>
    res.end('ok'),
  )
  server.listen(0, host)
  onTestFinished(() => void server.close())
  await once(server, 'listening')
  return (server.address() as AddressInfo).port
}

/** Connects with node's TLS client trusting the CA alone; resolves to whether it was authorized. */
async function nodeVerifies(host: string, servername: string | undefined): Promise<boolean> {
  const port = await bareServer(host)
  const socket = connect({ host, port, ca: certificate.ca, ...(servername ? { servername } : {}) })
  onTestFinished(() => void socket.destroy())
  await once(socket, 'secureConnect')
  return socket.authorized
}

describe('the test certificate', () => {
  test('is one per process: every call gives the same CA, key and leaf', () => {
    expect(testCertificate()).toBe(certificate)
  })

  test('is new for each call of makeCertificate: another process trusts another CA', () => {
    expect(makeCertificate().ca).not.toBe(certificate.ca)
  })

  test.each([
    ['localhost', '127.0.0.1', 'localhost'],
    ['127.0.0.1', '127.0.0.1', undefined],
  ])('node verifies it for %s with the CA as its only root', async (_name, host, servername) => {
    expect(await nodeVerifies(host, servername)).toBe(true)
  })

  // Node 22 compares the SAN 0:0:0:0:0:0:0:1 with '::1' as strings and refuses it (measured on
  // 22.23); Node 24 compares addresses. The certificate is the same; openssl below checks it.
  const major = Number(process.versions.node.split('.')[0])
  test.skipIf(major < 24)('node 24 verifies it for ::1 with the CA as its only root', async () => {
    expect(await nodeVerifies('::1', undefined)).toBe(true)
  })

  test('node refuses it without the CA: the leaf is not self-signed', async () => {
    const port = await bareServer('127.0.0.1')
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost' })
    onTestFinished(() => void socket.destroy())
    const [error] = (await once(socket, 'error').catch((e: unknown) => [e])) as [
      NodeJS.ErrnoException,
    ]
    expect(error.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE')
  })

  test('passes openssl verify -x509_strict', async () => {
    requireTool('openssl', 'openssl')
    const files = writePem()
    const { stdout } = await run('openssl', [
      'verify',
      '-x509_strict',
      '-purpose',
      'sslserver',
      '-CAfile',
      files.ca,
      files.cert,
    ])
    expect(stdout.trim()).toBe(`${files.cert}: OK`)
  })

  test('openssl verify -x509_strict rejects a leaf without an Authority Key Identifier', async () => {
    requireTool('openssl', 'openssl')
    const files = writePem(makeCertificate({ omitAuthorityKeyId: true }))
    const failed = await run('openssl', ['verify', '-x509_strict', '-CAfile', files.ca, files.cert])
      .then(() => '')
      .catch((error: { stdout: string; stderr: string }) => error.stdout + error.stderr)
    expect(failed).toContain('Missing Authority Key Identifier')
  })

  const strictPython = `
import socket, ssl, sys
context = ssl.create_default_context(cafile=sys.argv[1])
context.verify_flags |= ssl.VERIFY_X509_STRICT
for name in ('localhost', '127.0.0.1'):
    with socket.create_connection(('127.0.0.1', int(sys.argv[2]))) as raw:
        try:
            with context.wrap_socket(raw, server_hostname=name) as tls:
                print(name, tls.version())
        except ssl.SSLCertVerificationError as error:
            print(name, error.verify_message)
`

  test("passes Python's ssl with VERIFY_X509_STRICT for localhost and 127.0.0.1", async () => {
    requireTool('python3', 'python3')
    const files = writePem()
    const port = await bareServer('127.0.0.1')
    const { stdout } = await run('python3', ['-c', strictPython, files.ca, String(port)])
    expect(stdout.trim().split('\n')).toEqual(['localhost TLSv1.3', '127.0.0.1 TLSv1.3'])
  })

  test("Python's VERIFY_X509_STRICT rejects a leaf without an Authority Key Identifier", async () => {
    requireTool('python3', 'python3')
    const broken = makeCertificate({ omitAuthorityKeyId: true })
    const files = writePem(broken)
    const port = await bareServer('127.0.0.1', broken)
    const { stdout } = await run('python3', ['-c', strictPython, files.ca, String(port)])
    expect(stdout.trim().split('\n')).toEqual([
      'localhost Missing Authority Key Identifier',
      '127.0.0.1 Missing Authority Key Identifier',
    ])
  })

  test('passes curl --cacert for localhost', async () => {
    requireTool('curl', 'curl')
    const files = writePem()
    const port = await bareServer('127.0.0.1')
    const { stdout } = await run('curl', [
      '--silent',
      '--show-error',
      '--cacert',
      files.ca,
      '--resolve',
      `localhost:${port}:127.0.0.1`,
      `https://localhost:${port}/`,
    ])
    expect(stdout).toBe('ok')
  })
})
