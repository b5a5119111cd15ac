// openai: fetch-based, takes absolute URLs, parses JSON, retries 5xx and dropped connections.
import OpenAI from 'openai'
import { describeKeepAliveContract } from '../../../src/contract/index.js'

describeKeepAliveContract('openai', {
  createClient: ({ baseUrl }) => {
    const openai = new OpenAI({ apiKey: 'test', baseURL: baseUrl, maxRetries: 1 })
    return { request: (url, init) => openai.post(url, { body: JSON.parse(init?.body ?? '{}') }) }
  },
  respond: () => ({ object: 'list', data: [] }),
  post: true,
  retriesServerErrors: true,
  retriesStaleConnections: true,
})
