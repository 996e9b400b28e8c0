/**
 * An indicator's values read as series over time: one per group label (everyone first), the
 * latest value against baseline and target, and the geometry of its line chart. Pure: the
 * Progress view, the report and the tests draw from the same numbers.
 */
import type { Indicator } from './evaluation.ts'
import { byMeasuredDate, type IndicatorValue } from './indicatorValue.ts'

export interface IndicatorSeries {
  /** The group label ('' = everyone, no breakdown). */
  group: string
  /** Oldest first. */
  values: IndicatorValue[]
  /** The newest value (latest date; the last entered on that day), or null. */
  latest: IndicatorValue | null
  /**
   * How far the latest value has come from the baseline to the target: 0 at the baseline, 1 at
   * the target, below 0 when it went the other way, above 1 past the target. Null without a
   * numeric latest value, a baseline and a target that differs from it.
   */
  progress: number | null
}

/** Group labels compare trimmed and regardless of case ("income under $25k" is one group). */
export function groupKey(group: string): string {
  return group.normalize('NFC').trim().toLocaleLowerCase()
}

/** The fraction of the way from `baseline` to `target` that `value` is (see `progress`). */
export function progressTowardTarget(
  value: number | null,
  baseline: number | null,
  target: number | null,
): number | null {
  if (value === null || baseline === null || target === null || target === baseline) return null
  return (value - baseline) / (target - baseline)
}

/**
 * The indicator's values by group: everyone ('') first, then the groups in label order, each
 * oldest first. A group's label is as first written (by date).
 */
export function indicatorSeries(indicator: Pick<Indicator, 'values' | 'baseline' | 'target'>) {
  const groups = new Map<string, IndicatorValue[]>()
  const labels = new Map<string, string>()
  for (const value of [...indicator.values].sort(byMeasuredDate)) {
    const key = groupKey(value.group)
    if (!labels.has(key)) labels.set(key, value.group.trim())
    const list = groups.get(key) ?? []
    groups.set(key, list)
    list.push(value)
  }
  const keys = [...groups.keys()].sort((a, b) =>
    a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en'),
  )
  return keys.map((key): IndicatorSeries => {
    const values = groups.get(key) as IndicatorValue[]
    const latest = values[values.length - 1] ?? null
    return {
      group: labels.get(key) ?? '',
      values,
      latest,
      progress: progressTowardTarget(
        typeof latest?.value === 'number' ? latest.value : null,
        indicator.baseline,
        indicator.target,
      ),
    }
  })
}

/** Days since 1970-01-01 of a `yyyy-mm-dd` date. */
export function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000)
}

export interface ChartPoint {
  x: number
  y: number
  value: IndicatorValue
}

export interface ChartLine {
  group: string
  points: ChartPoint[]
  /** SVG path data through the points, in date order. */
  path: string
}

export interface IndicatorChart {
  width: number
  height: number
  /** The plotting area inside the axes. */
  plot: { left: number; top: number; right: number; bottom: number }
  lines: ChartLine[]
  /** Horizontal reference lines (null when not set). */
  baseline: number | null
  target: number | null
  yTicks: { y: number; value: number }[]
  xTicks: { x: number; date: string }[]
}

export interface ChartSize {
  width: number
  height: number
}

const MARGIN = { left: 56, right: 16, top: 12, bottom: 28 }

/**
 * The geometry of a quantitative indicator's line chart: one line per group through its numeric
 * values (dates on x, values on y), baseline and target as horizontal lines. The y range holds
 * every value, the baseline and the target, with round ticks. Null when there is nothing to plot
 * (no numeric value).
 */
export function indicatorChart(
  indicator: Pick<Indicator, 'values' | 'baseline' | 'target'>,
  size: ChartSize = { width: 560, height: 240 },
): IndicatorChart | null {
  const series = indicatorSeries(indicator)
    .map((line) => ({ ...line, values: line.values.filter((v) => typeof v.value === 'number') }))
    .filter((line) => line.values.length > 0)
  if (series.length === 0) return null
  const numbers = series.flatMap((line) => line.values.map((v) => v.value as number))
  if (indicator.baseline !== null) numbers.push(indicator.baseline)
  if (indicator.target !== null) numbers.push(indicator.target)
  const ticks = niceTicks(Math.min(...numbers), Math.max(...numbers))
  const low = ticks[0] as number
  const high = ticks[ticks.length - 1] as number
  const days = series.flatMap((line) => line.values.map((v) => dayNumber(v.date)))
  let first = Math.min(...days)
  let last = Math.max(...days)
  if (first === last) {
    first -= 1
    last += 1
  }
  const plot = {
    left: MARGIN.left,
    top: MARGIN.top,
    right: size.width - MARGIN.right,
    bottom: size.height - MARGIN.bottom,
  }
  const round = (n: number) => Math.round(n * 10) / 10
  const xOf = (day: number) =>
    round(plot.left + ((day - first) / (last - first)) * (plot.right - plot.left))
  const yOf = (value: number) =>
    round(plot.bottom - ((value - low) / (high - low)) * (plot.bottom - plot.top))
  const lines = series.map((line): ChartLine => {
    const points = line.values.map((value) => ({
      x: xOf(dayNumber(value.date)),
      y: yOf(value.value as number),
      value,
    }))
    return {
      group: line.group,
      points,
      path: points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' '),
    }
  })
  const dates = [...new Set(series.flatMap((line) => line.values.map((v) => v.date)))].sort()
  const xTicks = spacedApart(
    pickEvenly(dates, 4).map((date) => ({ x: xOf(dayNumber(date)), date })),
    MIN_DATE_LABEL_GAP,
  )
  return {
    width: size.width,
    height: size.height,
    plot,
    lines,
    baseline: indicator.baseline === null ? null : yOf(indicator.baseline),
    target: indicator.target === null ? null : yOf(indicator.target),
    yTicks: ticks.map((value) => ({ y: yOf(value), value })),
    xTicks,
  }
}

/** How far apart (px) two date labels must be: a date label ("Dec 2026") is about this wide. */
const MIN_DATE_LABEL_GAP = 72

/**
 * The ticks whose labels do not run into each other, the first and the last always kept: values
 * bunched in a few days next to one far away would otherwise print over each other.
 */
function spacedApart<Tick extends { x: number }>(ticks: readonly Tick[], gap: number): Tick[] {
  const kept: Tick[] = []
  for (const tick of ticks) {
    const previous = kept[kept.length - 1]
    if (!previous || tick.x - previous.x >= gap) kept.push(tick)
  }
  const last = ticks[ticks.length - 1]
  if (last && kept[kept.length - 1] !== last) {
    while (kept.length > 1 && last.x - (kept[kept.length - 1] as Tick).x < gap) kept.pop()
    kept.push(last)
  }
  return kept
}

/** Up to `count` items spread evenly, the first and the last always among them. */
function pickEvenly<V>(items: readonly V[], count: number): V[] {
  if (items.length <= count) return [...items]
  const picked: V[] = []
  for (let i = 0; i < count; i++) {
    picked.push(items[Math.round((i * (items.length - 1)) / (count - 1))] as V)
  }
  return picked
}

/** Round tick values covering [min, max]: steps of 1, 2 or 5 × 10ⁿ, about five of them. */
export function niceTicks(min: number, max: number): number[] {
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1
    min -= pad
    max += pad
  }
  const raw = (max - min) / 4
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = ([1, 2, 5, 10].find((f) => f * magnitude >= raw) ?? 10) * magnitude
  const start = Math.floor(min / step) * step
  const ticks: number[] = []
  // Rounded to the step's precision, so 0.1 + 0.2 reads 0.3.
  const digits = Math.max(0, -Math.floor(Math.log10(step)))
  for (let v = start; v < max + step / 2; v += step) ticks.push(Number(v.toFixed(digits)))
  if ((ticks[ticks.length - 1] as number) < max)
    ticks.push(Number((start + ticks.length * step).toFixed(digits)))
  return ticks
}
