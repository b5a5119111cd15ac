import { resumesTlsSession } from '../src/tls/resumption.js'
import { hint, judge, type MatcherContext, type MatcherResult, timelineResult } from './context.js'

/**
 * The `toResumeTlsSession` matcher, for `expect.extend` in any runner. Its rule is on `KeepAliveMatchers`
 * (matchers/types.ts), which is what an editor shows on `expect(…).toResumeTlsSession`; its failure output
 * is in docs/matchers.md.
 *
 * @example
 * expect.extend({ toResumeTlsSession })
 */
export function toResumeTlsSession(this: MatcherContext, received: unknown): MatcherResult {
  const verdict = judge(toResumeTlsSession, () => resumesTlsSession(received as never))
  return timelineResult(hint(this, 'toResumeTlsSession', received), verdict, undefined, received)
}
