import { resumesTlsSession } from '../../tls/resumption.js'
import { patternOf } from '../context.js'
import { paths, type Scenario } from './types.js'

export const tlsResumption: Scenario = {
  id: 'tls-resumption',
  short: 'resume',
  title:
    'after the server closes idle connections, the next connection resumes the TLS session (reported; a failing check with `resumesTlsSessions: true`)',
  healthy:
    'A client that resumes TLS sessions offers the session of its earlier connection when it opens a new one, so the new connection makes an abbreviated handshake instead of a full one.',
  waits: 5,
  judgesReuse: false,
  skip: (options) =>
    options.tls ? undefined : 'needs `tls: true`: there is no TLS session over clear-text HTTP',
  async run(context) {
    const server = await context.server({ idleTimeout: 0 })
    await context.sequential(paths('/resume/before', 2).map((path) => server.urlFor(path)))
    const before = server.requests.length
    await server.closeIdleConnections()
    await context.allClosed(server)
    await context.sequential(paths('/resume/after', 2).map((path) => server.urlFor(path)))
    const verdict = resumesTlsSession(server)
    if (context.options.resumesTlsSessions)
      context.expect(
        verdict,
        'expect(server).toResumeTlsSession(), as declared by `resumesTlsSessions: true` (leave it out if your client does not resume sessions: the scenario then reports what it saw)',
      )
    const [first] = server.connections
    const full = server.connections.filter(
      (connection) =>
        connection !== first && connection.requestCount > 0 && !connection.tls?.resumed,
    )
    const seen = verdict.pass
      ? 'TLS session resumed'
      : `TLS session not resumed: full handshake on ${full.map((each) => `conn ${each.id}`).join(', ')}`
    const requests = server.requests
    return `${patternOf(requests.slice(0, before))} | ${patternOf(requests.slice(before))} · ${seen}`
  },
}
