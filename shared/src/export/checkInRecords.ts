/**
 * Check-ins as the exports show them (plan.md, plan.csv, the printed report): each with its name,
 * state and the step updates posted while it ran ("<step>: <day>, <who>: <status> — <line>").
 * `text` is how the board's own text goes in (Markdown escapes it, the report leaves it to React).
 */
import type { MessageKey, MessageParams } from '../i18n/index.ts'
import { type CheckIn, type CheckInState, checkInState, checkInUpdates } from '../plan/checkIns.ts'
import type { PartnershipPlan } from '../plan/partnershipPlan.ts'
import { describeUpdate, updateDayUtc } from './actionTables.ts'

type Translate = (key: MessageKey, params?: MessageParams) => string

export interface CheckInRecord {
  checkIn: CheckIn
  /** Its name, or "Check-in" when it has none. */
  title: string
  state: CheckInState
  /** The step updates posted while it ran, one line each. */
  updates: string[]
}

export function checkInRecords(
  plan: Pick<PartnershipPlan, 'checkIns' | 'actionPlan'>,
  t: Translate,
  text: (boardText: string) => string,
  day: (at: number) => string = updateDayUtc,
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
  }))
}
