import { describe, expect, test } from 'vitest'
import { runKeepAliveScenario } from '../../src/contract/runner.js'
import { keepAliveScenarios } from '../../src/contract/scenarios.js'
import { surveyClients } from '../../src/survey/clients.js'
import { loadFrom } from '../../src/survey/load.js'

/**
 * What each real client does, scenario by scenario, one letter each (Pass, Fail, Skip): sequential,
 * client keep-alive off, server keep-alive off, idle timeout, two servers, error responses,
 * retried 503, concurrency, stale connection, stream read, stream abandoned, close, TLS resumption (skipped: the survey runs in clear text); as measured
 * on Node 24.21 with the versions in package-lock.json. docs/clients.md is generated from the
 * same runs by `npm run docs:clients`.
 */
const expected: Record<string, { statuses: string; sequential: string; stale?: string }> = {
  'node:http global agent': {
    statuses: 'PPPPPPSPPSSSS',
    sequential: '1,1,1,1,1',
    stale: 'error surfaced',
  },
  'node:http keepAlive agent': {
    statuses: 'PPPPPPSPPSSPS',
    sequential: '1,1,1,1,1',
    stale: 'error surfaced',
  },
  'node:http agent: false': { statuses: 'FSPFFFSFFSSSS', sequential: '1,2,3,4,5' },
  'fetch (built-in)': {
    statuses: 'PPPPPPSPPSSSS',
    sequential: '1,2,1,2,1',
    stale: 'error surfaced',
  },
  'undici request()': {
    statuses: 'PPPPPPSPPSSPS',
    sequential: '1,2,1,2,1',
    stale: 'error surfaced',
  },
  axios: {
    statuses: 'PPPPPPSPPSSSS',
    sequential: '1,1,1,1,1',
    stale: 'error surfaced',
  },
  got: { statuses: 'PPPPPPSPPSSSS', sequential: '1,1,1,1,1', stale: 'retried' },
  'node-fetch': {
    statuses: 'PPPPPPSPPSSSS',
    sequential: '1,1,1,1,1',
    stale: 'error surfaced',
  },
  ky: { statuses: 'PPPPPPSPPSSSS', sequential: '1,2,1,2,1', stale: 'retried' },
  superagent: { statuses: 'FSPFFFSFFSSSS', sequential: '1,2,3,4,5' },
  'superagent keepAlive agent': {
    statuses: 'PSPPPPSPPSSPS',
    sequential: '1,1,1,1,1',
    stale: 'error surfaced',
  },
}

describe('the real-client matrix', () => {
  test('covers every client the survey knows', () => {
    expect(Object.keys(expected)).toEqual(surveyClients.map((client) => client.name))
  })

  for (const client of surveyClients) {
    test(`${client.name} behaves as measured`, async () => {
      const loaded =
        client.package === undefined
          ? { module: {} }
          : await loadFrom(process.cwd(), client.package)
      expect(loaded, `${client.package} is a dev dependency`).toBeDefined()
      const options = client.options(loaded?.module ?? {})
      const results = []
      for (const scenario of keepAliveScenarios)
        results.push(await runKeepAliveScenario(scenario, options))
      const want = expected[client.name]
      const got = results.map((result) => result.status[0]?.toUpperCase()).join('')
      const failures = results
        .filter((result) => result.status === 'fail')
        .map((result) => result.message)
      expect(got, failures.join('\n\n')).toEqual(want?.statuses)
      const sequential = results.find((result) => result.id === 'sequential')
      const stale = results.find((result) => result.id === 'stale-connection')
      expect(sequential?.pattern).toBe(want?.sequential)
      if (want?.stale) expect(stale?.pattern).toMatch(new RegExp(`· ${want.stale}$`))
    })
  }
})
