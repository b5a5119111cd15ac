// The test certificate's key and leaf, for the bare node:https servers the TLS parts compare
// against: the same certificate, so both sides do the same handshakes. Read from the build by
// path, as the CLI reads internals: it is not part of the public API.
const internal = '../dist/src/tls/certificate.js'

export interface BenchCertificate {
  key: string
  cert: string
  ca: string
  tookMs: number
}

const module = (await import(new URL(internal, import.meta.url).href)) as {
  testCertificate: () => BenchCertificate
  makeCertificate: () => BenchCertificate
}

export const { testCertificate, makeCertificate } = module
