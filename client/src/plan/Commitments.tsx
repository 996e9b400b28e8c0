import {
  type ActionPlanItem,
  COMMITMENT_CELLS,
  type CommitmentCell,
  MAX_TEXT_LENGTH,
  type MessageKey,
  type Organization,
  setCommitment,
} from '@common-ground/shared'
import { useState } from 'react'
import type * as Y from 'yjs'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { CommitText } from './CommitText.tsx'

const CELL_KEYS = {
  takesOn: 'action.takesOn',
  fromPartners: 'action.fromPartners',
  fromParent: 'action.fromParent',
} as const satisfies Record<CommitmentCell, MessageKey>

/**
 * What each organization on the board takes on for one issue, and what it needs from the
 * partners and from its parent organization: one group of three fields per organization.
 */
export function Commitments(props: {
  doc: Y.Doc
  item: ActionPlanItem
  organizations: readonly Organization[]
  editable: boolean
}) {
  const { t } = useI18n()
  const { doc, item } = props
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
                label={t(CELL_KEYS[cell])}
                accessibleName={t('action.cellLabel', {
                  organization: name,
                  cell: t(CELL_KEYS[cell]),
                })}
                value={written?.[cell] ?? ''}
                multiline
                maxLength={MAX_TEXT_LENGTH}
                disabled={!props.editable}
                onCommit={(text) => setCommitment(doc, item.issue, org.id, cell, text)}
              />
            ))}
          </fieldset>
        )
      })}
    </details>
  )
}
