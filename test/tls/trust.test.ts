// trustTestServers(): fetch and the global https agent reach TLS test servers with no `ca`.
import { get } from 'node:https'
import { expect, onTestFinished, test } from 'vitest'
import { trustTestServers } from '../../src/index.js'
import { startTlsServer } from './helpers.js'

/** What fetch's failure was caused by: the certificate error code. */
const causeOf = async (url: string): Promise<string> =>
  fetch(url).then(
    () => 'no error',
    (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message,
  )

const globalAgentGet = (url: string): Promise<string> =>
  new Promise((resolve) => {
    get(url, (res) => res.resume().on('end', () => resolve(String(res.statusCode)))).on(
      'error',
      (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message),
    )
  })

test('fetch and the global agent trust TLS test servers after it, and not after undoing it', async () => {
  const before = await startTlsServer()
  expect(await causeOf(before.url)).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE')

  const untrust = trustTestServers()
  onTestFinished(untrust)
  const trusted = await startTlsServer()
  expect(await (await fetch(trusted.url)).text()).toBe('ok')
  expect(await globalAgentGet(trusted.url)).toBe('200')

  untrust()
  const after = await startTlsServer()
  expect(await causeOf(after.url)).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE')
  expect(await globalAgentGet(after.url)).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE')
})
