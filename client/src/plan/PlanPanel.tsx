import { intersectionMatrix } from '@common-ground/shared/plan'
import { type ReactNode, useId } from 'react'
import { type TLShapeId, useValue } from 'tldraw'
import { useBoardView } from '../board/BoardViewContext.tsx'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardAccess, useBoardModel, usePlan } from '../session/BoardModelContext.tsx'
import { ActionPlanSection } from './ActionPlanSection.tsx'
import { AgreementFields } from './AgreementFields.tsx'
import { ExportMenu } from './ExportMenu.tsx'
import { linkCards, unlinkCards } from './linkCards.ts'
import { MySteps } from './MySteps.tsx'
import {
  CapacityAnswers,
  CommunityAnswers,
  EvaluationAnswers,
  ReadinessAnswers,
  StructureAnswers,
} from './PlanAnswers.tsx'
import { RetreatLinks, StartNextRetreat } from './RetreatLinks.tsx'

export const PLAN_PANEL_ID = 'cg-plan-panel'

/**
 * The accessible twin of the canvas: the plan as a structured outline (headings, lists, a table),
 * live as people work. It renders what `shared` derives; it computes nothing itself.
 */
export function PlanPanel() {
  const { t } = useI18n()
  const { editor } = useBoardView()
  const { readOnly } = useBoardAccess()
  const { privateNotes } = useBoardModel()
  const plan = usePlan()
  const issues = plan.issues
  // My private notes are not on the board yet, so the plan does not list them.
  const privateMine = useValue('my private notes', () => privateNotes.mineCount.get(), [
    privateNotes,
  ])
  const matrix = intersectionMatrix(plan)
  const headingId = useId()

  return (
    <aside id={PLAN_PANEL_ID} className="cg-plan-panel" aria-labelledby={headingId}>
      <div className="cg-plan-header">
        <h2 id={headingId}>{t('plan.title')}</h2>
        <ExportMenu plan={plan} />
      </div>
      <MySteps plan={plan} />
      <RetreatLinks />
      {/* Read-only viewers see every answer; a disabled fieldset turns off every control at once. */}
      <fieldset className="cg-plan-body" disabled={readOnly}>
        <PanelSection
          id={`${headingId}-orgs`}
          title={t('plan.organizations', { count: plan.organizations.length })}
        >
          {plan.organizations.length === 0 ? (
            <p className="cg-hint">{t('plan.noOrganizations')}</p>
          ) : (
            <ul className="cg-plan-list">
              {plan.organizations.map((org) => (
                <li key={org.id}>
                  <strong>{org.name || t('card.org.untitled')}</strong>
                  {org.kind && <span className="cg-hint"> · {t(`orgKind.${org.kind}`)}</span>}
                  {org.offers && (
                    <p>
                      <span className="cg-plan-label">{t('card.org.offers')}:</span> {org.offers}
                    </p>
                  )}
                  {org.needs && (
                    <p>
                      <span className="cg-plan-label">{t('card.org.needs')}:</span> {org.needs}
                    </p>
                  )}
                </li>
              ))}
            </ul>
          )}
        </PanelSection>

        <PanelSection id={`${headingId}-map`} title={t('plan.map')}>
          {matrix.intersections.length === 0 || matrix.organizations.length === 0 ? (
            <p className="cg-hint">{t('plan.noMap')}</p>
          ) : (
            <div className="cg-plan-table-wrap">
              <table className="cg-plan-table">
                <caption className="cg-hint">{t('plan.mapCaption')}</caption>
                <thead>
                  <tr>
                    <td />
                    {matrix.intersections.map((column) => (
                      <th key={column.id} scope="col">
                        {column.title || t('card.intersection.untitled')}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {matrix.organizations.map((row, r) => (
                    <tr key={row.id}>
                      <th scope="row">{row.name || t('card.org.untitled')}</th>
                      {matrix.intersections.map((column, c) => {
                        const linked = matrix.linked[r]?.[c] ?? false
                        const organization = row.id as TLShapeId
                        const intersection = column.id as TLShapeId
                        return (
                          <td key={column.id} data-linked={linked}>
                            <button
                              type="button"
                              className="cg-link-toggle"
                              aria-pressed={linked}
                              disabled={!editor}
                              aria-label={t('plan.link', {
                                organization: row.name || t('card.org.untitled'),
                                intersection: column.title || t('card.intersection.untitled'),
                              })}
                              onClick={() => {
                                if (!editor) return
                                if (linked) unlinkCards(editor, organization, intersection)
                                else linkCards(editor, organization, intersection)
                              }}
                            >
                              <span aria-hidden="true">{linked ? '●' : '·'}</span>
                            </button>
                          </td>
                        )
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </PanelSection>

        <PanelSection id={`${headingId}-issues`} title={t('plan.issues', { count: issues.length })}>
          {issues.length === 0 ? (
            <p className="cg-hint">{t('plan.noIssues')}</p>
          ) : (
            <ul className="cg-plan-list">
              {issues.map((issue) => (
                <li key={issue.id}>{issue.text || t('plan.emptyNote')}</li>
              ))}
            </ul>
          )}
          {privateMine > 0 && (
            <p className="cg-hint">{t('brainstorm.mine', { count: privateMine })}</p>
          )}
        </PanelSection>

        <ActionPlanSection plan={plan} />

        {plan.readiness.length > 0 && (
          <PanelSection id={`${headingId}-ready`} title={t('plan.readiness')}>
            <ReadinessAnswers items={plan.readiness} />
          </PanelSection>
        )}

        <PanelSection id={`${headingId}-community`} title={t('plan.community')}>
          <CommunityAnswers values={plan.community} />
        </PanelSection>

        <PanelSection id={`${headingId}-capacity`} title={t('plan.capacity')}>
          <CapacityAnswers values={plan.capacity} />
        </PanelSection>

        <PanelSection id={`${headingId}-evaluation`} title={t('plan.evaluation')}>
          <EvaluationAnswers values={plan.evaluation} />
        </PanelSection>

        <PanelSection id={`${headingId}-structure`} title={t('plan.structure')}>
          <StructureAnswers values={plan.structure} />
        </PanelSection>

        <PanelSection id={`${headingId}-agreement`} title={t('agreement.fields.heading')}>
          <AgreementFields organizations={plan.organizations} />
        </PanelSection>
      </fieldset>
      <StartNextRetreat />
    </aside>
  )
}

/** A part of the panel, named by its heading (`id` is the heading's). */
function PanelSection(props: { id: string; title: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={props.id}>
      <h3 id={props.id}>{props.title}</h3>
      {props.children}
    </section>
  )
}
