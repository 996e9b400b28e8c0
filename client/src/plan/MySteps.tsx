import { formatDate } from '@common-ground/shared/export'
import { type PartnershipPlan, stepsFor } from '@common-ground/shared/plan'
import { useValue } from '@tldraw/state-react'
import { useId } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { progressPath } from '../progress/progressPath.ts'
import { MyOrganizationSelect } from '../room/MyOrganizationSelect.tsx'
import { useBoardModel } from '../session/BoardModelContext.tsx'

/** "My steps": every step assigned to this person's name or to the organization they chose. */
export function MySteps({ plan }: { plan: PartnershipPlan }) {
  const { t, locale } = useI18n()
  const board = useBoardModel()
  const identity = useValue('identity', () => board.identity.get(), [board])
  const organization = useValue('my organization', () => board.organization.get(), [board])
  const headingId = useId()
  const mine = stepsFor(plan.actionPlan, { person: identity.name, organization })
  if (plan.actionPlan.length === 0) return null
  return (
    <section className="cg-my-steps" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('mine.title')}</h3>
      <p className="cg-hint">{t('mine.intro', { name: identity.name })}</p>
      {plan.organizations.length > 0 && (
        <MyOrganizationSelect
          organizations={plan.organizations}
          label="mine.organization"
          none="mine.anyOrganization"
        />
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
      <p>
        <a className="cg-progress-link" href={progressPath(board.boardId, { mine: true })}>
          {t('progress.openMine')}
        </a>
      </p>
    </section>
  )
}
