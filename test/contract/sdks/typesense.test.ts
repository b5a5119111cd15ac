// typesense: bound to one host and port, axios underneath, parses JSON, retries 5xx.
import { Agent } from 'node:http'
import { Client } from 'typesense'
import { describeKeepAliveContract } from '../../../src/contract/index.js'

describeKeepAliveContract('typesense', {
  createClient: ({ baseUrl }) => {
    const { hostname: host, port } = new URL(baseUrl)
    const httpAgent = new Agent({ keepAlive: true })
    const client = new Client({
      nodes: [{ host, port: Number(port), protocol: 'http' }],
      apiKey: 'test',
      httpAgent,
      retryIntervalSeconds: 0.01,
      logLevel: 'silent',
    })
    return {
      request: (url) => client.apiCall.get(new URL(url).pathname),
      close: () => httpAgent.destroy(),
    }
  },
  respond: () => ({ name: 'books', num_documents: 0 }),
  boundToBaseUrl: true,
  retriesServerErrors: true,
  retriesStaleConnections: true,
})
