/** Benchmark results: one row per measured number, printed as a table and written as JSON. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'

export interface Measurement {
  suite: string
  metric: string
  value: number
  unit: string
  note?: string
  /** When `value` is the median of several runs: their min, max and count. */
  min?: number
  max?: number
  runs?: number
  /** The 1-minute load average at the start of the runs (lowest, highest). */
  loadAverage?: [number, number]
  /** Compared servers: this server's median ÷ ours, from the same runs. */
  ratioToOurs?: number
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank] as number
}

export function median(values: number[]): number {
  return percentile(values, 50)
}

/** Runs `work` `runs` times in a row; the milliseconds each run took. */
export function timeRuns(runs: number, work: () => unknown): number[] {
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    work()
    samples.push(performance.now() - start)
  }
  return samples
}

/** The large plan the export and calendar benches share: 15 organizations, 300 steps. */
export const LARGE_PLAN = {
  organizations: 15,
  intersections: 8,
  issues: 40,
  steps: 300,
  hostile: true,
} as const

export function printTable(rows: Measurement[]): void {
  const cells = rows.map((row) => [
    row.suite,
    row.metric,
    Number.isInteger(row.value) ? String(row.value) : row.value.toFixed(1),
    row.unit,
    row.note ?? '',
  ])
  const header = ['suite', 'metric', 'value', 'unit', 'note']
  const widths = header.map((title, i) =>
    Math.max(title.length, ...cells.map((c) => (c[i] as string).length)),
  )
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === 2 ? v.padStart(widths[i] as number) : v.padEnd(widths[i] as number)))
      .join('  ')
  console.log(line(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const row of cells) console.log(line(row))
}

export function writeResults(
  rows: Measurement[],
  directory: string,
  options: object,
  extra: object = {},
): string {
  mkdirSync(directory, { recursive: true })
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const file = join(directory, `${stamp}.json`)
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryBytes: totalmem(),
    node: process.version,
  }
  writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), machine, options, rows, ...extra }, null, 2)}\n`,
  )
  return file
}
