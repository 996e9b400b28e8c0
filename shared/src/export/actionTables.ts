/**
 * The action plan's two tables for one issue, as the Markdown export and the printed report both
 * show them: what each organization takes on and needs, then the steps (who, when, how far).
 * Cells are text; `text` is how a piece of the board's own text goes into one (Markdown escapes
 * it, the report leaves it to React), while numbers, dates and catalogue words go in as they are.
 */
import type { MessageKey, MessageParams } from '../i18n/index.ts'
import type { ActionPlanItem } from '../plan/actionPlan.ts'
import type { PartnershipPlan } from '../plan/partnershipPlan.ts'

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
  t: (key: MessageKey, params?: MessageParams) => string,
  text: (boardText: string) => string,
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
    steps: (item) => ({
      head: [
        '#',
        t('action.what'),
        t('action.person'),
        t('action.organization'),
        t('action.due'),
        t('action.status'),
      ],
      rows: item.steps.map((step, i) => [
        String(i + 1),
        text(step.what),
        text(step.person),
        step.organization ? text(names.get(step.organization) ?? '') : '',
        step.due ?? '',
        t(`action.status.${step.status}`),
      ]),
    }),
  }
}
