import { HttpResponse, http } from 'msw'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestServer, type TestServer } from '../../src/index.js'
import { fromHandlers } from '../../src/msw/index.js'
import { fetchText } from './helpers.js'

// One server for the file, as a suite would share it; each test overrides handlers for itself.
const api = fromHandlers(http.get('/user', () => HttpResponse.text('base')))
let server: TestServer

beforeAll(async () => {
  server = await createTestServer({ handler: api })
  return () => server.close()
})

afterEach(() => api.resetHandlers())

describe('fromHandlers() overrides', () => {
  it('answers with the handlers it was given', async () => {
    expect(await fetchText(server.urlFor('/user'))).toBe('base')
  })

  it('lets use() override a handler for one test', async () => {
    api.use(http.get('/user', () => HttpResponse.text('override')))

    expect(await fetchText(server.urlFor('/user'))).toBe('override')
    expect(api.listHandlers()).toHaveLength(2)
  })

  it('drops the override once resetHandlers() ran after the previous test', async () => {
    expect(await fetchText(server.urlFor('/user'))).toBe('base')
    expect(api.listHandlers()).toHaveLength(1)
  })

  it('lets restoreHandlers() re-arm a { once: true } handler', async () => {
    api.use(http.get('/user', () => HttpResponse.text('once'), { once: true }))

    const answers = [
      await fetchText(server.urlFor('/user')),
      await fetchText(server.urlFor('/user')),
    ]
    api.restoreHandlers()
    answers.push(await fetchText(server.urlFor('/user')))

    expect(answers).toEqual(['once', 'base', 'once'])
  })

  it('replaces the handlers with resetHandlers(...next) until the next reset with arguments', async () => {
    api.resetHandlers(http.get('/user', () => HttpResponse.text('next')))
    const replaced = await fetchText(server.urlFor('/user'))
    api.resetHandlers(http.get('/user', () => HttpResponse.text('base')))

    expect(replaced).toBe('next')
  })
})
