import {
  type ActionPlanItem,
  addStep,
  isBlankStep,
  moveStep,
  type Organization,
  orderAfter,
  removeStep,
} from '@common-ground/shared'
import { useEffect, useRef } from 'react'
import type * as Y from 'yjs'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { StepRow } from './StepRow.tsx'

/** Where the keyboard goes once the live plan shows a change this person made. */
type FocusAfter =
  | { step: string; target: 'what' }
  | { step: string; target: 'move'; direction: 'up' | 'down' }
  | { step: null; target: 'add' }

/** The steps of one ranked issue: a table with add, move up/down and remove. */
export function StepsTable(props: {
  doc: Y.Doc
  item: ActionPlanItem
  organizations: readonly Organization[]
  editable: boolean
}) {
  const { t } = useI18n()
  const { doc, item, editable } = props
  const wrap = useRef<HTMLDivElement>(null)
  const focusAfter = useRef<FocusAfter | null>(null)
  const title = item.title || t('plan.emptyNote')

  // The plan is re-derived a moment after a write: move the focus once the change shows.
  // biome-ignore lint/correctness/useExhaustiveDependencies: new steps are the signal
  useEffect(() => {
    const want = focusAfter.current
    const root = wrap.current
    if (!want || !root) return
    let target: HTMLElement | null = null
    if (want.target === 'add') target = root.querySelector('[data-add-step]')
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
          <thead role="rowgroup" className="cg-steps-head">
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
                doc={doc}
                issue={item.issue}
                step={step}
                number={index + 1}
                last={index === item.steps.length - 1}
                organizations={props.organizations}
                editable={editable}
                onMove={(delta) => {
                  if (moveStep(doc, item, step.id, delta)) {
                    focusAfter.current = {
                      step: step.id,
                      target: 'move',
                      direction: delta < 0 ? 'up' : 'down',
                    }
                  }
                }}
                onRemove={() => {
                  removeStep(doc, item.issue, step.id)
                  focusAfter.current = { step: null, target: 'add' }
                }}
              />
            ))}
          </tbody>
        </table>
      )}
      <button
        type="button"
        className="cg-button"
        data-add-step
        disabled={!editable}
        onClick={() => {
          // A step still empty is where the next one is written (a double click, or a second
          // press before typing, would otherwise leave blank steps that export as blank rows).
          if (focusAfter.current?.target === 'what') return // the step just added is on its way
          const last = item.steps.at(-1)
          if (last && isBlankStep(last)) {
            wrap.current
              ?.querySelector<HTMLElement>(`[data-step-id="${last.id}"] .cg-step-what textarea`)
              ?.focus()
            return
          }
          const id = addStep(doc, item.issue, { order: orderAfter(item.steps) })
          focusAfter.current = { step: id, target: 'what' }
        }}
      >
        {t('action.addStep')}
      </button>
    </div>
  )
}
