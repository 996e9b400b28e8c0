import { MAX_LINE_LENGTH, MAX_TEXT_LENGTH } from '@common-ground/shared/board'
import {
  type ActionStep,
  MAX_UPDATES_PER_STEP,
  type Organization,
  STEP_STATUSES,
  type StepField,
  type StepStatus,
  stepKey,
} from '@common-ground/shared/plan'
import type { ReactNode } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardModel } from '../session/BoardModelContext.tsx'
import { serverNow } from '../sync/serverClock.ts'
import { CommitSelect } from './CommitSelect.tsx'
import { CommitText } from './CommitText.tsx'

/**
 * One step as a table row: each field is its own control writing its own plan key, so two
 * people changing different fields of this step never overwrite each other.
 */
export function StepRow(props: {
  issue: string
  step: ActionStep
  /** 1-based, as people count. */
  number: number
  last: boolean
  organizations: readonly Organization[]
  editable: boolean
  onMove(delta: -1 | 1): void
  onRemove(): void
}) {
  const { t } = useI18n()
  const { issue, step, number, editable } = props
  const board = useBoardModel()
  const { commands, doc } = board
  const write = <F extends StepField>(field: F, value: ActionStep[F]) =>
    commands.setStepField(issue, step.id, field, value)
  /**
   * A status change is kept in the step's history (who, when) when it can be stamped with the
   * server's time now; offline, or with the history full, the status alone changes.
   */
  const changeStatus = (status: StepStatus) => {
    const by = board.identity.get().name.trim()
    if (
      by &&
      board.connection.status.get() === 'live' &&
      step.history.length < MAX_UPDATES_PER_STEP
    ) {
      try {
        commands.postStepUpdate(issue, step.id, { status, note: '', by, at: serverNow() })
        return
      } catch {
        // Not postable (the step went meanwhile): the plain write says why, if anything.
      }
    }
    write('status', status)
  }
  /** What every field of the row shares: its label, with the step's number for screen readers. */
  const labelled = (field: LabelledField) => ({
    className: 'cg-step-field',
    label: t(`action.${field}`),
    accessibleName: t('action.fieldLabel', { field: t(`action.${field}`), number }),
    disabled: !editable,
  })
  /** A text field writing its own plan key as typed, merged with others' typing there. */
  const textField = (field: 'what' | 'person') => ({
    ...labelled(field),
    value: step[field],
    entry: { doc, key: stepKey(issue, step.id, field) },
    onCommit: (text: string) => write(field, text),
  })
  const organizationOptions = [
    { value: '', label: t('action.noOrganization') },
    ...props.organizations.map((org) => ({
      value: org.id,
      label: org.name || t('card.org.untitled'),
    })),
  ]
  // An organization card removed since keeps its place in the list (unnamed) until changed.
  if (step.organization && !props.organizations.some((org) => org.id === step.organization)) {
    organizationOptions.push({ value: step.organization, label: t('card.org.untitled') })
  }

  return (
    // Rows are laid out as cards in the narrow panel; explicit roles keep them a table for
    // screen readers (a display change can drop a table's semantics).
    // biome-ignore lint/a11y/noRedundantRoles: see above
    <tr role="row" className="cg-step" data-step-id={step.id}>
      {/* biome-ignore lint/a11y/noRedundantRoles: see above */}
      <th role="rowheader" scope="row" className="cg-step-number">
        {number}
      </th>
      <StepCell field="what">
        <CommitText {...textField('what')} multiline maxLength={MAX_TEXT_LENGTH} />
      </StepCell>
      <StepCell field="person">
        <CommitText {...textField('person')} maxLength={MAX_LINE_LENGTH} />
      </StepCell>
      <StepCell field="organization">
        <CommitSelect
          {...labelled('organization')}
          value={step.organization ?? ''}
          options={organizationOptions}
          onCommit={(organization) => write('organization', organization || null)}
        />
      </StepCell>
      <StepCell field="due">
        <CommitText
          {...labelled('due')}
          type="date"
          value={step.due ?? ''}
          onCommit={(due) => write('due', due || null)}
        />
      </StepCell>
      <StepCell field="status">
        <CommitSelect
          {...labelled('status')}
          value={step.status}
          options={STEP_STATUSES.map((status) => ({
            value: status,
            label: t(`action.status.${status}`),
          }))}
          onCommit={(status) => changeStatus(status as StepStatus)}
        />
      </StepCell>
      <StepCell field="actions">
        <MoveButton
          direction="up"
          number={number}
          disabled={!editable || number === 1}
          onMove={props.onMove}
        />
        <MoveButton
          direction="down"
          number={number}
          disabled={!editable || props.last}
          onMove={props.onMove}
        />
        <button
          type="button"
          className="cg-link-button"
          disabled={!editable}
          onClick={props.onRemove}
        >
          {t('action.removeStep', { number })}
        </button>
      </StepCell>
    </tr>
  )
}

type LabelledField = 'what' | 'person' | 'organization' | 'due' | 'status'

/** One cell of the row (`cg-step-<field>` lays it out in the panel). */
function StepCell(props: { field: LabelledField | 'actions'; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noRedundantRoles: see StepRow
    <td role="cell" className={`cg-step-${props.field}`}>
      {props.children}
    </td>
  )
}

/** Moves the step one place up or down the table. */
function MoveButton(props: {
  direction: 'up' | 'down'
  number: number
  disabled: boolean
  onMove(delta: -1 | 1): void
}) {
  const { t } = useI18n()
  const up = props.direction === 'up'
  const label = t(up ? 'action.moveUp' : 'action.moveDown', { number: props.number })
  return (
    <button
      type="button"
      className="cg-icon-button"
      data-move={props.direction}
      aria-label={label}
      title={label}
      disabled={props.disabled}
      onClick={() => props.onMove(up ? -1 : 1)}
    >
      <span aria-hidden="true">{up ? '↑' : '↓'}</span>
    </button>
  )
}
