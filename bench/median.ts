// Imported with its .ts extension: the benchmark runs its files directly under Node's type
// stripping, which resolves no other extension.

/**
 * The middle value (the mean of the two middle ones for an even count): one slow run moves a
 * mean, not a median.
 *
 * @example
 * median([3, 1, 2]) // 2
 */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}
