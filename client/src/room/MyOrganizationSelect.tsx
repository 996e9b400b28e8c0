import type { MessageKey } from '@common-ground/shared/i18n'
import type { Organization } from '@common-ground/shared/plan'
import { useValue } from '@tldraw/state-react'
import { useId } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardModel } from '../session/BoardModelContext.tsx'

/**
 * "Which organization are you with?": a choice kept on this device (observers may make it too),
 * shown to others through presence and used by "My steps".
 */
export function MyOrganizationSelect(props: {
  organizations: readonly Organization[]
  label: MessageKey
  /** What choosing none is called here. */
  none: MessageKey
}) {
  const { t } = useI18n()
  const board = useBoardModel()
  const selectId = useId()
  const chosen = useValue('my organization', () => board.organization.get(), [board])
  return (
    <div className="cg-plan-field">
      <label htmlFor={selectId}>{t(props.label)}</label>
      <select
        id={selectId}
        className="cg-select cg-plan-input"
        value={chosen ?? ''}
        onChange={(event) => board.setOrganization(event.target.value || null)}
      >
        <option value="">{t(props.none)}</option>
        {props.organizations.map((org) => (
          <option key={org.id} value={org.id}>
            {org.name || t('card.org.untitled')}
          </option>
        ))}
      </select>
    </div>
  )
}
