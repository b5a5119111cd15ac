import * as tls from 'node:tls'
import { KeepAliveKitError } from '../errors.js'
import { testCertificate } from './certificate.js'

/**
 * Makes this process trust the test CA that every `tls: true` server presents, for the clients
 * that take no `ca` option: Node's fetch, the global https agent, axios, undici. It adds the CA
 * to node's default certificates (`tls.setDefaultCACertificates`, Node 22.19+ and 24.5+), for
 * connections opened from then on, and returns a function that puts the previous ones back.
 * Throws a `KeepAliveKitError` on a Node without it; see docs/tls.md for what to do there.
 *
 * @example
 * // in a vitest setup file, or in beforeAll()
 * const untrust = trustTestServers()
 * await fetch(server.url) // no certificate error
 * untrust()
 */
export function trustTestServers(): () => void {
  const { getCACertificates, setDefaultCACertificates } = tls as Partial<typeof tls>
  if (setDefaultCACertificates === undefined || getCACertificates === undefined)
    throw new KeepAliveKitError(
      `trustTestServers() needs tls.setDefaultCACertificates(), which Node ${process.versions.node} does not have (Node 22.19+ and 24.5+ do). Pass server.ca to your client instead (an https.Agent's ca option), or start node with NODE_EXTRA_CA_CERTS naming a file that holds it; see docs/tls.md.`,
    )
  const before = getCACertificates('default')
  setDefaultCACertificates([...before, testCertificate().ca])
  return () => setDefaultCACertificates(before)
}
