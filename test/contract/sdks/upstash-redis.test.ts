// @upstash/redis: command-based (GET, SET, … sent as JSON to one URL over fetch), parses JSON.
import { Redis } from '@upstash/redis'
import { describeKeepAliveContract } from '../../../src/contract/index.js'

describeKeepAliveContract('@upstash/redis', {
  createClient: ({ baseUrl }) => {
    const redis = new Redis({
      url: baseUrl,
      token: 'test',
      responseEncoding: false,
      enableAutoPipelining: false,
    })
    // The operation is a command, not a URL: the contract's path becomes the key.
    return { request: (url) => redis.get(new URL(url).pathname) }
  },
  respond: () => ({ result: 'value' }),
  boundToBaseUrl: true,
  retriesStaleConnections: true,
})
