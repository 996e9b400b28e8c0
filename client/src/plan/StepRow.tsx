import { MAX_LINE_LENGTH, MAX_TEXT_LENGTH } from '@common-ground/shared/board'
import {
  type ActionStep,
  type Organization,
  STEP_STATUSES,
  type StepField,
  stepKey,
} from '@common-ground/shared/plan'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardModel } from '../session/BoardModelContext.tsx'
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
  const { commands, doc } = useBoardModel()
  const write = <F extends StepField>(field: F, value: ActionStep[F]) =>
    commands.setStepField(issue, step.id, field, value)
  const named = (field: string) => t('action.fieldLabel', { field, number })
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
      {/* biome-ignore lint/a11y/noRedundantRoles: see above */}
      <td role="cell" className="cg-step-what">
        <CommitText
          className="cg-step-field"
          label={t('action.what')}
          accessibleName={named(t('action.what'))}
          value={step.what}
          multiline
          maxLength={MAX_TEXT_LENGTH}
          disabled={!editable}
          entry={{ doc, key: stepKey(issue, step.id, 'what') }}
          onCommit={(what) => write('what', what)}
        />
      </td>
      {/* biome-ignore lint/a11y/noRedundantRoles: see above */}
      <td role="cell" className="cg-step-person">
        <CommitText
          className="cg-step-field"
          label={t('action.person')}
          accessibleName={named(t('action.person'))}
          value={step.person}
          maxLength={MAX_LINE_LENGTH}
          disabled={!editable}
          entry={{ doc, key: stepKey(issue, step.id, 'person') }}
          onCommit={(person) => write('person', person)}
        />
      </td>
      {/* biome-ignore lint/a11y/noRedundantRoles: see above */}
      <td role="cell" className="cg-step-organization">
        <CommitSelect
          className="cg-step-field"
          label={t('action.organization')}
          accessibleName={named(t('action.organization'))}
          value={step.organization ?? ''}
          options={organizationOptions}
          disabled={!editable}
          onCommit={(organization) => write('organization', organization || null)}
        />
      </td>
      {/* biome-ignore lint/a11y/noRedundantRoles: see above */}
      <td role="cell" className="cg-step-due">
        <CommitText
          className="cg-step-field"
          type="date"
          label={t('action.due')}
          accessibleName={named(t('action.due'))}
          value={step.due ?? ''}
          disabled={!editable}
          onCommit={(due) => write('due', due || null)}
        />
      </td>
      {/* biome-ignore lint/a11y/noRedundantRoles: see above */}
      <td role="cell" className="cg-step-status">
        <CommitSelect
          className="cg-step-field"
          label={t('action.status')}
          accessibleName={named(t('action.status'))}
          value={step.status}
          options={STEP_STATUSES.map((status) => ({
            value: status,
            label: t(`action.status.${status}`),
          }))}
          disabled={!editable}
          onCommit={(status) => write('status', status as ActionStep['status'])}
        />
      </td>
      {/* biome-ignore lint/a11y/noRedundantRoles: see above */}
      <td role="cell" className="cg-step-actions">
        <button
          type="button"
          className="cg-icon-button"
          data-move="up"
          aria-label={t('action.moveUp', { number })}
          title={t('action.moveUp', { number })}
          disabled={!editable || number === 1}
          onClick={() => props.onMove(-1)}
        >
          <span aria-hidden="true">↑</span>
        </button>
        <button
          type="button"
          className="cg-icon-button"
          data-move="down"
          aria-label={t('action.moveDown', { number })}
          title={t('action.moveDown', { number })}
          disabled={!editable || props.last}
          onClick={() => props.onMove(1)}
        >
          <span aria-hidden="true">↓</span>
        </button>
        <button
          type="button"
          className="cg-link-button"
          disabled={!editable}
          onClick={props.onRemove}
        >
          {t('action.removeStep', { number })}
        </button>
      </td>
    </tr>
  )
}
