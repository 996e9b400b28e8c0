/**
 * The action plan's two tables for one issue, as the Markdown export and the printed report both
 * show them: what each organization takes on and needs, then the steps (who, when, how far, and
 * the last update when any step of the issue has one).
 * Cells are text; `text` is how a piece of the board's own text goes into one (Markdown escapes
 * it, the report leaves it to React), while numbers, dates and catalogue words go in as they are.
 */
import type { MessageKey, MessageParams } from '../i18n/index.ts'
import type { ActionPlanItem, StepUpdate } from '../plan/actionPlan.ts'
import type { PartnershipPlan } from '../plan/partnershipPlan.ts'
import { localDate } from '../plan/progress.ts'

type Translate = (key: MessageKey, params?: MessageParams) => string

/** The day an update was posted, `yyyy-mm-dd` in UTC: what exports show unless told a zone. */
export const updateDayUtc = (at: number) => localDate(at, 'UTC')

/**
 * One update as a line of text: "<day>, <who>: <status> — <note>". `day` words its date (a
 * localized long date in the exports), `text` escapes the board's text as the cell needs.
 */
export function describeUpdate(
  update: StepUpdate,
  t: Translate,
  text: (boardText: string) => string,
  day: (at: number) => string = updateDayUtc,
): string {
  const params = {
    date: day(update.at),
    by: text(update.by),
    status: t(`action.status.${update.status}`),
  }
  return update.note.trim()
    ? t('export.updateWithNote', { ...params, note: text(update.note) })
    : t('export.update', params)
}

export interface ExportTable {
  head: string[]
  rows: string[][]
}

export interface ActionTables {
  commitments(item: ActionPlanItem): ExportTable
  steps(item: ActionPlanItem): ExportTable
}

export function actionTables(
  plan: Pick<PartnershipPlan, 'organizations'>,
  t: Translate,
  text: (boardText: string) => string,
  /** How an update's date reads (see `describeUpdate`). */
  day: (at: number) => string = updateDayUtc,
): ActionTables {
  // A card not named yet reads as untitled.
  const names = new Map(
    plan.organizations.map((org) => [org.id, org.name || t('card.org.untitled')]),
  )
  return {
    commitments: (item) => ({
      head: [
        t('export.organization'),
        t('action.takesOn'),
        t('action.fromPartners'),
        t('action.fromParent'),
      ],
      rows: item.commitments.map((row) => [
        text(names.get(row.organization) ?? t('card.org.untitled')),
        text(row.takesOn),
        text(row.fromPartners),
        text(row.fromParent),
      ]),
    }),
    steps: (item) => {
      const updated = item.steps.some((step) => step.lastUpdate !== null)
      return {
        head: [
          '#',
          t('action.what'),
          t('action.person'),
          t('action.organization'),
          t('action.due'),
          t('action.status'),
          ...(updated ? [t('export.lastUpdate')] : []),
        ],
        rows: item.steps.map((step, i) => [
          String(i + 1),
          text(step.what),
          text(step.person),
          step.organization ? text(names.get(step.organization) ?? '') : '',
          step.due ?? '',
          t(`action.status.${step.status}`),
          ...(updated
            ? [step.lastUpdate ? describeUpdate(step.lastUpdate, t, text, day) : '']
            : []),
        ]),
      }
    },
  }
}
