import { describe, expect, it } from 'vitest'
import { isTestServerUrl } from '../../src/msw/index.js'
import { startServer } from './helpers.js'

describe('isTestServerUrl()', () => {
  it("is true for a live test server's URLs, by any loopback name", async () => {
    const server = await startServer()

    expect(isTestServerUrl(server.urlFor('/user?id=1'))).toBe(true)
    expect(isTestServerUrl(`http://localhost:${server.port}/`)).toBe(true)
    expect(isTestServerUrl(new URL(`http://127.0.0.2:${server.port}/`))).toBe(true)
  })

  it('is false for other ports, other hosts and https', async () => {
    const server = await startServer()

    expect(isTestServerUrl(`http://127.0.0.1:${server.port === 1 ? 2 : 1}/`)).toBe(false)
    expect(isTestServerUrl(`http://api.example.test:${server.port}/`)).toBe(false)
    expect(isTestServerUrl(`https://127.0.0.1:${server.port}/`)).toBe(false)
  })

  it("is true for a TLS test server's https URLs only", async () => {
    const server = await startServer({ tls: true })

    expect(isTestServerUrl(server.urlFor('/user'))).toBe(true)
    expect(isTestServerUrl(`https://localhost:${server.port}/`)).toBe(true)
    expect(isTestServerUrl(`http://127.0.0.1:${server.port}/`)).toBe(false)
  })

  it('is false once the server has closed', async () => {
    const server = await startServer()

    await server.close()

    expect(isTestServerUrl(server.url)).toBe(false)
  })

  it('knows an IPv6 loopback server by its bracketed URL', async () => {
    const server = await startServer({ host: '::1' })

    expect(server.url).toMatch(/^http:\/\/\[::1\]:\d+$/)
    expect(isTestServerUrl(server.url)).toBe(true)
  })
})
