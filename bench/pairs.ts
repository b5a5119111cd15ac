import { once } from 'node:events'
import type { Server } from 'node:net'
import { setImmediate as nextTurn } from 'node:timers/promises'

/** A start+close cycle that resolves to how long it took, in ms. */
export type Cycle = () => Promise<number>

/** Times one cycle: listen on a free loopback port, then close. No request. */
export async function listenAndClose(create: () => Server): Promise<number> {
  const started = performance.now()
  const server = create().listen(0, '127.0.0.1')
  await once(server, 'listening')
  await new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  )
  return performance.now() - started
}

/** Runs `count` untimed pairs so the JIT has compiled both paths before anything is measured. */
export async function warmUp(bare: Cycle, kit: Cycle, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await bare()
    await kit()
    await nextTurn()
  }
}

/**
 * Times `count` pairs interleaved (bare, kit, kit, bare…), so both see the same machine at each
 * moment. Yields a turn before each pair, untimed: a test suite yields between tests, which lets
 * node finish freeing closed servers.
 */
export async function timePairs(
  bare: Cycle,
  kit: Cycle,
  count: number,
): Promise<{ bare: number[]; kit: number[] }> {
  const times = { bare: [] as number[], kit: [] as number[] }
  for (let i = 0; i < count; i++) {
    await nextTurn()
    if (i % 2) {
      times.kit.push(await kit())
      times.bare.push(await bare())
    } else {
      times.bare.push(await bare())
      times.kit.push(await kit())
    }
  }
  return times
}

export const µs = (ms: number): string => `${(ms * 1000).toFixed(0)} µs`
