// Types shared by the benchmark's processes. Imported with `import type` only, so Node's type
// stripping never loads this file.

/** One line of the benchmark's table. */
export interface Row {
  /** What was measured, e.g. 'start+close, test server vs bare'. */
  figure: string
  measured: number
  unit: 'x' | 'B' | 'ms'
  /** The figure passes when it is at most this. */
  goal: number
  pass: boolean
  /** The raw numbers behind the figure, for the reader. */
  detail: string
}

/** What each part of the benchmark sends its parent when done. */
export interface PartReport {
  rows: Row[]
  notes?: string[]
}
