import { MatcherUsageError } from '../src/errors.js'
import { isRecordedRequest, isTestServer } from '../src/subject.js'
import { formatFindings, formatOpeners, formatTimeline } from '../src/timeline.js'
import { unusedConnections } from '../src/tls/unused.js'
import type { Verdict } from '../src/verdicts.js'

/**
 * The part of the `this` that Jest and Vitest give a custom matcher that ours read. Declared
 * here, not imported, so the matchers type-check against either runner and need neither.
 */
export interface MatcherContext {
  /** True under `.not`. It changes the wording of a message, never `pass`. */
  readonly isNot?: boolean | undefined
}

/**
 * What a matcher returns, in the shape both runners accept. `actual` and `expected` are set
 * where a diff helps (counts), so the runner prints it.
 */
export interface MatcherResult {
  pass: boolean
  message: () => string
  actual?: unknown
  expected?: unknown
  /**
   * The verdict behind the result, for code that reports it (the contract suite and the survey
   * read its summary and findings instead of parsing the message). Runners ignore it.
   */
  verdict?: Verdict
}

/** What `expect(…)` shows for the subject: the kind of value, never its contents. */
const nameOf = (received: unknown): string =>
  isTestServer(received) ? 'server' : isRecordedRequest(received) ? 'request' : 'requests'

/** The first line of every message: `expect(server).not.toReuseConnection()`. */
export function hint(
  context: MatcherContext,
  matcher: string,
  received: unknown,
  args = '',
): string {
  return `expect(${nameOf(received)})${context.isNot ? '.not' : ''}.${matcher}(${args})`
}

/**
 * Runs a verdict and cuts a usage error's stack at the matcher, so it points at the user's
 * `expect(…)` line rather than into keepalive-kit.
 */
export function judge(matcher: (...args: never[]) => unknown, run: () => Verdict): Verdict {
  try {
    return run()
  } catch (error) {
    if (error instanceof MatcherUsageError) Error.captureStackTrace?.(error, matcher)
    throw error
  }
}

/**
 * For a server subject, who opened its connections (see `formatOpeners`). A slice of requests
 * carries no link to its connections' records, so it shows none.
 */
const openersOf = (received: unknown): string =>
  isTestServer(received) ? formatOpeners(received.connections) : ''

/**
 * The result of a matcher over requests: the hint, the verdict's summary, the timeline and the
 * recorded facts behind it, the evidence a reader needs to see why it passed or failed. Built
 * only when the runner asks. Given the `received` server, it also says who opened each
 * connection and lists TLS connections that carried no request.
 */
export function timelineResult(
  first: string,
  verdict: Verdict,
  diff: { actual: number; expected: number } | undefined = undefined,
  received: unknown = undefined,
): MatcherResult {
  return {
    pass: verdict.pass,
    verdict,
    message: () => {
      const findings = formatFindings(verdict.findings)
      const openers = openersOf(received)
      // A journal that keeps no request (journal: 'counts') has no timeline to show.
      const timeline = verdict.requests.length === 0 ? '' : `:\n${formatTimeline(verdict.requests)}`
      return `${first}\n\n${verdict.summary}${timeline}${openers && `\n\n${openers}`}${findings && `\n\n${findings}`}${unusedConnections(received)}`
    },
    ...diff,
  }
}
