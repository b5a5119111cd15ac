// The verdicts behind the matchers, `check`, `serve` and the survey: one home, split by concern
// under src/verdicts/.
export { sendsConnectionHeader } from './verdicts/header.js'
export { hasOpenConnections } from './verdicts/open-connections.js'
export {
  describePattern,
  opensNewSocketPerRequest,
  reusesConnection,
  usesAtMostConnections,
  usesConnections,
} from './verdicts/pattern.js'
export type { Finding, Verdict } from './verdicts/types.js'
