import {
  DUE_STATES,
  type Organization,
  type OrganizationProgress,
  type ProgressStep,
  progressOf,
  samePerson,
} from '@common-ground/shared/plan'
import { useValue } from '@tldraw/state-react'
import { startTransition, useEffect, useId, useMemo, useState } from 'react'
import { WriteRefusedAlert } from '../access/WriteRefusedAlert.tsx'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { LanguageSelect } from '../i18n/LanguageSelect.tsx'
import { readerTimeZone } from '../i18n/timeZone.ts'
import { YouButton } from '../identity/YouButton.tsx'
import { RetreatLinks } from '../plan/RetreatLinks.tsx'
import { MyOrganizationSelect } from '../room/MyOrganizationSelect.tsx'
import { useBoardAccess, useBoardModel, usePlan } from '../session/BoardModelContext.tsx'
import { ConnectionBadge } from '../session/ConnectionBadge.tsx'
import { serverNow } from '../sync/serverClock.ts'
import { CheckIns } from './CheckIns.tsx'
import { IndicatorsSection } from './IndicatorsSection.tsx'
import { StepCard, stepAnchor } from './StepCard.tsx'

/**
 * Performance marks: the synced plan's first screen is up and answers (the benchmark's "time to
 * interactive", test/bench/progressView.ts), then every step is drawn.
 */
export const PROGRESS_INTERACTIVE_MARK = 'common-ground:progress-interactive'
export const PROGRESS_COMPLETE_MARK = 'common-ground:progress-complete'

/**
 * Steps drawn at first, more than a phone's screen holds; the rest (and "our commitments") follow
 * in a transition React interrupts for any tap or key, so a 300-step plan answers at once.
 */
const FIRST_STEPS = 24

/**
 * The Progress view: a summary, the check-ins (CheckIns.tsx), every step (overdue and due soon
 * first) with its owner,
 * organization, due date, status, last update and history, a form per step to post an update,
 * and "our commitments" per organization. Live: the plan re-derives as the board changes.
 */
export function ProgressView(props: { requestRename(): void }) {
  const { t } = useI18n()
  const board = useBoardModel()
  const plan = usePlan()
  const { role, closed, readOnly, facilitator } = useBoardAccess()
  const identity = useValue('identity', () => board.identity.get(), [board])
  const organization = useValue('my organization', () => board.organization.get(), [board])
  const status = useValue('status', () => board.connection.status.get(), [board])
  const [mineOnly, setMineOnly] = useState(() =>
    new URLSearchParams(window.location.search).has('mine'),
  )
  const [announcement, setAnnouncement] = useState('')
  const [complete, setComplete] = useState(false)
  useEffect(() => {
    performance.mark(PROGRESS_INTERACTIVE_MARK)
    startTransition(() => setComplete(true))
  }, [])
  useEffect(() => {
    if (complete) performance.mark(PROGRESS_COMPLETE_MARK)
  }, [complete])
  const timeZone = useMemo(readerTimeZone, [])
  const progress = progressOf(plan, serverNow(), timeZone)
  const names = new Map(plan.organizations.map((org) => [org.id, org.name]))
  const isMine = (entry: ProgressStep) =>
    (identity.name.trim() !== '' && samePerson(entry.step.person, identity.name)) ||
    (!!organization && entry.step.organization === organization)
  const mine = mineOnly ? progress.steps.filter(isMine) : progress.steps
  const shown = complete ? mine : mine.slice(0, FIRST_STEPS)
  const stepsHeading = useId()
  const commitmentsHeading = useId()
  const summaryHeading = useId()

  return (
    <div className="cg-progress">
      <header className="cg-progress-head">
        <p className="cg-brand">{t('app.name')}</p>
        <nav className="cg-progress-nav" aria-label={t('progress.nav')}>
          <a className="cg-button" href={`/b/${encodeURIComponent(board.boardId)}`}>
            {t('progress.backToBoard')}
          </a>
          {identity.name && <YouButton name={identity.name} onRename={props.requestRename} />}
          <LanguageSelect />
        </nav>
      </header>
      <main className="cg-progress-main">
        <h1>
          {t('progress.heading')}
          <span className="cg-progress-board">{board.title}</span>
        </h1>
        <p className="cg-progress-state">
          <ConnectionBadge status={status} connection={board.connection} />
          {readOnly && (
            <span className="cg-role-badge" data-testid="read-only">
              {t(closed && role !== 'observer' ? 'role.closed' : 'role.observer')}
            </span>
          )}
        </p>
        <p className="cg-hint">
          {t(
            !readOnly
              ? 'progress.intro'
              : closed && role !== 'observer'
                ? 'progress.closed'
                : 'progress.readOnly',
          )}
        </p>
        <RetreatLinks headingLevel="h2" />
        <WriteRefusedAlert />
        <p className="cg-visually-hidden" role="status" aria-live="polite">
          {announcement}
        </p>

        <section aria-labelledby={summaryHeading} className="cg-progress-summary">
          <h2 id={summaryHeading} className="cg-visually-hidden">
            {t('progress.summary')}
          </h2>
          <ul data-testid="progress-counts">
            {DUE_STATES.map((state) => (
              <li key={state} className={`cg-due cg-due-${state}`} data-state={state}>
                {t(`progress.count.${state}`, { count: progress.counts[state] })}
              </li>
            ))}
          </ul>
        </section>

        <CheckIns announce={setAnnouncement} />

        <section aria-labelledby={stepsHeading}>
          <h2 id={stepsHeading}>{t('progress.steps', { count: progress.steps.length })}</h2>
          {progress.steps.length === 0 ? (
            <p className="cg-hint">{t('progress.noSteps')}</p>
          ) : (
            <div className="cg-progress-filter">
              <label className="cg-progress-check">
                <input
                  type="checkbox"
                  checked={mineOnly}
                  onChange={(event) => setMineOnly(event.target.checked)}
                />
                <span>
                  {identity.name.trim()
                    ? t('progress.mineOnly', { name: identity.name })
                    : t('progress.mineOnlyOrganization')}
                </span>
              </label>
              {plan.organizations.length > 0 && (
                <MyOrganizationSelect
                  organizations={plan.organizations}
                  label="progress.myOrganization"
                  none="mine.anyOrganization"
                />
              )}
            </div>
          )}
          {mineOnly && mine.length === 0 && progress.steps.length > 0 && (
            <p className="cg-hint">{t('progress.mineNone')}</p>
          )}
          <ol className="cg-progress-steps" data-testid="progress-steps">
            {shown.map((entry) => (
              <StepCard
                key={`${entry.item.issue}/${entry.step.id}`}
                entry={entry}
                organizationName={
                  entry.step.organization ? (names.get(entry.step.organization) ?? '') : null
                }
                editable={!readOnly}
                facilitator={facilitator}
                announce={setAnnouncement}
              />
            ))}
          </ol>
        </section>

        {complete && (
          <IndicatorsSection
            indicators={plan.evaluation.indicators}
            organizations={plan.organizations}
            editable={!readOnly}
            facilitator={facilitator}
            announce={setAnnouncement}
          />
        )}

        {complete && progress.organizations.length > 0 && (
          <section aria-labelledby={commitmentsHeading} className="cg-progress-commitments">
            <h2 id={commitmentsHeading}>{t('progress.commitments')}</h2>
            <p className="cg-hint">{t('progress.commitmentsIntro')}</p>
            {progress.organizations.map((group) => (
              <OrganizationCommitments
                key={group.organization ?? ''}
                group={group}
                organizations={plan.organizations}
              />
            ))}
          </section>
        )}
      </main>
    </div>
  )
}

/** "Our commitments": one organization, what it takes on and how its steps are going. */
function OrganizationCommitments(props: {
  group: OrganizationProgress
  organizations: readonly Organization[]
}) {
  const { t } = useI18n()
  const headingId = useId()
  const { group } = props
  const name =
    group.organization === null
      ? t('action.noOrganization')
      : props.organizations.find((org) => org.id === group.organization)?.name ||
        t('card.org.untitled')
  const total = group.steps.length
  return (
    <section
      aria-labelledby={headingId}
      className="cg-progress-organization"
      data-organization={group.organization ?? ''}
    >
      <h3 id={headingId}>{name}</h3>
      {total > 0 && (
        <p className="cg-progress-organization-counts">
          {t('progress.organizationDone', { done: group.counts.done, count: total })}
          {group.counts.overdue > 0 && (
            <>
              {' · '}
              <span className="cg-due-overdue-text">
                {t('progress.organizationOverdue', { count: group.counts.overdue })}
              </span>
            </>
          )}
        </p>
      )}
      {group.commitments.length > 0 && (
        <dl className="cg-progress-takes-on">
          {group.commitments.map(({ item, commitment }) => (
            <div key={item.issue}>
              <dt>{item.title || t('plan.emptyNote')}</dt>
              <dd>
                <span className="cg-visually-hidden">{t('progress.takesOn')}: </span>
                {commitment.takesOn}
              </dd>
            </div>
          ))}
        </dl>
      )}
      {total === 0 ? (
        <p className="cg-hint">{t('progress.noCommitmentSteps')}</p>
      ) : (
        <ul className="cg-progress-organization-steps">
          {group.steps.map(({ item, step }) => (
            <li key={`${item.issue}/${step.id}`}>
              <a href={`#${stepAnchor(item.issue, step.id)}`}>{step.what || t('plan.emptyNote')}</a>
              {' · '}
              {t(`action.status.${step.status}`)}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
