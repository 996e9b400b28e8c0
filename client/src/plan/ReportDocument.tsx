/**
 * The plan as a document to print or save as PDF, in the order a funder reads it (the same as
 * plan.md): a cover with the partners and contents, then partners and the intersection map,
 * ranked issues, the action plan and its check-ins, the assessments, evaluation and roles, each part starting
 * on a new page. It only renders what `shared` derived; React escapes every piece of user text.
 */
import {
  actionTables,
  consensusLine,
  formatDate,
  indicatorTables,
  rankedIssuesOf,
  roundSections,
  themesWithIssues,
} from '@common-ground/shared/export'
import type { MessageKey } from '@common-ground/shared/i18n'
import { intersectionMatrix, localDate, type PartnershipPlan } from '@common-ground/shared/plan'
import type { ReactNode } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { readerTimeZone } from '../i18n/timeZone.ts'
import { IndicatorChart } from './IndicatorChart.tsx'
import { ReportCheckIns } from './ReportCheckIns.tsx'

type T = ReturnType<typeof useI18n>['t']

function None({ t }: { t: T }) {
  return <p className="cg-report-none">{t('export.none')}</p>
}

/** A labelled answer; left out when nobody wrote anything. */
function Field({ label, value }: { label: string; value: string }) {
  if (!value.trim()) return null
  return (
    <div className="cg-report-field">
      <p className="cg-report-label">{label}</p>
      <p>{value}</p>
    </div>
  )
}

/** How a column reads: a short number, a date or status kept on one line, or free text. */
type Column = 'number' | 'nowrap' | 'text'

function Table(props: {
  caption?: string
  head: string[]
  columns?: readonly Column[]
  rows: ReactNode[][]
}) {
  const kind = (c: number) => `cg-report-${props.columns?.[c] ?? 'text'}`
  return (
    <table className="cg-report-table">
      {props.caption && <caption>{props.caption}</caption>}
      <thead>
        <tr>
          {props.head.map((cell, c) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
            <th key={c} scope="col" className={kind(c)}>
              {cell}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row, r) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows of a static document
          <tr key={r}>
            {row.map((cell, c) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
              <td key={c} className={kind(c)}>
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export const REPORT_SECTIONS = [
  ['partners', 'export.partners'],
  ['map', 'plan.map'],
  ['issues', 'export.rankedIssues'],
  ['action', 'action.title'],
  ['checkIns', 'export.checkIns'],
  ['readiness', 'plan.readiness'],
  ['community', 'plan.community'],
  ['capacity', 'plan.capacity'],
  ['evaluation', 'plan.evaluation'],
  ['structure', 'plan.structure'],
  ['parkingLot', 'export.parkingLot'],
] as const satisfies readonly (readonly [string, MessageKey])[]

export function ReportDocument(props: { plan: PartnershipPlan; titleId: string; date: string }) {
  const { t } = useI18n()
  const { plan } = props
  const sectionId = (name: string) => `${props.titleId}-${name}`
  const heading = (name: (typeof REPORT_SECTIONS)[number][0]) => {
    const key = REPORT_SECTIONS.find(([id]) => id === name)?.[1] ?? 'plan.title'
    return <h2 id={sectionId(name)}>{t(key)}</h2>
  }
  const sections = REPORT_SECTIONS.filter(
    ([name]) =>
      (name !== 'readiness' || plan.readiness.length) &&
      (name !== 'checkIns' || plan.checkIns.length) &&
      (name !== 'parkingLot' || plan.parkingLot.length),
  )

  return (
    <article className="cg-report" aria-labelledby={props.titleId}>
      <header className="cg-report-cover">
        <p className="cg-report-kicker">{t('plan.title')}</p>
        <h1 id={props.titleId}>{plan.title || t('plan.title')}</h1>
        <p className="cg-report-date">{t('export.exportedOn', { date: props.date })}</p>
        <h2 className="cg-report-cover-heading">{t('export.partners')}</h2>
        {plan.organizations.length === 0 ? (
          <None t={t} />
        ) : (
          <ul className="cg-report-partners">
            {plan.organizations.map((org) => (
              <li key={org.id}>
                <strong>{org.name || t('card.org.untitled')}</strong>
                {org.kind && <span> · {t(`orgKind.${org.kind}`)}</span>}
              </li>
            ))}
          </ul>
        )}
        <nav aria-labelledby={`${props.titleId}-contents`}>
          <h2 id={`${props.titleId}-contents`} className="cg-report-cover-heading">
            {t('export.contents')}
          </h2>
          <ol className="cg-report-contents">
            {sections.map(([name, key]) => (
              <li key={name}>
                <a href={`#${sectionId(name)}`}>{t(key)}</a>
              </li>
            ))}
          </ol>
        </nav>
      </header>

      <div className="cg-report-part">
        <Partners plan={plan} heading={heading('partners')} />
        <IntersectionMap plan={plan} heading={heading('map')} />
      </div>
      <div className="cg-report-part">
        <RankedIssues plan={plan} heading={heading('issues')} />
        <ActionPlan plan={plan} heading={heading('action')} />
        {plan.checkIns.length > 0 && <ReportCheckIns plan={plan} heading={heading('checkIns')} />}
      </div>
      <div className="cg-report-part">
        {plan.readiness.length > 0 && (
          <section>
            {heading('readiness')}
            <ul className="cg-report-readiness">
              {plan.readiness.map((item) => (
                <li key={item.id}>
                  {item.question}{' '}
                  <strong>{t(item.answer ? `answer.${item.answer}` : 'answer.unanswered')}</strong>
                  {item.note.trim() && <p>{item.note}</p>}
                </li>
              ))}
            </ul>
          </section>
        )}
        <Assessments plan={plan} community={heading('community')} capacity={heading('capacity')} />
      </div>
      <div className="cg-report-part">
        <Evaluation plan={plan} heading={heading('evaluation')} />
        <Structure plan={plan} heading={heading('structure')} />
      </div>
      {plan.parkingLot.length > 0 && (
        <div className="cg-report-part">
          <section>
            {heading('parkingLot')}
            <ul className="cg-report-list">
              {plan.parkingLot.map((note) => (
                <li key={note.id}>{note.text || t('plan.emptyNote')}</li>
              ))}
            </ul>
          </section>
        </div>
      )}
    </article>
  )
}

interface SectionProps {
  plan: PartnershipPlan
  heading: ReactNode
}

function Partners({ plan, heading }: SectionProps) {
  const { t } = useI18n()
  return (
    <section>
      {heading}
      {plan.organizations.length === 0 && <None t={t} />}
      {plan.organizations.map((org) => (
        <div key={org.id} className="cg-report-block">
          <h3>{org.name || t('card.org.untitled')}</h3>
          {(org.kind || org.performanceAffectsFunding) && (
            <p className="cg-report-meta">
              {org.kind && (
                <>
                  {t('card.org.kind')}: {t(`orgKind.${org.kind}`)}
                </>
              )}
              {org.kind && org.performanceAffectsFunding && ' · '}
              {org.performanceAffectsFunding && (
                <>
                  {t('card.org.performanceFunding')} {t(`answer.${org.performanceAffectsFunding}`)}
                </>
              )}
            </p>
          )}
          {org.activities.length > 0 && (
            <Table
              head={[t('card.org.activities'), t('export.measure')]}
              rows={org.activities.map((row) => [row.activity, row.measure])}
            />
          )}
          <Field label={t('card.org.funding')} value={org.fundingSources} />
          <Field label={t('card.org.offers')} value={org.offers} />
          <Field label={t('card.org.needs')} value={org.needs} />
        </div>
      ))}
    </section>
  )
}

function IntersectionMap({ plan, heading }: SectionProps) {
  const { t } = useI18n()
  const matrix = intersectionMatrix(plan)
  return (
    <section>
      {heading}
      {matrix.organizations.length === 0 || matrix.intersections.length === 0 ? (
        <None t={t} />
      ) : (
        <Table
          caption={t('report.mapCaption')}
          head={[
            t('export.organization'),
            ...matrix.intersections.map((c) => c.title || t('card.intersection.untitled')),
          ]}
          rows={matrix.organizations.map((row, r) => [
            row.name || t('card.org.untitled'),
            ...matrix.intersections.map((_, c) =>
              matrix.linked[r]?.[c] ? (
                <span key="linked" className="cg-report-linked">
                  ● {t('export.linked')}
                </span>
              ) : (
                ''
              ),
            ),
          ])}
        />
      )}
      {plan.intersections.map((intersection) => (
        <div key={intersection.id} className="cg-report-block">
          <h3>{intersection.title || t('card.intersection.untitled')}</h3>
          <Field label={t('card.intersection.ideal')} value={intersection.ideal} />
          <Field label={t('card.intersection.result')} value={intersection.result} />
          <Field label={t('card.intersection.evidence')} value={intersection.evidence} />
        </div>
      ))}
    </section>
  )
}

function RankedIssues({ plan, heading }: SectionProps) {
  const { t } = useI18n()
  const ranked = rankedIssuesOf(plan)
  const withDots = ranked.some((issue) => issue.dots !== null)
  return (
    <section>
      {heading}
      {ranked.length === 0 ? (
        <None t={t} />
      ) : (
        <Table
          head={[t('action.rank'), t('action.issue'), ...(withDots ? [t('action.dots')] : [])]}
          columns={['number', 'text', 'number']}
          rows={ranked.map((issue) => [
            String(issue.rank),
            issue.title || t('plan.emptyNote'),
            ...(withDots ? [issue.dots === null ? '' : String(issue.dots)] : []),
          ])}
        />
      )}
      {/* Impact and effort, and consensus checks (React escapes the board's text). */}
      {roundSections(plan, t, (text) => text).map((section) => (
        <div key={section.round.id} className="cg-report-block">
          <h3>{section.heading}</h3>
          {section.lines.map((line) => (
            <p key={line}>{line}</p>
          ))}
          {section.table && (
            <Table
              head={section.table.head}
              columns={
                section.round.kind === 'placement'
                  ? ['number', 'text', 'nowrap', 'nowrap', 'number']
                  : ['text', 'number']
              }
              rows={section.table.rows}
            />
          )}
        </div>
      ))}
      {plan.issues.length > 0 && (
        <>
          <h3>{t('export.issueCandidates')}</h3>
          <ul className="cg-report-list">
            {plan.issues.map((issue) => (
              <li key={issue.id}>{issue.text || t('plan.emptyNote')}</li>
            ))}
          </ul>
        </>
      )}
      {plan.themes.length > 0 && (
        <>
          <h3>{t('export.themes')}</h3>
          <ul className="cg-report-list">
            {themesWithIssues(plan).map((theme) => (
              <li key={theme.id}>
                <strong>{theme.title}</strong>
                {theme.issues.length > 0 && (
                  <ul>
                    {theme.issues.map((text, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: two notes may say the same
                      <li key={i}>{text || t('plan.emptyNote')}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}

function ActionPlan({ plan, heading }: SectionProps) {
  const { t, locale } = useI18n()
  // The board's own text needs no escaping: React escapes it. Updates are dated on the reader's
  // calendar.
  const zone = readerTimeZone()
  const tables = actionTables(
    plan,
    t,
    (text) => text,
    (at) => formatDate(locale, localDate(at, zone)),
  )
  return (
    <section>
      {heading}
      {plan.actionPlan.length === 0 && <None t={t} />}
      {plan.actionPlan.map((item) => {
        const title = item.title || t('plan.emptyNote')
        return (
          <div key={item.issue} className="cg-report-block">
            <h3>{t('action.issueHeading', { rank: item.rank, issue: title })}</h3>
            {consensusLine(plan, item.issue, t) && <p>{consensusLine(plan, item.issue, t)}</p>}
            {item.commitments.length > 0 && (
              <Table caption={t('action.commitments')} {...tables.commitments(item)} />
            )}
            {item.steps.length === 0 ? (
              <p className="cg-report-none">{t('action.noSteps')}</p>
            ) : (
              <Table
                caption={t('action.steps')}
                columns={['number', 'text', 'text', 'text', 'nowrap', 'nowrap', 'text']}
                {...tables.steps(item)}
              />
            )}
          </div>
        )
      })}
    </section>
  )
}

function Assessments(props: { plan: PartnershipPlan; community: ReactNode; capacity: ReactNode }) {
  const { t } = useI18n()
  const community = Object.entries(props.plan.community).filter(([, value]) => value.trim())
  const capacity = Object.entries(props.plan.capacity).filter(([, value]) => value)
  return (
    <>
      <section>
        {props.community}
        {community.length === 0 && <None t={t} />}
        {community.map(([key, value]) => (
          <Field key={key} label={t(`community.${key}` as MessageKey)} value={value} />
        ))}
      </section>
      <section>
        {props.capacity}
        {capacity.length === 0 && <None t={t} />}
        {capacity.map(([key, value]) =>
          key === 'leadershipDiverse' ? (
            <Field
              key={key}
              label={t('capacity.leadershipDiverse')}
              value={t(`answer.${value}` as MessageKey)}
            />
          ) : (
            <Field key={key} label={t(`capacity.${key}` as MessageKey)} value={String(value)} />
          ),
        )}
      </section>
    </>
  )
}

function Evaluation({ plan, heading }: SectionProps) {
  const { t, locale } = useI18n()
  const { evaluation } = plan
  const empty =
    evaluation.indicators.length === 0 &&
    !evaluation.dataSharing.trim() &&
    !evaluation.reviewCadence &&
    !evaluation.sustain.trim()
  return (
    <section>
      {heading}
      {empty && <None t={t} />}
      {evaluation.indicators.length > 0 && (
        <Table
          {...indicatorTables(
            plan,
            locale,
            t,
            (text) => text,
            evaluation.indicators,
            (iso) => formatDate(locale, iso),
          ).overview()}
        />
      )}
      {evaluation.indicators
        .filter((indicator) => indicator.values.length > 0)
        .map((indicator) => (
          <div key={indicator.id} className="cg-report-indicator">
            <h3>{t('evaluation.values', { name: indicator.name || t('evaluation.untitled') })}</h3>
            <IndicatorChart indicator={indicator} tableOpen />
          </div>
        ))}
      <Field label={t('evaluation.dataSharing')} value={evaluation.dataSharing} />
      {evaluation.reviewCadence && (
        <Field
          label={t('evaluation.reviewCadence')}
          value={t(`evaluation.cadence.${evaluation.reviewCadence}`)}
        />
      )}
      <Field label={t('evaluation.sustain')} value={evaluation.sustain} />
    </section>
  )
}

function Structure({ plan, heading }: SectionProps) {
  const { t } = useI18n()
  const { structure } = plan
  const rows: [string, string][] = []
  if (structure.backbone.trim()) rows.push([t('structure.backbone'), structure.backbone])
  for (const role of structure.roles) {
    const note = role.note.trim() ? ` (${role.note})` : ''
    rows.push([t(`structure.role.${role.role}`), `${role.holder}${note}`])
  }
  if (structure.bodies.length > 0) {
    rows.push([
      t('structure.bodies'),
      structure.bodies.map((body) => t(`structure.body.${body}`)).join(', '),
    ])
  }
  if (structure.agreement) {
    rows.push([t('structure.agreement'), t(`structure.agreement.${structure.agreement}`)])
  }
  return (
    <section>
      {heading}
      {rows.length === 0 && !structure.agreementNotes.trim() && <None t={t} />}
      {rows.length > 0 && (
        <dl className="cg-report-roles">
          {rows.map(([label, value], i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows of a static document
            <div key={i}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      <Field label={t('structure.agreementNotes')} value={structure.agreementNotes} />
    </section>
  )
}
