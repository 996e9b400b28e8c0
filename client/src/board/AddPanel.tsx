import type { MessageKey } from '@common-ground/shared/i18n'
import { INTERSECTION_CARD, ORGANIZATION_CARD, type StageId } from '@common-ground/shared/plan'
import { type Editor, useEditor } from 'tldraw'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardAccess, useBoardModel } from '../session/BoardModelContext.tsx'
import { addCardInView } from '../shapes/index.ts'
import { addNoteInView } from './noteActions.ts'

const ADDERS: ReadonlyArray<{
  label: MessageKey
  short: MessageKey
  add(editor: Editor, groupStage: StageId | null): void
}> = [
  { label: 'toolbar.addNote', short: 'toolbar.addNoteShort', add: addNoteInView },
  {
    label: 'card.org.add',
    short: 'toolbar.addOrganizationShort',
    add: (editor, stage) => addCardInView(editor, ORGANIZATION_CARD, stage),
  },
  {
    label: 'card.intersection.add',
    short: 'toolbar.addIntersectionShort',
    add: (editor, stage) => addCardInView(editor, INTERSECTION_CARD, stage),
  },
]

/**
 * A group of the board's bar: add the retreat's building blocks without drawing them. Short
 * visible labels keep it to one row on a phone; each accessible name contains its label.
 */
export function AddPanel() {
  const { t } = useI18n()
  const editor = useEditor()
  const board = useBoardModel()
  const { readOnly } = useBoardAccess()
  if (readOnly) return null
  return (
    <fieldset className="cg-add-panel">
      <legend className="cg-visually-hidden">{t('toolbar.add')}</legend>
      {ADDERS.map(({ label, short, add }) => (
        <button
          key={label}
          type="button"
          className="cg-button cg-button-add"
          aria-label={t(label)}
          title={t(label)}
          onClick={() => add(editor, board.facilitation.currentStage.get())}
        >
          <span aria-hidden="true">+ {t(short)}</span>
        </button>
      ))}
    </fieldset>
  )
}
