import { errorResponses, retriedError } from './scenarios/errors.js'
import { closesConnections, concurrency, staleConnection } from './scenarios/pool.js'
import {
  clientKeepAliveOff,
  idleTimeout,
  sequentialReuse,
  serverKeepAliveOff,
  twoServers,
} from './scenarios/reuse.js'
import { streamAbandoned, streamReadToEnd } from './scenarios/streams.js'
import { tlsResumption } from './scenarios/tls.js'
import type { Scenario } from './scenarios/types.js'

export type { Scenario } from './scenarios/types.js'

/** Every scenario of the contract, in the order they run. */
export const keepAliveScenarios: readonly Scenario[] = [
  sequentialReuse,
  clientKeepAliveOff,
  serverKeepAliveOff,
  idleTimeout,
  twoServers,
  errorResponses,
  retriedError,
  concurrency,
  staleConnection,
  streamReadToEnd,
  streamAbandoned,
  closesConnections,
  tlsResumption,
]
