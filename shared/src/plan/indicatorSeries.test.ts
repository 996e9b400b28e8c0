import { describe, expect, it } from 'vitest'
import {
  indicatorChart,
  indicatorSeries,
  niceTicks,
  progressTowardTarget,
} from './indicatorSeries.ts'
import type { IndicatorValue } from './indicatorValue.ts'

let next = 0
const v = (date: string, value: number | string, group = '', at = 1000): IndicatorValue => ({
  id: `v${next++}`,
  date,
  value,
  note: '',
  group,
  by: 'Ana',
  at,
})

describe('indicatorSeries', () => {
  it('sorts by date, then by when entered', () => {
    const values = [v('2026-05-01', 3, '', 2), v('2026-03-01', 1), v('2026-05-01', 2, '', 1)]
    const [all] = indicatorSeries({ values, baseline: null, target: null })
    expect(all?.values.map((x) => x.value)).toEqual([1, 2, 3])
    expect(all?.latest?.value).toBe(3)
  })

  it('groups by label, everyone first, labels compared trimmed and regardless of case', () => {
    const values = [
      v('2026-01-01', 10, 'Income under $25k'),
      v('2026-01-01', 30),
      v('2026-02-01', 12, ' income under $25K '),
      v('2026-01-01', 5, 'Black'),
    ]
    const series = indicatorSeries({ values, baseline: null, target: null })
    expect(series.map((s) => s.group)).toEqual(['', 'Black', 'Income under $25k'])
    expect(series.map((s) => s.values.length)).toEqual([1, 1, 2])
    expect(series[2]?.latest?.value).toBe(12)
  })

  it('measures the latest value against baseline and target', () => {
    const values = [v('2026-01-01', 40), v('2026-06-01', 80)]
    const [all] = indicatorSeries({ values, baseline: 40, target: 120 })
    expect(all?.progress).toBe(0.5)
    // A target below the baseline (fewer evictions) works the same way round.
    expect(progressTowardTarget(70, 100, 40)).toBe(0.5)
    expect(progressTowardTarget(110, 100, 40)).toBeCloseTo(-1 / 6)
    expect(progressTowardTarget(130, 40, 120)).toBe(1.125)
    expect(progressTowardTarget(null, 40, 120)).toBeNull()
    expect(progressTowardTarget(50, null, 120)).toBeNull()
    expect(progressTowardTarget(50, 40, null)).toBeNull()
    expect(progressTowardTarget(50, 40, 40)).toBeNull()
    // Text values have no progress.
    const [text] = indicatorSeries({ values: [v('2026-01-01', 'Better')], baseline: 1, target: 2 })
    expect(text?.progress).toBeNull()
  })

  it('is empty without values', () => {
    expect(indicatorSeries({ values: [], baseline: 1, target: 2 })).toEqual([])
  })
})

describe('indicatorChart', () => {
  const size = { width: 400, height: 200 }

  it('draws one line per group, dates left to right, values bottom to top', () => {
    const values = [
      v('2026-01-01', 10),
      v('2026-03-01', 30),
      v('2026-02-01', 20),
      v('2026-02-01', 5, 'Renters'),
    ]
    const chart = indicatorChart({ values, baseline: 0, target: 40 }, size)
    expect(chart).not.toBeNull()
    if (!chart) return
    expect(chart.lines.map((line) => line.group)).toEqual(['', 'Renters'])
    const [all] = chart.lines
    const xs = all?.points.map((p) => p.x) ?? []
    const ys = all?.points.map((p) => p.y) ?? []
    expect(xs).toEqual([...xs].sort((a, b) => a - b))
    expect(xs[0]).toBe(chart.plot.left)
    expect(xs[2]).toBe(chart.plot.right)
    expect(ys[0]).toBeGreaterThan(ys[1] as number)
    expect(all?.path).toMatch(/^M[\d.]+ [\d.]+ L/)
    // Baseline 0 at the bottom, target 40 at the top of a 0–40 axis.
    expect(chart.baseline).toBe(chart.plot.bottom)
    expect(chart.target).toBe(chart.plot.top)
    expect(chart.yTicks.map((t) => t.value)).toEqual([0, 10, 20, 30, 40])
    for (const point of chart.lines.flatMap((line) => line.points)) {
      expect(point.x).toBeGreaterThanOrEqual(chart.plot.left)
      expect(point.x).toBeLessThanOrEqual(chart.plot.right)
      expect(point.y).toBeGreaterThanOrEqual(chart.plot.top)
      expect(point.y).toBeLessThanOrEqual(chart.plot.bottom)
    }
  })

  it('plots one value in the middle, and nothing without numbers', () => {
    const one = indicatorChart({ values: [v('2026-01-01', 7)], baseline: null, target: null }, size)
    expect(one?.lines[0]?.points[0]?.x).toBe((size.width - 16 + 56) / 2)
    expect(one?.baseline).toBeNull()
    expect(indicatorChart({ values: [], baseline: 1, target: 2 }, size)).toBeNull()
    expect(
      indicatorChart({ values: [v('2026-01-01', 'Better')], baseline: 1, target: 2 }, size),
    ).toBeNull()
  })

  it('labels at most four dates, the first and the last among them', () => {
    const values = Array.from({ length: 24 }, (_, i) =>
      v(`${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`, i),
    )
    const chart = indicatorChart({ values, baseline: null, target: null }, size)
    expect(chart?.xTicks.map((t) => t.date)).toHaveLength(4)
    expect(chart?.xTicks[0]?.date).toBe('2024-01-01')
    expect(chart?.xTicks[3]?.date).toBe('2025-12-01')
  })

  it('keeps date labels apart when values bunch up next to one far away', () => {
    // Three months in 2024, then one value almost three years later: the three early dates sit
    // a few pixels apart and only the first of them keeps its label, beside the last.
    const values = ['2024-01-01', '2024-02-01', '2024-03-01', '2026-12-05'].map((d, i) => v(d, i))
    const chart = indicatorChart({ values, baseline: null, target: null }, size)
    expect(chart?.xTicks.map((t) => t.date)).toEqual(['2024-01-01', '2026-12-05'])
    const xs = chart?.xTicks.map((t) => t.x) ?? []
    for (let i = 1; i < xs.length; i++)
      expect((xs[i] as number) - (xs[i - 1] as number)).toBeGreaterThanOrEqual(72)
  })
})

describe('niceTicks', () => {
  it('covers the range with round steps', () => {
    expect(niceTicks(0, 10)).toEqual([0, 5, 10])
    expect(niceTicks(0.1, 0.3)).toEqual([0.1, 0.15, 0.2, 0.25, 0.3])
    expect(niceTicks(-7, 12)).toEqual([-10, -5, 0, 5, 10, 15])
    const same = niceTicks(50, 50)
    expect(same[0]).toBeLessThan(50)
    expect(same[same.length - 1]).toBeGreaterThan(50)
  })
})
