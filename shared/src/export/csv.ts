/**
 * `planToCsv(plan, locale)`: one row per action step, issues in rank order, steps in their order,
 * each with its last update (the note, the day, who) and, in the last column, what was said of it
 * at check-ins (one line per update posted while a check-in ran); then one row per note in the
 * parking lot; then, when any indicator has values, an empty row and a second table, one row per
 * indicator value. UTF-8 with a byte-order mark (so
 * spreadsheets read accents right), CRLF line ends and quoting as RFC 4180 says, dates as
 * `yyyy-mm-dd`, formula starts neutralised (escape.ts).
 */
import {
  DEFAULT_LOCALE,
  type Locale,
  type MessageKey,
  type MessageParams,
  translate,
} from '../i18n/index.ts'
import { checkInUpdates } from '../plan/checkIns.ts'
import { indicatorSeries } from '../plan/indicatorSeries.ts'
import type { PartnershipPlan } from '../plan/partnershipPlan.ts'
import { localDate } from '../plan/progress.ts'
import { latestConsensus } from '../vote/roundRecords.ts'
import { describeUpdate } from './actionTables.ts'
import { csvRow } from './escape.ts'

export const CSV_BOM = '\uFEFF'

export interface CsvOptions {
  /** The time zone of the day an update was posted (an IANA name; UTC by default). */
  timeZone?: string
}

export function planToCsv(
  plan: PartnershipPlan,
  locale: Locale = DEFAULT_LOCALE,
  options: CsvOptions = {},
): string {
  const timeZone = options.timeZone ?? 'UTC'
  const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params)
  const organizationName = new Map(plan.organizations.map((org) => [org.id, org.name]))
  // The consensus column only when some issue of the plan had a check, so the columns of a plan
  // without one stay as they were.
  const consensus = new Map(
    plan.actionPlan.map((item) => [item.issue, latestConsensus(plan.rounds ?? [], item.issue)]),
  )
  const withConsensus = [...consensus.values()].some((found) => found !== null)
  const rows = [
    csvRow([
      t('action.issue'),
      t('action.rank'),
      t('action.step'),
      t('action.person'),
      t('action.organization'),
      t('action.due'),
      t('action.status'),
      t('export.lastUpdate'),
      t('export.lastUpdateOn'),
      t('export.lastUpdateBy'),
      t('export.checkIns'),
      ...(withConsensus ? [t('export.consensusColumn')] : []),
    ]),
  ]
  // "<check-in> (<date>): <day>, <who>: <status> — <line>", by step.
  const atCheckIns = new Map<string, string[]>()
  const day = (at: number) => localDate(at, timeZone)
  for (const checkIn of plan.checkIns) {
    const title = checkIn.title.trim() || t('checkIn.untitled')
    for (const { item, step, update } of checkInUpdates(plan.actionPlan, checkIn)) {
      const key = `${item.issue}/${step.id}`
      const lines = atCheckIns.get(key) ?? []
      atCheckIns.set(key, lines)
      lines.push(`${title} (${checkIn.date}): ${describeUpdate(update, t, String, day)}`)
    }
  }
  for (const item of plan.actionPlan) {
    for (const step of item.steps) {
      rows.push(
        csvRow([
          item.title,
          item.rank,
          step.what,
          step.person,
          step.organization ? (organizationName.get(step.organization) ?? '') : '',
          step.due ?? '',
          t(`action.status.${step.status}`),
          step.lastUpdate?.note ?? '',
          step.lastUpdate ? localDate(step.lastUpdate.at, timeZone) : '',
          step.lastUpdate?.by ?? '',
          (atCheckIns.get(`${item.issue}/${step.id}`) ?? []).join('\n'),
          ...(withConsensus ? [consensus.get(item.issue)?.average ?? ''] : []),
        ]),
      )
    }
  }
  // Parked notes follow the steps: the issue column names the parking lot, the step column holds
  // the note, so a spreadsheet sorted by issue keeps them together.
  for (const note of plan.parkingLot) {
    rows.push(
      csvRow([
        t('export.parkingLot'),
        '',
        note.text,
        '',
        '',
        '',
        t('export.parked'),
        '',
        '',
        '',
        '',
        ...(withConsensus ? [''] : []),
      ]),
    )
  }
  // Indicator values follow as a second table, after an empty row, with a header of its own:
  // one row per value, with its indicator's unit, baseline and target beside it.
  const values = plan.evaluation.indicators.filter((indicator) => indicator.values.length > 0)
  if (values.length > 0) {
    rows.push(
      '',
      csvRow([
        t('export.indicatorValues'),
        t('evaluation.unit'),
        t('evaluation.baseline'),
        t('evaluation.target'),
        t('evaluation.value.date'),
        t('evaluation.value.group'),
        t('evaluation.value.value'),
        t('evaluation.value.note'),
        t('evaluation.value.by'),
      ]),
    )
    for (const indicator of values) {
      for (const series of indicatorSeries(indicator)) {
        for (const value of series.values) {
          rows.push(
            csvRow([
              indicator.name,
              indicator.unit,
              indicator.baseline ?? '',
              indicator.target ?? '',
              value.date,
              series.group,
              value.value,
              value.note,
              value.by,
            ]),
          )
        }
      }
    }
  }
  return `${CSV_BOM}${rows.join('\r\n')}\r\n`
}
