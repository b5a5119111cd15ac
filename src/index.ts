export { InvalidOptionError, KeepAliveKitError, MatcherUsageError } from './errors.js'
export { createTestServer } from './server.js'
export type { TestServer, TestServerEvents } from './server.js'
export { formatConnection, formatRequest, formatTimeline } from './timeline.js'
export type {
  CloseReason,
  RecordedConnection,
  RecordedRequest,
  RequestHandler,
  TestServerOptions,
} from './types.js'
