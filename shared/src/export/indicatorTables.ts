/**
 * The indicators as the Markdown export, the printed report and the Progress view's tables show
 * them: one table of every indicator (what, who measures it, unit, baseline, target, how often,
 * latest value), and per indicator a table of its values (date, group, value, note, who).
 * Cells are text; `text` is how a piece of the board's own text goes into one (Markdown escapes
 * it, React leaves it as it is).
 */
import type { Locale, MessageKey, MessageParams } from '../i18n/index.ts'
import type { Indicator } from '../plan/evaluation.ts'
import { indicatorSeries } from '../plan/indicatorSeries.ts'
import type { IndicatorReading } from '../plan/indicatorValue.ts'
import type { PartnershipPlan } from '../plan/partnershipPlan.ts'
import type { ExportTable } from './actionTables.ts'

type Translate = (key: MessageKey, params?: MessageParams) => string

const numberFormats = new Map<Locale, Intl.NumberFormat>()

/** A number as the reader writes it ("1,234.5", "1234,5"). */
export function formatNumber(locale: Locale, value: number): string {
  let format = numberFormats.get(locale)
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: 6 })
    numberFormats.set(locale, format)
  }
  return format.format(value)
}

/** A value with its unit ("52 families", "45 %"); a text value as written. */
export function formatReading(locale: Locale, value: IndicatorReading, unit: string): string {
  if (typeof value === 'string') return value
  return unit.trim() ? `${formatNumber(locale, value)} ${unit.trim()}` : formatNumber(locale, value)
}

/** A `yyyy-mm-dd` date as the reader sees it (markdown.ts's `formatDate` in a locale). */
type DateText = (iso: string) => string

/** The newest value of everyone's series (or of the first group), in words, or ''. */
export function latestReading(locale: Locale, indicator: Indicator, date: DateText): string {
  const series = indicatorSeries(indicator)
  const latest = series[0]?.latest
  if (!latest) return ''
  const group = series[0]?.group ? ` (${series[0].group})` : ''
  return `${formatReading(locale, latest.value, indicator.unit)}${group}, ${date(latest.date)}`
}

export interface IndicatorTables {
  overview(): ExportTable
  values(indicator: Indicator): ExportTable
}

export function indicatorTables(
  plan: Pick<PartnershipPlan, 'organizations'>,
  locale: Locale,
  t: Translate,
  text: (boardText: string) => string,
  indicators: readonly Indicator[],
  date: DateText,
): IndicatorTables {
  const names = new Map(
    plan.organizations.map((org) => [org.id, org.name || t('card.org.untitled')]),
  )
  const number = (value: number | null) => (value === null ? '' : formatNumber(locale, value))
  return {
    overview: () => ({
      head: [
        t('evaluation.indicator', { number: '' }).trim(),
        t('evaluation.kind'),
        t('evaluation.dataSource'),
        t('action.organization'),
        t('evaluation.unit'),
        t('evaluation.baseline'),
        t('evaluation.target'),
        t('evaluation.frequency'),
        t('evaluation.latest'),
      ],
      rows: indicators.map((indicator) => [
        text(indicator.name),
        t(`evaluation.kind.${indicator.kind}`),
        text(indicator.dataSource),
        indicator.organization
          ? text(names.get(indicator.organization) ?? t('card.org.untitled'))
          : '',
        text(indicator.unit),
        number(indicator.baseline),
        number(indicator.target),
        indicator.frequency ? t(`evaluation.cadence.${indicator.frequency}`) : '',
        text(latestReading(locale, indicator, date)),
      ]),
    }),
    values: (indicator) => ({
      head: [
        t('evaluation.value.date'),
        t('evaluation.value.group'),
        t('evaluation.value.value'),
        t('evaluation.value.note'),
        t('evaluation.value.by'),
      ],
      // Series by series (everyone, then each group), each oldest first.
      rows: indicatorSeries(indicator).flatMap((series) =>
        series.values.map((value) => [
          value.date,
          series.group ? text(series.group) : t('evaluation.value.everyone'),
          text(formatReading(locale, value.value, indicator.unit)),
          text(value.note),
          text(value.by),
        ]),
      ),
    }),
  }
}
