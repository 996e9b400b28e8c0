import { MAX_TEXT_LENGTH } from '@common-ground/shared/board'
import type { PartnershipPlan } from '@common-ground/shared/plan'
import { useId, useState } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardModel } from '../session/BoardModelContext.tsx'

/**
 * Takes an issue candidate into the action plan by hand, after the ranked ones (a vote's
 * "promote" does the same for the top issues).
 */
export function AddActionIssue(props: {
  plan: Pick<PartnershipPlan, 'issues' | 'actionPlan'>
  editable: boolean
}) {
  const { t } = useI18n()
  const id = useId()
  const { commands } = useBoardModel()
  const taken = new Set(props.plan.actionPlan.map((item) => item.issue))
  const candidates = props.plan.issues.filter((issue) => !taken.has(issue.id))
  const [chosen, setChosen] = useState('')
  const selected = candidates.find((issue) => issue.id === chosen) ?? candidates[0]
  if (!selected) return null
  return (
    <form
      className="cg-plan-field cg-action-add"
      onSubmit={(event) => {
        event.preventDefault()
        const rank = Math.max(0, ...props.plan.actionPlan.map((item) => item.rank)) + 1
        commands.setActionIssue(selected.id, {
          title: selected.text.slice(0, MAX_TEXT_LENGTH),
          rank,
          sessionId: null,
        })
        setChosen('')
      }}
    >
      <label htmlFor={id}>{t('action.addIssue')}</label>
      <div className="cg-action-add-row">
        <select
          id={id}
          className="cg-select cg-plan-input"
          value={selected.id}
          disabled={!props.editable}
          onChange={(event) => setChosen(event.target.value)}
        >
          {candidates.map((issue) => (
            <option key={issue.id} value={issue.id}>
              {issue.text || t('plan.emptyNote')}
            </option>
          ))}
        </select>
        <button type="submit" className="cg-button" disabled={!props.editable}>
          {t('action.addIssueButton')}
        </button>
      </div>
    </form>
  )
}
