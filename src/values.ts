/** How messages name the values they received, and the checks option validators share. */
import { plural } from './verdicts/wording.js'

/** Names a received value by its kind, the way a usage error shows it: `an array of 2 items`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`
  if (Array.isArray(value)) return `an array of ${plural(value.length, 'item')}`
  if (value instanceof RegExp) return `the RegExp ${String(value)}`
  if (typeof value === 'object') return `an object of type ${value.constructor?.name ?? 'Object'}`
  return `${typeof value} ${String(value)}`
}

/**
 * Shows a small option value itself, the way an option error quotes it: `[80, 8080]`, `"abc"`;
 * a long string by its start (a PEM key is not quoted whole), a Buffer by its size.
 */
export const showValue = (value: unknown): string =>
  typeof value === 'string'
    ? JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)
    : Array.isArray(value)
      ? `[${value.join(', ')}]`
      : typeof value === 'function'
        ? 'a function'
        : Buffer.isBuffer(value)
          ? `a Buffer of ${plural(value.length, 'byte')}`
          : typeof value === 'object' && value !== null
            ? `an object (${Object.keys(value).join(', ') || 'no keys'})`
            : String(value)

/** Whether `value` is a whole number from `min` to `max`. */
export const isWhole = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
