import { MAX_TEXT_LENGTH } from '@common-ground/shared/board'
import {
  type ActionPlanItem,
  COMMITMENT_CELLS,
  commitmentKey,
  type Organization,
} from '@common-ground/shared/plan'
import { useState } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardModel } from '../session/BoardModelContext.tsx'
import { CommitText } from './CommitText.tsx'

/**
 * What each organization on the board takes on for one issue, and what it needs from the
 * partners and from its parent organization: one group of three fields per organization.
 */
export function Commitments(props: {
  item: ActionPlanItem
  organizations: readonly Organization[]
  editable: boolean
}) {
  const { t } = useI18n()
  const { item } = props
  const { commands, doc } = useBoardModel()
  // Folded until someone writes here: with many partners, the steps stay in reach.
  const [open, setOpen] = useState(() => item.commitments.length > 0)
  if (props.organizations.length === 0) return null
  return (
    <details
      className="cg-commitments"
      open={open}
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary>{t('action.commitments')}</summary>
      {props.organizations.map((org) => {
        const written = item.commitments.find((row) => row.organization === org.id)
        const name = org.name || t('card.org.untitled')
        return (
          <fieldset key={org.id} className="cg-commitment">
            <legend>{name}</legend>
            {COMMITMENT_CELLS.map((cell) => (
              <CommitText
                key={cell}
                label={t(`action.${cell}`)}
                accessibleName={t('action.cellLabel', {
                  organization: name,
                  cell: t(`action.${cell}`),
                })}
                value={written?.[cell] ?? ''}
                multiline
                maxLength={MAX_TEXT_LENGTH}
                disabled={!props.editable}
                entry={{ doc, key: commitmentKey(item.issue, org.id, cell) }}
                onCommit={(text) => commands.setCommitment(item.issue, org.id, cell, text)}
              />
            ))}
          </fieldset>
        )
      })}
    </details>
  )
}
