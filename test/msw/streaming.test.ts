import { once } from 'node:events'
import * as http from 'node:http'
import { http as mock } from 'msw'
import { describe, expect, it } from 'vitest'
import { fromHandlers } from '../../src/msw/index.js'
import { keepAliveAgent, request, startServer } from './helpers.js'

const encoder = new TextEncoder()

/** Lets the event loop turn `turns` times: bounded, and long enough for a runaway pipe to empty a source. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

describe('streamed msw responses', () => {
  it('sends each chunk as the handler produces it', async () => {
    let push: ReadableStreamDefaultController<Uint8Array> | undefined
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = controller
      },
    })
    const server = await startServer({
      handler: fromHandlers(mock.get('/stream', () => new Response(body))),
    })

    const req = http.get(server.urlFor('/stream'))
    const [res] = (await once(req, 'response')) as [http.IncomingMessage]
    push?.enqueue(encoder.encode('first'))
    const [first] = (await once(res, 'data')) as [Buffer]
    push?.enqueue(encoder.encode('second'))
    push?.close()
    const [second] = (await once(res, 'data')) as [Buffer]

    expect(first.toString()).toBe('first')
    expect(second.toString()).toBe('second')
    expect(res.headers['transfer-encoding']).toBe('chunked')
  })

  it('pulls from the handler only as fast as the client reads', async () => {
    const chunk = new Uint8Array(1024 * 1024)
    const total = 64
    let pulled = 0
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled++
          if (pulled > total) controller.close()
          else controller.enqueue(chunk)
        },
      },
      { highWaterMark: 0 },
    )
    const server = await startServer({
      handler: fromHandlers(mock.get('/big', () => new Response(body))),
    })

    const req = http.get(server.urlFor('/big'))
    const [res] = (await once(req, 'response')) as [http.IncomingMessage]
    res.pause()
    await turns(200)
    const whilePaused = pulled
    res.resume()
    let received = 0
    for await (const data of res) received += (data as Buffer).length

    expect(whilePaused).toBeLessThan(total / 2)
    expect(received).toBe(total * chunk.length)
  })

  it('destroys the socket on Response.error(), as a network error, and serves the next request', async () => {
    const server = await startServer({
      handler: fromHandlers(
        mock.get('/down', () => Response.error()),
        mock.get('/up', () => new Response('up')),
      ),
    })
    const agent = keepAliveAgent()

    await expect(request(server.urlFor('/down'), { agent })).rejects.toThrow('socket hang up')
    await expect(fetch(server.urlFor('/down'))).rejects.toThrow('fetch failed')
    const after = await request(server.urlFor('/up'), { agent })

    expect(after.body).toBe('up')
    expect(server.requests.map((recorded) => recorded.connectionId)).toEqual([1, 2, 3])
  })

  it('cuts the response short when the body stream fails midway', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('partial'))
        queueMicrotask(() => controller.error(new Error('disk gone')))
      },
    })
    const server = await startServer({
      handler: fromHandlers(mock.get('/half', () => new Response(body))),
    })

    await expect(request(server.urlFor('/half'))).rejects.toThrow(/aborted|ECONNRESET/)
  })
})
