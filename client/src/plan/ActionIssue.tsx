import type { ActionPlanItem, Organization } from '@common-ground/shared/plan'
import { useId } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardModel } from '../session/BoardModelContext.tsx'
import { Commitments } from './Commitments.tsx'
import { StepsTable } from './StepsTable.tsx'

/** One ranked issue of the action plan: its commitments and its steps. */
export function ActionIssue(props: {
  item: ActionPlanItem
  organizations: readonly Organization[]
  editable: boolean
}) {
  const { t } = useI18n()
  const headingId = useId()
  const { item } = props
  const { commands } = useBoardModel()
  const title = item.title || t('plan.emptyNote')
  return (
    <section className="cg-action-issue" aria-labelledby={headingId} data-issue={item.issue}>
      {/* Focusable from a script only: an action card's "Edit in the plan" lands here. */}
      <h4 id={headingId} tabIndex={-1}>
        {t('action.issueHeading', { rank: item.rank, issue: title })}
      </h4>
      <Commitments {...props} />
      <h5 className="cg-action-subheading">{t('action.steps')}</h5>
      <StepsTable {...props} />
      <button
        type="button"
        className="cg-link-button cg-action-remove"
        disabled={!props.editable}
        onClick={() => {
          if (window.confirm(t('action.removeIssueConfirm', { issue: title }))) {
            commands.removeActionIssue(item.issue)
          }
        }}
      >
        {t('action.removeIssue', { issue: title })}
      </button>
    </section>
  )
}
