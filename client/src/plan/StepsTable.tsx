import {
  type ActionPlanItem,
  isBlankStep,
  type Organization,
  orderAfter,
  type StepFields,
} from '@common-ground/shared/plan'
import { useEffect, useRef, useState } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardModel } from '../session/BoardModelContext.tsx'
import { flushPendingFields } from './liveFields.ts'
import { StepRow } from './StepRow.tsx'

/** How long "Step n removed · Undo" stays offered (longer while the keyboard is on it). */
const UNDO_MS = 15_000

/** Where the keyboard goes once the live plan shows a change this person made. */
type FocusAfter =
  | { step: string; target: 'what' }
  | { step: string; target: 'move'; direction: 'up' | 'down' }
  | { step: null; target: 'add' }
  | { step: null; target: 'undo' }

/** The steps of one ranked issue: a table with add, move up/down and remove. */
export function StepsTable(props: {
  item: ActionPlanItem
  organizations: readonly Organization[]
  editable: boolean
}) {
  const { t } = useI18n()
  const { item, editable } = props
  const board = useBoardModel()
  const { commands } = board
  const wrap = useRef<HTMLDivElement>(null)
  const focusAfter = useRef<FocusAfter | null>(null)
  const title = item.title || t('plan.emptyNote')
  // The step just removed, offered back for a while (a removal is one click, so is its undo).
  const [removed, setRemoved] = useState<{ step: StepFields; number: number } | null>(null)
  const undoButton = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (!removed) return
    const timer = setTimeout(function expire() {
      if (document.activeElement === undoButton.current) setTimeout(expire, UNDO_MS)
      else setRemoved(null)
    }, UNDO_MS)
    return () => clearTimeout(timer)
  }, [removed])

  // The plan is re-derived a moment after a write: move the focus once the change shows.
  // biome-ignore lint/correctness/useExhaustiveDependencies: new steps are the signal
  useEffect(() => {
    const want = focusAfter.current
    const root = wrap.current
    if (!want || !root) return
    let target: HTMLElement | null = null
    if (want.target === 'add') target = root.querySelector('[data-add-step]')
    else if (want.target === 'undo') target = undoButton.current
    else {
      const row = root.querySelector(`[data-step-id="${want.step}"]`)
      if (!row) return
      if (want.target === 'what') target = row.querySelector('.cg-step-what textarea')
      else {
        const same = row.querySelector<HTMLButtonElement>(`[data-move="${want.direction}"]`)
        const other = row.querySelector<HTMLButtonElement>(
          `[data-move="${want.direction === 'up' ? 'down' : 'up'}"]`,
        )
        target = same && !same.disabled ? same : other
      }
    }
    focusAfter.current = null
    target?.focus()
  }, [item.steps])

  return (
    <div className="cg-steps" ref={wrap}>
      {item.steps.length === 0 ? (
        <p className="cg-hint">{t('action.noSteps')}</p>
      ) : (
        // biome-ignore lint/a11y/noRedundantRoles: rows are cards in the panel (see StepRow)
        <table role="table" className="cg-steps-table">
          <caption className="cg-hint">{t('action.stepsCaption', { issue: title })}</caption>
          {/* biome-ignore lint/a11y/noRedundantRoles: see StepRow */}
          <thead role="rowgroup" className="cg-visually-hidden">
            {/* biome-ignore lint/a11y/noRedundantRoles: see StepRow */}
            <tr role="row">
              {(
                [
                  'action.step',
                  'action.what',
                  'action.person',
                  'action.organization',
                  'action.due',
                  'action.status',
                  'action.stepActions',
                ] as const
              ).map((key) => (
                // biome-ignore lint/a11y/noRedundantRoles: see StepRow
                <th key={key} role="columnheader" scope="col">
                  {t(key)}
                </th>
              ))}
            </tr>
          </thead>
          {/* biome-ignore lint/a11y/noRedundantRoles: see StepRow */}
          <tbody role="rowgroup">
            {item.steps.map((step, index) => (
              <StepRow
                key={step.id}
                issue={item.issue}
                step={step}
                number={index + 1}
                last={index === item.steps.length - 1}
                organizations={props.organizations}
                editable={editable}
                onMove={(delta) => {
                  if (commands.moveStep(item, step.id, delta)) {
                    focusAfter.current = {
                      step: step.id,
                      target: 'move',
                      direction: delta < 0 ? 'up' : 'down',
                    }
                  }
                }}
                onRemove={() => {
                  // What is still being typed in the row belongs to the step that is undone.
                  flushPendingFields()
                  const gone = commands.removeStep(item.issue, step.id)
                  setRemoved(gone && { step: gone, number: index + 1 })
                  focusAfter.current = gone
                    ? { step: null, target: 'undo' }
                    : { step: null, target: 'add' }
                }}
              />
            ))}
          </tbody>
        </table>
      )}
      <p className="cg-step-undo" role="status">
        {removed && (
          <>
            {t('action.stepRemoved', { number: removed.number })}{' '}
            <button
              ref={undoButton}
              type="button"
              className="cg-link-button"
              disabled={!editable}
              aria-label={t('action.undoRemoveStep', { number: removed.number })}
              onClick={() => {
                commands.restoreStep(item.issue, removed.step)
                focusAfter.current = { step: removed.step.id, target: 'what' }
                setRemoved(null)
              }}
            >
              {t('action.undo')}
            </button>
          </>
        )}
      </p>
      <button
        type="button"
        className="cg-button"
        data-add-step
        disabled={!editable}
        onClick={() => {
          // A step still empty is where the next one is written (a double click, or a second
          // press before typing, would otherwise leave blank steps that export as blank rows).
          if (focusAfter.current?.target === 'what') return // the step just added is on its way
          // Judged on the board as it is now: text typed a moment ago is not in `item` yet.
          flushPendingFields()
          const steps =
            board.plan.get().actionPlan.find((other) => other.issue === item.issue)?.steps ??
            item.steps
          const last = steps.at(-1)
          if (last && isBlankStep(last)) {
            wrap.current
              ?.querySelector<HTMLElement>(`[data-step-id="${last.id}"] .cg-step-what textarea`)
              ?.focus()
            return
          }
          const id = commands.addStep(item.issue, { order: orderAfter(steps) })
          focusAfter.current = { step: id, target: 'what' }
        }}
      >
        {t('action.addStep')}
      </button>
    </div>
  )
}
