export { type AwaitBurstOptions, awaitBurst } from './burst.js'
export { InvalidOptionError, KeepAliveKitError, MatcherUsageError } from './errors.js'
export { injectFault } from './faults.js'
export type { TestServer, TestServerEvents } from './server.js'
export { createTestServer } from './server.js'
export type { Subject } from './subject.js'
export { formatConnection, formatFindings, formatRequest, formatTimeline } from './timeline.js'
export type {
  CloseReason,
  Fault,
  FaultName,
  FaultPicker,
  RecordedConnection,
  RecordedRequest,
  RequestHandler,
  TestServerOptions,
} from './types.js'
export type { Finding, Verdict } from './verdicts.js'
export {
  describePattern,
  hasOpenConnections,
  opensNewSocketPerRequest,
  reusesConnection,
  sendsConnectionHeader,
  usesAtMostConnections,
  usesConnections,
} from './verdicts.js'
