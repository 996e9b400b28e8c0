/**
 * `planToCsv(plan, locale)`: one row per action step, issues in rank order, steps in their order,
 * each with its last update (the note, the day, who); then one row per note in the parking lot. UTF-8 with a byte-order mark (so
 * spreadsheets read accents right), CRLF line ends and quoting as RFC 4180 says, dates as
 * `yyyy-mm-dd`, formula starts neutralised (escape.ts).
 */
import { DEFAULT_LOCALE, type Locale, translate } from '../i18n/index.ts'
import type { PartnershipPlan } from '../plan/partnershipPlan.ts'
import { localDate } from '../plan/progress.ts'
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
  const t = (key: Parameters<typeof translate>[1]) => translate(locale, key)
  const organizationName = new Map(plan.organizations.map((org) => [org.id, org.name]))
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
    ]),
  ]
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
        ]),
      )
    }
  }
  // Parked notes follow the steps: the issue column names the parking lot, the step column holds
  // the note, so a spreadsheet sorted by issue keeps them together.
  for (const note of plan.parkingLot) {
    rows.push(
      csvRow([t('export.parkingLot'), '', note.text, '', '', '', t('export.parked'), '', '', '']),
    )
  }
  return `${CSV_BOM}${rows.join('\r\n')}\r\n`
}
