import type { ChildProcess } from 'node:child_process'
import { execFileSync } from 'node:child_process'
import { availableParallelism } from 'node:os'

/**
 * Pins a child process to one core (`cpu` modulo the cores there are). On two cores the load
 * client and the server measured each get one of their own, so neither waits for the other's
 * time slice and a timed part is not moved between cores mid-measurement; without taskset the
 * scheduler decides and runs vary more.
 */
export function pin(child: ChildProcess, cpu: number): void {
  if (process.platform !== 'linux' || child.pid === undefined) return
  try {
    const core = String(cpu % availableParallelism())
    execFileSync('taskset', ['-a', '-p', '-c', core, String(child.pid)], { stdio: 'ignore' })
  } catch {
    // No taskset: unpinned, noisier.
  }
}
