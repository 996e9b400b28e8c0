import type { PartnershipPlan } from '@common-ground/shared/plan'
import { useId } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { ActionIssue } from './ActionIssue.tsx'
import { AddActionIssue } from './AddActionIssue.tsx'
import './actionPlan.css'
import { usePlanEditable } from './usePlanEditable.ts'

/** Stage 5 in the plan panel: each ranked issue, in rank order, with commitments and steps. */
export function ActionPlanSection({ plan }: { plan: PartnershipPlan }) {
  const { t } = useI18n()
  const headingId = useId()
  const editable = usePlanEditable()
  return (
    <section aria-labelledby={headingId} className="cg-action-plan">
      <h3 id={headingId}>{t('action.title')}</h3>
      {plan.actionPlan.length === 0 && <p className="cg-hint">{t('action.empty')}</p>}
      {plan.actionPlan.map((item) => (
        <ActionIssue
          key={item.issue}
          item={item}
          organizations={plan.organizations}
          editable={editable}
        />
      ))}
      <AddActionIssue plan={plan} editable={editable} />
    </section>
  )
}
