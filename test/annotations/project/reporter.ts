import { writeFileSync } from 'node:fs'
import type { Reporter, TestCase, TestModule } from 'vitest/node'

/** What arrived for one test: while it ran, by its result, and at the end of the run. */
export interface Arrival {
  name: string
  state: string
  streamed: number
  atResult: number
  atEnd: { type: string; contentType?: string | undefined; body: string }[]
}

const timeline = (testCase: TestCase) =>
  testCase.annotations().filter((annotation) => annotation.type === 'keepalive-kit:timeline')

/** Writes what arrived, per test, as JSON to the file named by ANNOTATIONS_OUT. */
export default class ArrivalReporter implements Reporter {
  readonly streamed = new Map<string, number>()
  readonly atResult = new Map<string, number>()

  onTestCaseAnnotate(testCase: TestCase): void {
    this.streamed.set(testCase.id, (this.streamed.get(testCase.id) ?? 0) + 1)
  }

  onTestCaseResult(testCase: TestCase): void {
    this.atResult.set(testCase.id, timeline(testCase).length)
  }

  onTestRunEnd(modules: readonly TestModule[]): void {
    const arrivals: Arrival[] = modules.flatMap((module) =>
      [...module.children.allTests()].map((testCase) => ({
        name: testCase.name,
        state: testCase.result().state,
        streamed: this.streamed.get(testCase.id) ?? 0,
        atResult: this.atResult.get(testCase.id) ?? 0,
        atEnd: timeline(testCase).map(({ type, attachment }) => ({
          type,
          contentType: attachment?.contentType,
          body: typeof attachment?.body === 'string' ? attachment.body : '',
        })),
      })),
    )
    writeFileSync(process.env.ANNOTATIONS_OUT ?? 'annotations.json', JSON.stringify(arrivals))
  }
}
