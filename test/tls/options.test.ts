// Bad `tls` and `http2` options: a keepalive-kit error that says what was wrong, before anything
// listens.
import { describe, expect, test } from 'vitest'
import { createTestServer, InvalidOptionError } from '../../src/index.js'
import { makeCertificate, testCertificate } from '../../src/tls/certificate.js'

const failure = async (options: unknown): Promise<string> => {
  const error = await createTestServer(options as never).then(
    (server) => server.close().then(() => new Error('created a server')),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(InvalidOptionError)
  return (error as Error).message
}

const { key, cert } = testCertificate()

describe('invalid tls options', () => {
  test('a string is not a tls option', async () => {
    expect(await failure({ tls: 'yes' })).toBe(
      'keepalive-kit: Failed to create the test server: option `tls` must be true, false, or { key, cert } with both in PEM (strings or Buffers), got "yes".',
    )
  })

  test('an object without cert', async () => {
    expect(await failure({ tls: { key } })).toBe(
      'keepalive-kit: Failed to create the test server: option `tls` must be true, false, or { key, cert } with both in PEM (strings or Buffers); got an object (key) with a PEM key and cert undefined.',
    )
  })

  test('an unknown key such as ca', async () => {
    expect(await failure({ tls: { key, cert, ca: cert } })).toBe(
      'keepalive-kit: Failed to create the test server: option `tls` must be true, false, or { key, cert } with both in PEM (strings or Buffers); unknown key `tls.ca`.',
    )
  })

  test('a cert that is not PEM', async () => {
    expect(await failure({ tls: { key, cert: 'cert.pem' } })).toContain(
      'got an object (key, cert) with a PEM key and cert "cert.pem".',
    )
  })

  // The key was named by every index of the Buffer: "key an object (0, 1, 2, …)".
  test('a key Buffer that is not PEM is named by its size', async () => {
    expect(await failure({ tls: { key: Buffer.from('not a key'), cert } })).toContain(
      'got an object (key, cert) with key a Buffer of 9 bytes and a PEM cert.',
    )
  })

  test('a long string is quoted by its start', async () => {
    expect(await failure({ tls: { key, cert: `cert-${'x'.repeat(100)}` } })).toContain(
      `and cert "cert-${'x'.repeat(32)}...".`,
    )
  })

  test('a key that does not match its certificate', async () => {
    expect(await failure({ tls: { key: makeCertificate().key, cert } })).toBe(
      'keepalive-kit: Failed to create the test server: `tls.key` does not match `tls.cert`: the key is not the private key of the certificate. Pass the key the certificate was issued for, or `tls: true` for the built-in test certificate.',
    )
  })

  test('a PEM certificate node cannot read', async () => {
    const broken = cert.replace(/\n[A-Za-z0-9+/]{10}/, '\n!!!!!!!!!!')
    expect(await failure({ tls: { key, cert: broken } })).toMatch(
      /^keepalive-kit: Failed to create the test server: `tls.cert` is not a PEM certificate node can read \(.+\)\.$/,
    )
  })
})

describe('invalid http2 options', () => {
  test('a non-boolean', async () => {
    expect(await failure({ http2: 'h2' })).toBe(
      'keepalive-kit: Failed to create the test server: option `http2` must be true or false, got "h2".',
    )
  })
})

test('tls: false and http2: false are clear-text HTTP/1.1', async () => {
  await using server = await createTestServer({ tls: false, http2: false })
  expect(server.url).toMatch(/^http:\/\//)
  expect(server.ca).toBeUndefined()
})
