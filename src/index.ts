export { type AwaitBurstOptions, awaitBurst } from './burst.js'
export { InvalidOptionError, KeepAliveKitError, MatcherUsageError } from './errors.js'
export { injectFault } from './faults.js'
export type { TimelineRecord } from './picture/input.js'
export type { TimelineSvgOptions } from './picture/svg.js'
export { renderTimelineSvg } from './picture/svg.js'
export type { TestServer, TestServerEvents } from './server.js'
export { createTestServer } from './server.js'
export type { Subject } from './subject.js'
export { formatFindings, formatTimeline } from './timeline.js'
export { resumesTlsSession } from './tls/resumption.js'
export { trustTestServers } from './tls/trust.js'
export type {
  CloseReason,
  Fault,
  FaultName,
  FaultPicker,
  RecordedConnection,
  RecordedRequest,
  RequestHandler,
  TestServerOptions,
  TlsDetails,
} from './types.js'
export type { Finding, Verdict } from './verdicts.js'
export {
  hasOpenConnections,
  opensNewSocketPerRequest,
  reusesConnection,
  sendsConnectionHeader,
  usesAtMostConnections,
  usesConnections,
} from './verdicts.js'
