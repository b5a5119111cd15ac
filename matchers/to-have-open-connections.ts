import type { TestServer } from '../src/server.js'
import { formatConnection } from '../src/timeline.js'
import { hasOpenConnections } from '../src/verdicts.js'
import { hint, judge, type MatcherContext, type MatcherResult } from './context.js'

/** As many connection lines as a reader scans; the rest are counted, not printed. */
const shown = 20

/**
 * The `toHaveOpenConnections` matcher, for `expect.extend` in any runner. Its rule is on `KeepAliveMatchers`
 * (matchers/types.ts), which is what an editor shows on `expect(…).toHaveOpenConnections`; its failure output
 * is in docs/matchers.md.
 *
 * @example
 * expect.extend({ toHaveOpenConnections })
 */
export function toHaveOpenConnections(
  this: MatcherContext,
  received: unknown,
  n: number,
): MatcherResult {
  const verdict = judge(toHaveOpenConnections, () => hasOpenConnections(received as TestServer, n))
  const server = received as TestServer
  const first = hint(this, 'toHaveOpenConnections', received, String(n))
  const open = server.openConnections
  const message = (): string => {
    // The open ones are the evidence; with none open, how the others ended explains why.
    const listed = open.length > 0 ? open : server.connections
    const lines = listed.slice(-shown).map((connection) => `  ${formatConnection(connection)}`)
    if (listed.length > shown) lines.unshift(`  … ${listed.length - shown} earlier connections …`)
    return `${first}\n\n${verdict.summary}${lines.length > 0 ? `:\n${lines.join('\n')}` : '.'}`
  }
  // A diff of the counts helps a failing positive assertion; under .not both sides are equal.
  const diff = verdict.pass || this.isNot ? {} : { actual: open.length, expected: n }
  return { pass: verdict.pass, message, ...diff }
}
