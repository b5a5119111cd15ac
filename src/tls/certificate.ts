import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import {
  bitString,
  boolean,
  explicit,
  implicit,
  integer,
  namedBits,
  octetString,
  oid,
  sequence,
  set,
  utcTime,
  utf8String,
} from './der.js'

/** The test certificate: a CA to trust and a leaf for `localhost`, `127.0.0.1` and `::1`. */
export interface TestCertificate {
  /** PEM of the CA certificate: what clients must trust. */
  readonly ca: string
  /** PEM of the leaf certificate the servers present. */
  readonly cert: string
  /** PEM (PKCS#8) of the leaf's private key. */
  readonly key: string
  /** How long making it took, in ms. */
  readonly tookMs: number
}

const ecdsaWithSha256 = sequence(oid('1.2.840.10045.4.3.2'))
const day = 24 * 60 * 60 * 1000

const name = (commonName: string): Buffer =>
  sequence(
    set(sequence(oid('2.5.4.10'), utf8String('keepalive-kit'))),
    set(sequence(oid('2.5.4.3'), utf8String(commonName))),
  )

const extension = (id: string, critical: boolean, value: Buffer): Buffer =>
  critical
    ? sequence(oid(id), boolean(true), octetString(value))
    : sequence(oid(id), octetString(value))

/** RFC 5280's method 1: the SHA-1 of the subjectPublicKey bits. */
const keyIdentifier = (spki: Buffer): Buffer => {
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING }; for a P-256
  // key the BIT STRING is the last 66 bytes: tag, length, unused-bits byte, 65-byte point.
  return createHash('sha1')
    .update(spki.subarray(spki.length - 65))
    .digest()
}

const pem = (label: string, der: Buffer): string =>
  `-----BEGIN ${label}-----\n${der
    .toString('base64')
    .replace(/.{64}/g, '$&\n')
    .replace(/\n$/, '')}\n-----END ${label}-----\n`

interface Issuer {
  name: Buffer
  keyId: Buffer
  privateKey: KeyObject
}

/** Serial numbers: 16 random bytes, positive, never starting with a zero byte. */
const serial = (): Buffer => {
  const bytes = randomBytes(16)
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40
  return bytes
}

function certificate(
  subject: Buffer,
  spki: Buffer,
  issuer: Issuer,
  extensions: readonly Buffer[],
): Buffer {
  const now = Date.now()
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial()),
    ecdsaWithSha256,
    issuer.name,
    // A day of slack either side of now: a client whose clock is a little off still accepts it.
    sequence(utcTime(new Date(now - day)), utcTime(new Date(now + 30 * day))),
    subject,
    spki,
    explicit(3, sequence(...extensions)),
  )
  const signature = sign('sha256', tbs, issuer.privateKey)
  return sequence(tbs, ecdsaWithSha256, bitString(signature))
}

const keyUsage = (bits: number[]): Buffer => extension('2.5.29.15', true, namedBits(bits))
const subjectKeyId = (id: Buffer): Buffer => extension('2.5.29.14', false, octetString(id))
const authorityKeyId = (id: Buffer): Buffer =>
  extension('2.5.29.35', false, sequence(implicit(0, id)))

/**
 * Makes a new CA and leaf. Use `testCertificate()`, which makes one per process.
 * `omitAuthorityKeyId` exists for the tests that prove strict verifiers reject such a leaf.
 */
export function makeCertificate(options: { omitAuthorityKeyId?: boolean } = {}): TestCertificate {
  const started = performance.now()
  const caKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const leafKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const caSpki = caKeys.publicKey.export({ type: 'spki', format: 'der' })
  const leafSpki = leafKeys.publicKey.export({ type: 'spki', format: 'der' })
  const caId = keyIdentifier(caSpki)
  const caName = name(`keepalive-kit test CA ${randomBytes(4).toString('hex')}`)
  const ca = certificate(
    caName,
    caSpki,
    { name: caName, keyId: caId, privateKey: caKeys.privateKey },
    [
      extension('2.5.29.19', true, sequence(boolean(true), integer(Buffer.from([0])))),
      keyUsage([0, 5, 6]), // digitalSignature, keyCertSign, cRLSign
      subjectKeyId(caId),
      authorityKeyId(caId),
    ],
  )
  const loopback = [
    implicit(2, Buffer.from('localhost', 'ascii')),
    implicit(7, Buffer.from([127, 0, 0, 1])),
    implicit(7, Buffer.from([...Array(15).fill(0), 1])),
  ]
  const leaf = certificate(
    name('localhost'),
    leafSpki,
    { name: caName, keyId: caId, privateKey: caKeys.privateKey },
    [
      extension('2.5.29.19', true, sequence()),
      keyUsage([0]), // digitalSignature: all an ECDHE-ECDSA handshake needs
      extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'))), // serverAuth
      extension('2.5.29.17', false, sequence(...loopback)),
      subjectKeyId(keyIdentifier(leafSpki)),
      ...(options.omitAuthorityKeyId ? [] : [authorityKeyId(caId)]),
    ],
  )
  return {
    ca: pem('CERTIFICATE', ca),
    cert: pem('CERTIFICATE', leaf),
    key: leafKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    tookMs: performance.now() - started,
  }
}

let shared: TestCertificate | undefined

/**
 * The process's test certificate, made on first use and shared by every TLS test server, so a
 * client that trusts `ca` once trusts them all.
 */
export function testCertificate(): TestCertificate {
  shared ??= makeCertificate()
  return shared
}
