import { reusesConnection } from '../../verdicts.js'
import { patternOf } from '../context.js'
import type { Scenario } from './types.js'

export const errorResponses: Scenario = {
  id: 'error-responses',
  short: 'errors',
  title: 'error responses (404, 500 with a body) do not cost the connection',
  healthy:
    'A healthy client reads or discards the body of an error response, so the connection goes back to its pool and the next request reuses it.',
  waits: 5,
  async run(context) {
    // Statuses follow the contract's calls, not paths: SDKs rewrite paths. A retry gets the same.
    let status = 200
    const server = await context.server({ answer: (_, reply) => reply(status) })
    for (const [i, next] of [200, 404, 500, 200, 200].entries()) {
      status = next
      const url = server.urlFor(`/errors/${i + 1}`)
      // SDKs may reject error statuses; that is theirs to decide. Only the connection is judged.
      const { error } = await context.attempt(url)
      if (error !== undefined && next === 200)
        context.fail(`the request to ${url}, answered 200, failed: ${String(error)}`)
    }
    context.expect(reusesConnection(server), 'expect(server).toReuseConnection()')
    return patternOf(server.requests)
  },
}

export const retriedError: Scenario = {
  id: 'retried-error',
  short: '5xx retry',
  title: "a retried 503 drains the failed response's body and retries on a kept-alive connection",
  healthy:
    "A healthy client that retries a 503 first reads or discards the failed response's body, so the retry goes out on a connection it already holds (the same one, or another in its pool), not on a new socket.",
  waits: 4,
  async run(context) {
    let failNext = false
    const server = await context.server({
      answer: (_, reply) => {
        if (!failNext) return reply(200)
        failNext = false
        return reply(503, { 'retry-after': '0' })
      },
    })
    await context.sequential([server.urlFor('/retry/warm-up')])
    failNext = true
    const before = server.requests.length
    const url = server.urlFor('/retry/once')
    const { error } = await context.attempt(url)
    const sent = server.requests.slice(before)
    const [, retry] = sent
    if (retry === undefined) {
      if (context.options.retriesServerErrors)
        return context.fail(
          `the client was declared to retry a 503 (\`retriesServerErrors: true\`) but sent the request once${error === undefined ? '' : `, and it failed: ${String(error)}`}.`,
        )
      return context.skip(
        'the client did not retry the 503 (the server saw the request once). Declare `retriesServerErrors: true` if it should, and this scenario fails when it does not.',
      )
    }
    if (error !== undefined)
      context.fail(`the client retried the 503, but the request still failed: ${String(error)}`)
    await context.sequential([server.urlFor('/retry/after-1'), server.urlFor('/retry/after-2')])
    context.expect(
      reusesConnection(retry),
      `The retry of the 503 (#${retry.index}) must go out on a connection the client already held:\nexpect(retry).toReuseConnection()`,
    )
    context.expect(reusesConnection(server), 'expect(server).toReuseConnection()')
    return patternOf(server.requests)
  },
}
