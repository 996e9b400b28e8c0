/**
 * An issue of the action plan on the canvas. It only shows: title, rank, what each organization
 * takes on and needs, the steps with who, when and how far, all read from the derived plan (see
 * actionCardData.ts). Changing any of it happens in the plan panel: "Edit in the plan", a
 * double-click, or Enter on the selected card opens the panel at this issue.
 */
import {
  type Locale,
  type MessageKey,
  type MessageParams,
  translate,
} from '@common-ground/shared/i18n'
import {
  ACTION_ISSUE_CARD,
  type ActionIssueCardProps,
  type ActionPlanItem,
  type ActionStep,
  actionIssueCardMigrations,
  actionIssueCardProps,
  type Commitment,
  defaultActionIssueCardProps,
} from '@common-ground/shared/plan'
import { type RefObject, useContext, useEffect, useLayoutEffect, useRef, useState } from 'react'
import {
  type RecordProps,
  stopEventPropagation,
  useEditor,
  useIsEditing,
  useSvgExportContext,
  useValue,
} from 'tldraw'
import { BoardViewContext } from '../board/BoardViewContext.tsx'
import { openPlanAt } from '../plan/openPlanAt.ts'
import { BoardModelContext } from '../session/BoardModelContext.tsx'
import { actionCardData } from './actionCardData.ts'
import { CardShapeUtil } from './CardShapeUtil.tsx'
import { localeOf, useCardText } from './cardText.ts'
import type { ActionIssueCardShape } from './shapeTypes.ts'

/**
 * The most a card shows; the rest is counted ("+ 2 more steps"). Fewer show when they do not
 * fit the card (long text, a smaller card): the organizations' rows go first, then steps from
 * the end, so no step is ever cut in half at the card's edge (see useFit).
 */
const SHOWN_STEPS = 5
const SHOWN_COMMITMENTS = 3

export class ActionIssueCardShapeUtil extends CardShapeUtil<ActionIssueCardShape> {
  static override type = ACTION_ISSUE_CARD
  static override props: RecordProps<ActionIssueCardShape> = actionIssueCardProps
  static override migrations = actionIssueCardMigrations
  readonly Card = ActionIssueCard

  getDefaultProps(): ActionIssueCardProps {
    return defaultActionIssueCardProps()
  }

  /** "Editing" the card is opening the plan at its issue: observers may look there too. */
  override canEditInReadonly() {
    return true
  }

  override getText(shape: ActionIssueCardShape) {
    const item = actionCardData(this.editor).get().items.get(shape.props.issue)
    if (!item) return undefined
    return [item.title, ...item.steps.map((step) => step.what)].filter(Boolean).join('\n')
  }

  override getAriaDescriptor(shape: ActionIssueCardShape) {
    const locale = localeOf(this.editor)
    const item = actionCardData(this.editor).get().items.get(shape.props.issue)
    const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params)
    const title = item ? t('action.issueHeading', { rank: item.rank, issue: item.title }) : ''
    return `${t('card.action.label')}: ${title || t('card.action.gone')}; ${t('card.action.openHint')}`
  }
}

function formatDue(locale: Locale, iso: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  )
}

function ActionIssueCard({ shape }: { shape: ActionIssueCardShape }) {
  const editor = useEditor()
  const t = useCardText()
  const locale = useValue('card locale', () => localeOf(editor), [editor])
  const issue = shape.props.issue
  const item = useValue('action item', () => actionCardData(editor).get().items.get(issue), [
    editor,
    issue,
  ])
  const organizations = useValue(
    'organizations',
    () => actionCardData(editor).get().organizations,
    [editor],
  )
  // Outside a board page (an image export) there is no panel to open and no button to show.
  const view = useContext(BoardViewContext)
  const board = useContext(BoardModelContext)
  const mayWrite = useValue('may write', () => board?.mayWrite.get() ?? false, [board])
  const exporting = useSvgExportContext() !== null
  const editing = useIsEditing(shape.id)
  const body = useRef<HTMLDivElement>(null)
  const shown = useFit(body, item, shape.props.w, shape.props.h)

  useEffect(() => {
    if (!editing) return
    editor.complete()
    if (view) openPlanAt(view, issue)
  }, [editing, editor, view, issue])

  const orgName = (id: string | null) =>
    id === null ? '' : organizations.get(id) || t('card.org.untitled')
  const title = item ? item.title || t('plan.emptyNote') : t('card.action.gone')
  const label = item
    ? `${t('card.action.label')}: ${t('action.issueHeading', { rank: item.rank, issue: title })}`
    : `${t('card.action.label')}: ${title}`

  return (
    // biome-ignore lint/a11y/useSemanticElements: a fieldset would change the card's layout and semantics while reading
    <div
      className="cg-plan-card cg-plan-card--action"
      role="group"
      aria-label={label}
      data-issue={issue}
      data-testid="action-card"
    >
      <div className="cg-plan-card__body" ref={body}>
        <div className="cg-action-card__head">
          {item && (
            <span
              className="cg-action-card__rank"
              title={t('card.action.rank', { rank: item.rank })}
            >
              <span className="cg-visually-hidden">
                {t('card.action.rank', { rank: item.rank })}
              </span>
              <span aria-hidden="true">{item.rank}</span>
            </span>
          )}
          <div className="cg-action-card__heading">
            <div className="cg-plan-card__eyebrow">{t('action.title')}</div>
            <div
              className={
                item?.title
                  ? 'cg-plan-card__title cg-action-card__title'
                  : 'cg-plan-card__title cg-action-card__title cg-plan-card__value--empty'
              }
            >
              {title}
            </div>
          </div>
        </div>
        {item && item.commitments.length > 0 && (
          <Commitments item={item} orgName={orgName} t={t} shown={shown.commitments} />
        )}
        {item && <Steps item={item} orgName={orgName} locale={locale} t={t} shown={shown.steps} />}
      </div>
      {item && (
        <div className="cg-plan-card__footer cg-action-card__footer">
          <Progress steps={item.steps} t={t} />
          {view && !exporting && (
            <button
              type="button"
              className="cg-plan-card__button cg-action-card__open"
              // Tab moves between shapes on the canvas; Enter on the selected card does this.
              tabIndex={-1}
              onPointerDown={stopEventPropagation}
              onClick={() => openPlanAt(view, issue)}
            >
              {t(mayWrite ? 'card.action.open' : 'card.action.show')}
            </button>
          )}
        </div>
      )}
    </div>
  )
}

type Text = ReturnType<typeof useCardText>

/**
 * How many commitments and steps fit the card's body without cutting one off: after each render
 * the body is measured and, while its content overflows, one fewer is shown (commitments first,
 * then steps, down to one step). It starts again from the most when the item or the card's size
 * changes, and measures again when the content's size changes (fonts arriving, say).
 */
function useFit(
  body: RefObject<HTMLDivElement | null>,
  item: ActionPlanItem | undefined,
  w: number,
  h: number,
): { commitments: number; steps: number } {
  const most = { item, w, h, commitments: SHOWN_COMMITMENTS, steps: SHOWN_STEPS }
  const [fit, setFit] = useState(most)
  const [measured, setMeasured] = useState(0)
  const current = fit.item === item && fit.w === w && fit.h === h ? fit : most
  // biome-ignore lint/correctness/useExhaustiveDependencies: measured only asks for a new look
  useLayoutEffect(() => {
    const element = body.current
    const overflows = element !== null && element.scrollHeight > element.clientHeight + 1
    if (overflows && current.commitments > 0) {
      setFit({ ...current, commitments: current.commitments - 1 })
    } else if (overflows && current.steps > 1) {
      setFit({ ...current, steps: current.steps - 1 })
    } else if (current !== fit) {
      setFit(current)
    }
  }, [current, fit, measured])
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new item may add or drop a section to observe
  useEffect(() => {
    const element = body.current
    if (!element || typeof ResizeObserver === 'undefined') return
    const observer = new ResizeObserver(() => setMeasured((n) => n + 1))
    for (const child of element.children) observer.observe(child)
    return () => observer.disconnect()
  }, [body, item])
  return current
}

function Commitments(props: {
  item: ActionPlanItem
  orgName(id: string): string
  t: Text
  shown: number
}) {
  const { item, orgName, t } = props
  const written = item.commitments.filter(hasText)
  if (written.length === 0) return null
  const more = written.length - props.shown
  return (
    <div className="cg-plan-card__field">
      <div className="cg-plan-card__label">{t('action.commitments')}</div>
      <ul className="cg-action-card__commitments">
        {written.slice(0, props.shown).map((row) => (
          <li key={row.organization}>
            <span className="cg-action-card__org">{orgName(row.organization)}</span>
            {row.takesOn && <span className="cg-action-card__clamp">{row.takesOn}</span>}
            {row.fromPartners && (
              <span className="cg-action-card__clamp cg-action-card__need">
                {t('action.fromPartners')}: {row.fromPartners}
              </span>
            )}
            {row.fromParent && (
              <span className="cg-action-card__clamp cg-action-card__need">
                {t('action.fromParent')}: {row.fromParent}
              </span>
            )}
          </li>
        ))}
      </ul>
      {more > 0 && (
        <div className="cg-action-card__more">
          {t('card.action.moreCommitments', { count: more })}
        </div>
      )}
    </div>
  )
}

const hasText = (row: Commitment) => !!(row.takesOn || row.fromPartners || row.fromParent)

function Steps(props: {
  item: ActionPlanItem
  shown: number
  orgName(id: string | null): string
  locale: Locale
  t: Text
}) {
  const { item, orgName, locale, t } = props
  const more = item.steps.length - props.shown
  return (
    <div className="cg-plan-card__field">
      <div className="cg-plan-card__label">{t('action.steps')}</div>
      {item.steps.length === 0 ? (
        <div className="cg-plan-card__value cg-plan-card__value--empty">{t('action.noSteps')}</div>
      ) : (
        <ol className="cg-action-card__steps">
          {item.steps.slice(0, props.shown).map((step) => {
            const owners = [step.person.trim(), orgName(step.organization)].filter(Boolean)
            return (
              <li key={step.id} className="cg-action-card__step" data-status={step.status}>
                <span className="cg-action-card__status" data-status={step.status}>
                  {t(`action.status.${step.status}`)}
                </span>
                <span className="cg-action-card__what cg-action-card__clamp">
                  {step.what || '—'}
                </span>
                <span className="cg-action-card__who">
                  {owners.length > 0 ? owners.join(' · ') : t('card.action.unassigned')}
                  {step.due && (
                    <>
                      {' · '}
                      <time dateTime={step.due}>
                        {t('card.action.due', { date: formatDue(locale, step.due) })}
                      </time>
                    </>
                  )}
                </span>
              </li>
            )
          })}
        </ol>
      )}
      {more > 0 && (
        <div className="cg-action-card__more">{t('card.action.moreSteps', { count: more })}</div>
      )}
    </div>
  )
}

function Progress({ steps, t }: { steps: readonly ActionStep[]; t: Text }) {
  if (steps.length === 0) return <span />
  const done = steps.filter((step) => step.status === 'done').length
  return (
    <span className="cg-action-card__progress">
      <span className="cg-action-card__bar" aria-hidden="true">
        <span style={{ width: `${(100 * done) / steps.length}%` }} />
      </span>
      {t('card.action.progress', { done, count: steps.length })}
    </span>
  )
}
