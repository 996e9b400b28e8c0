/**
 * One indicator over time: an SVG line chart (one line per group, baseline and target as dashed
 * reference lines) with an accessible name and a description in words, and the same values as a
 * table (date, group, value, note, who). The geometry comes from `indicatorChart` (shared); the
 * Progress view and the printed report both draw it.
 */
import {
  formatDate,
  formatNumber,
  formatReading,
  indicatorTables,
} from '@common-ground/shared/export'
import type { Locale } from '@common-ground/shared/i18n'
import {
  type IndicatorChart as ChartGeometry,
  type Indicator,
  indicatorChart,
  indicatorSeries,
} from '@common-ground/shared/plan'
import { useId, useState } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import './indicatorChart.css'

/**
 * Line colours with a dash pattern each, so lines differ without colour too (printed in grey,
 * or for someone who does not tell these colours apart).
 */
const LINE_STYLES = [
  { color: '#1f5f8b', dash: '' },
  { color: '#b5541c', dash: '6 3' },
  { color: '#2e7d32', dash: '2 3' },
  { color: '#6a3d9a', dash: '10 3 2 3' },
  { color: '#7a5c00', dash: '1 2' },
] as const

export const lineStyle = (index: number) =>
  LINE_STYLES[index % LINE_STYLES.length] as (typeof LINE_STYLES)[number]

/** Drawn at about this size on a phone (390 px) and a little larger on a desk. */
const SIZE = { width: 400, height: 220 }

export function IndicatorChart(props: {
  indicator: Indicator
  /** The table open at first (the printed report); closed behind its summary otherwise. */
  tableOpen?: boolean
}) {
  const { t, locale } = useI18n()
  const { indicator } = props
  const titleId = useId()
  const descriptionId = useId()
  const name = indicator.name || t('evaluation.untitled')
  const chart = indicator.kind === 'quantitative' ? indicatorChart(indicator, SIZE) : null
  // Stories have no chart: their table is open from the start.
  const [tableShown, setTableShown] = useState(!chart)
  const table = indicatorTables(
    { organizations: [] },
    locale,
    t,
    (text) => text,
    [indicator],
    (iso) => formatDate(locale, iso),
  ).values(indicator)
  if (indicator.values.length === 0) return <p className="cg-hint">{t('indicators.noValues')}</p>
  const tableView = (
    <table className="cg-indicator-table">
      <caption className="cg-visually-hidden">{t('evaluation.values', { name })}</caption>
      <thead>
        <tr>
          {table.head.map((cell) => (
            <th key={cell} scope="col">
              {cell}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row, r) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows in a fixed order (series, date)
          <tr key={r}>
            <td>
              <time dateTime={row[0]}>{formatDate(locale, row[0] as string)}</time>
            </td>
            {row.slice(1).map((cell, c) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
              <td key={c}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
  return (
    <div className="cg-indicator-chart" data-testid="indicator-chart">
      {chart && (
        <figure>
          <svg
            role="img"
            aria-labelledby={titleId}
            aria-describedby={descriptionId}
            viewBox={`0 0 ${chart.width} ${chart.height}`}
            className="cg-indicator-svg"
          >
            <title id={titleId}>{t('indicators.chartTitle', { name })}</title>
            <desc id={descriptionId}>{describeChart(indicator, t, locale)}</desc>
            <ChartBody chart={chart} locale={locale} />
          </svg>
          <figcaption className="cg-indicator-legend">
            {chart.lines.map((line, i) => (
              <span key={line.group} className="cg-indicator-key">
                <svg width="28" height="10" aria-hidden="true">
                  <line
                    x1="0"
                    y1="5"
                    x2="28"
                    y2="5"
                    stroke={lineStyle(i).color}
                    strokeWidth="2.5"
                    strokeDasharray={lineStyle(i).dash}
                  />
                </svg>
                {line.group || t('evaluation.value.everyone')}
              </span>
            ))}
            {indicator.baseline !== null && (
              <span className="cg-indicator-key cg-indicator-key-baseline">
                {t('evaluation.baseline')}:{' '}
                {formatReading(locale, indicator.baseline, indicator.unit)}
              </span>
            )}
            {indicator.target !== null && (
              <span className="cg-indicator-key cg-indicator-key-target">
                {t('evaluation.target')}: {formatReading(locale, indicator.target, indicator.unit)}
              </span>
            )}
          </figcaption>
        </figure>
      )}
      {props.tableOpen ? (
        tableView
      ) : (
        <details
          className="cg-indicator-details"
          open={tableShown}
          onToggle={(event) => setTableShown((event.currentTarget as HTMLDetailsElement).open)}
        >
          <summary>{t('indicators.table', { count: indicator.values.length })}</summary>
          {/* Drawn only while open: 20 indicators' tables would weigh on a phone's first paint. */}
          {tableShown && tableView}
        </details>
      )}
    </div>
  )
}

function ChartBody({ chart, locale }: { chart: ChartGeometry; locale: Locale }) {
  const { plot } = chart
  return (
    <g>
      {chart.yTicks.map((tick) => (
        <g key={tick.value}>
          <line x1={plot.left} x2={plot.right} y1={tick.y} y2={tick.y} className="cg-chart-grid" />
          <text
            x={plot.left - 6}
            y={tick.y}
            className="cg-chart-label"
            textAnchor="end"
            dominantBaseline="middle"
          >
            {formatNumber(locale, tick.value)}
          </text>
        </g>
      ))}
      {chart.xTicks.map((tick) => (
        <text
          key={tick.date}
          x={tick.x}
          y={plot.bottom + 18}
          className="cg-chart-label"
          // The first and last dates sit at the plot's edges: kept inside the image.
          textAnchor={
            tick.x <= plot.left + 1 ? 'start' : tick.x >= plot.right - 1 ? 'end' : 'middle'
          }
        >
          {shortDate(locale, tick.date)}
        </text>
      ))}
      <line
        x1={plot.left}
        x2={plot.left}
        y1={plot.top}
        y2={plot.bottom}
        className="cg-chart-axis"
      />
      <line
        x1={plot.left}
        x2={plot.right}
        y1={plot.bottom}
        y2={plot.bottom}
        className="cg-chart-axis"
      />
      {chart.baseline !== null && (
        <line
          x1={plot.left}
          x2={plot.right}
          y1={chart.baseline}
          y2={chart.baseline}
          className="cg-chart-baseline"
        />
      )}
      {chart.target !== null && (
        <line
          x1={plot.left}
          x2={plot.right}
          y1={chart.target}
          y2={chart.target}
          className="cg-chart-target"
        />
      )}
      {chart.lines.map((line, i) => (
        <g key={line.group}>
          <path
            d={line.path}
            fill="none"
            stroke={lineStyle(i).color}
            strokeWidth="2.5"
            strokeDasharray={lineStyle(i).dash}
          />
          {line.points.map((point) => (
            <circle
              key={point.value.id}
              cx={point.x}
              cy={point.y}
              r="3.5"
              fill={lineStyle(i).color}
            />
          ))}
        </g>
      ))}
    </g>
  )
}

const shortDates = new Map<string, Intl.DateTimeFormat>()

/** "Mar 2026": the x axis's labels. */
function shortDate(locale: string, iso: string): string {
  let format = shortDates.get(locale)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' })
    shortDates.set(locale, format)
  }
  return format.format(new Date(`${iso}T00:00:00Z`))
}

/** The chart in words: how many values over what span, each group's latest, baseline, target. */
export function describeChart(
  indicator: Indicator,
  t: ReturnType<typeof useI18n>['t'],
  locale: ReturnType<typeof useI18n>['locale'],
): string {
  const series = indicatorSeries(indicator)
  const dates = indicator.values.map((value) => value.date).sort()
  const parts = [
    t('indicators.chart.range', {
      count: indicator.values.length,
      from: formatDate(locale, dates[0] as string),
      to: formatDate(locale, dates[dates.length - 1] as string),
    }),
  ]
  for (const line of series) {
    if (!line.latest) continue
    parts.push(
      t('indicators.chart.latest', {
        group: line.group || t('evaluation.value.everyone'),
        value: formatReading(locale, line.latest.value, indicator.unit),
        date: formatDate(locale, line.latest.date),
      }),
    )
  }
  if (indicator.baseline !== null)
    parts.push(
      t('indicators.chart.baseline', {
        value: formatReading(locale, indicator.baseline, indicator.unit),
      }),
    )
  if (indicator.target !== null)
    parts.push(
      t('indicators.chart.target', {
        value: formatReading(locale, indicator.target, indicator.unit),
      }),
    )
  return parts.join(' ')
}
