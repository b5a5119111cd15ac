import { MatcherUsageError } from './errors.js'
import { renderTimelineSvg } from './picture/svg.js'

/** The part of vitest's test context a failing matcher uses to attach the picture. */
interface AnnotatingTask {
  readonly context?: {
    readonly annotate?: (
      message: string,
      type: string,
      attachment: { contentType: string; body: string; bodyEncoding: 'utf-8' },
    ) => Promise<unknown>
  }
}

/** The part of vitest's `this` in a matcher that the wrapper reads. */
interface AnnotatingState {
  readonly isNot?: boolean | undefined
  readonly task?: AnnotatingTask | undefined
}

type Matcher = (this: AnnotatingState, received: unknown, ...args: never[]) => unknown

/** Annotations on their way to vitest's main process. */
const pending = new Set<Promise<unknown>>()

/**
 * Resolves once every timeline attached so far has reached vitest's main process. The setup
 * file awaits it after each test: a failing test does not wait for its annotations, and without
 * this most would reach reporters only after the test's result.
 */
export async function timelinesAttached(): Promise<void> {
  await Promise.all(pending)
}

/** The annotation's type, for reporters that filter on it. */
const timelineAnnotationType = 'keepalive-kit:timeline'

/**
 * Starts attaching the timeline picture of `received` to the running test as a vitest
 * annotation. Synchronous: vitest keeps the annotation's promise on the test, and the runner
 * sends it before the test's result. Never throws: the picture is extra evidence, and the
 * matcher's own message must reach the user whatever happens here.
 */
function attachTimeline(task: AnnotatingTask | undefined, received: unknown): void {
  const annotate = task?.context?.annotate
  if (typeof annotate !== 'function') return
  try {
    // 720 px: vitest's HTML report draws the picture at most 600 px wide.
    const body = renderTimelineSvg(received as never, { width: 720 })
    const sent = annotate('keepalive-kit: connection timeline', timelineAnnotationType, {
      contentType: 'image/svg+xml',
      body,
      bodyEncoding: 'utf-8',
    })
      .catch(() => {})
      .finally(() => pending.delete(sent))
    pending.add(sent)
  } catch {
    // A subject the picture cannot draw: the matcher has already said what was wrong with it.
  }
}

/**
 * The matchers, each attaching the connection timeline as an `image/svg+xml` annotation to the
 * test when it fails (under `.not` too). The matcher itself stays synchronous and unchanged.
 */
export function withTimelineOnFailure<T extends Record<string, unknown>>(matchers: T): T {
  const wrapped: Record<string, unknown> = {}
  for (const [name, matcher] of Object.entries(matchers)) {
    if (typeof matcher !== 'function') continue
    const each = {
      [name](this: AnnotatingState, received: unknown, ...args: never[]) {
        let result: { pass?: unknown }
        try {
          result = (matcher as Matcher).call(this, received, ...args) as { pass?: unknown }
        } catch (error) {
          // The matcher cut a usage error's stack at itself; this wrapper is one frame above.
          if (error instanceof MatcherUsageError) Error.captureStackTrace?.(error, each)
          throw error
        }
        if (Boolean(result?.pass) === Boolean(this.isNot)) attachTimeline(this.task, received)
        return result
      },
    }[name]
    wrapped[name] = each
  }
  return wrapped as T
}
