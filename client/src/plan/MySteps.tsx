import { formatDate, type PartnershipPlan, stepsFor } from '@common-ground/shared'
import { useId } from 'react'
import { useBoardSession } from '../board/BoardSessionContext.tsx'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useMyOrganization } from './myOrganization.ts'

/** "My steps": every step assigned to this person's name or to the organization they chose. */
export function MySteps({ plan }: { plan: PartnershipPlan }) {
  const { t, locale } = useI18n()
  const { boardId, identity } = useBoardSession()
  const headingId = useId()
  const selectId = useId()
  const [organization, setOrganization] = useMyOrganization(boardId)
  const mine = stepsFor(plan.actionPlan, { person: identity.name, organization })
  if (plan.actionPlan.length === 0) return null
  return (
    <section className="cg-my-steps" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('mine.title')}</h3>
      <p className="cg-hint">{t('mine.intro', { name: identity.name })}</p>
      {plan.organizations.length > 0 && (
        <div className="cg-plan-field">
          <label htmlFor={selectId}>{t('mine.organization')}</label>
          {/* A choice kept on this device, so observers may make it too. */}
          <select
            id={selectId}
            className="cg-select cg-plan-input"
            value={organization ?? ''}
            onChange={(event) => setOrganization(event.target.value || null)}
          >
            <option value="">{t('mine.anyOrganization')}</option>
            {plan.organizations.map((org) => (
              <option key={org.id} value={org.id}>
                {org.name || t('card.org.untitled')}
              </option>
            ))}
          </select>
        </div>
      )}
      {mine.length === 0 ? (
        <p className="cg-hint">{t('mine.none')}</p>
      ) : (
        <ul className="cg-my-steps-list" data-testid="my-steps">
          {mine.map(({ item, step }) => (
            <li key={`${item.issue}/${step.id}`}>
              {step.due ? (
                <time dateTime={step.due}>{formatDate(locale, step.due)}</time>
              ) : (
                <span className="cg-my-steps-date">{t('mine.noDate')}</span>
              )}
              <span>
                <strong>{step.what || t('plan.emptyNote')}</strong>
                <span className="cg-my-steps-issue">
                  {item.title || t('plan.emptyNote')} · {t(`action.status.${step.status}`)}
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
