/**
 * Check-ins as the exports show them (plan.md, plan.csv, the printed report): each with its name,
 * state, the step updates posted while it ran ("<step>: <day>, <who>: <status> — <line>") and the
 * indicator values entered while it ran ("<indicator>: <value> (<group>), <day> — <note>").
 * `text` is how the board's own text goes in (Markdown escapes it, the report leaves it to React).
 */
import type { Locale, MessageKey, MessageParams } from '../i18n/index.ts'
import {
  type CheckIn,
  type CheckInState,
  checkInState,
  checkInUpdates,
  checkInValues,
} from '../plan/checkIns.ts'
import type { PartnershipPlan } from '../plan/partnershipPlan.ts'
import { describeUpdate, updateDayUtc } from './actionTables.ts'
import { formatReading } from './indicatorTables.ts'

type Translate = (key: MessageKey, params?: MessageParams) => string

export interface CheckInRecord {
  checkIn: CheckIn
  /** Its name, or "Check-in" when it has none. */
  title: string
  state: CheckInState
  /** The step updates posted while it ran, one line each. */
  updates: string[]
  /** The indicator values entered while it ran, one line each. */
  values: string[]
}

export interface CheckInRecordFormat {
  locale: Locale
  t: Translate
  /** How the board's own text goes in (Markdown escapes it, the report leaves it as it is). */
  text: (boardText: string) => string
  /** A server-clock time as a day (for updates). */
  day?: (at: number) => string
  /** A `yyyy-mm-dd` date as the reader reads it (for the day a value describes). */
  date?: (iso: string) => string
}

export function checkInRecords(
  plan: Pick<PartnershipPlan, 'checkIns' | 'actionPlan' | 'evaluation'>,
  { locale, t, text, day = updateDayUtc, date = (iso) => iso }: CheckInRecordFormat,
): CheckInRecord[] {
  return plan.checkIns.map((checkIn) => ({
    checkIn,
    title: checkIn.title.trim() ? text(checkIn.title) : t('checkIn.untitled'),
    state: checkInState(checkIn),
    updates: checkInUpdates(plan.actionPlan, checkIn).map(({ step, update }) =>
      t('checkIn.updateOfStep', {
        step: text(step.what || t('plan.emptyNote')),
        update: describeUpdate(update, t, text, day),
      }),
    ),
    values: checkInValues(plan.evaluation.indicators, checkIn).map(({ indicator, value }) => {
      const group = value.group.trim() ? ` (${text(value.group.trim())})` : ''
      const note = value.note.trim() ? ` — ${text(value.note.trim())}` : ''
      return t('checkIn.valueOfIndicator', {
        indicator: text(indicator.name || t('evaluation.untitled')),
        value: `${text(formatReading(locale, value.value, indicator.unit))}${group}, ${date(value.date)}${note}`,
      })
    }),
  }))
}
