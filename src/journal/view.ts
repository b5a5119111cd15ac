import { inspect } from 'node:util'
import type { RecordedRequest } from '../types.js'
import { provideColumns } from '../verdicts/columns.js'
import type { RequestStore } from './store.js'

// The store behind each view, so the verdicts learn what a bounded journal dropped.
const stores = new WeakMap<readonly RecordedRequest[], RequestStore>()

/** The index a property key names (`'0'`, `'17'`), or -1 for any other key. No allocation. */
function indexOf(key: string | symbol): number {
  if (typeof key !== 'string') return -1
  const length = key.length
  // Leading zeros name no index ('01'); 15 digits stay below 2^53.
  if (length === 0 || length > 15 || (length > 1 && key.charCodeAt(0) === 48)) return -1
  let index = 0
  for (let i = 0; i < length; i++) {
    const digit = key.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) return -1
    index = index * 10 + digit
  }
  return index
}

const readOnly = (): never => {
  throw new TypeError(
    'keepalive-kit: server.requests is read-only. Copy it first: [...server.requests].',
  )
}

/**
 * `store` as a read-only array of records, made as they are read: index, `length`, every
 * array method, spread, `JSON.stringify` and equality matchers see an array of `RecordedRequest`.
 */
export function viewOf(store: RequestStore): readonly RecordedRequest[] {
  const target: RecordedRequest[] = []
  // util.inspect shows a proxy's target: show the records instead (console.log(server.requests)).
  Object.defineProperty(target, inspect.custom, {
    value(this: readonly RecordedRequest[]) {
      return Array.from(this)
    },
    configurable: true,
  })
  const view = new Proxy(target, {
    get(target, key, receiver) {
      if (key === 'length') return store.length
      const index = indexOf(key)
      if (index !== -1) return store.at(index)
      return Reflect.get(target, key, receiver)
    },
    has(target, key) {
      if (key === 'length') return true
      const index = indexOf(key)
      return index === -1 ? Reflect.has(target, key) : index < store.length
    },
    ownKeys() {
      const keys: string[] = []
      for (let i = 0; i < store.length; i++) keys.push(String(i))
      keys.push('length')
      return keys
    },
    getOwnPropertyDescriptor(target, key) {
      if (key === 'length')
        return { value: store.length, writable: true, enumerable: false, configurable: false }
      const index = indexOf(key)
      if (index === -1) return Reflect.getOwnPropertyDescriptor(target, key)
      if (index >= store.length) return undefined
      return { value: store.at(index), writable: false, enumerable: true, configurable: true }
    },
    set: readOnly,
    defineProperty: readOnly,
    deleteProperty: readOnly,
  })
  stores.set(view, store)
  provideColumns(view, () => store.columns())
  return view
}

/**
 * How many requests a server recorded before those `requests` holds and did not keep (a bounded
 * journal, see docs/server.md), when `requests` is a server's own view; else 0.
 */
export const droppedBefore = (requests: readonly RecordedRequest[]): number =>
  stores.get(requests)?.dropped ?? 0

/** What a server's journal that keeps no request counted (see `RequestStore.counts`). */
export const countsBehind = (requests: readonly RecordedRequest[]): RequestStore['counts'] =>
  stores.get(requests)?.counts
