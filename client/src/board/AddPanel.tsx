import type { MessageKey } from '@common-ground/shared/i18n'
import { INTERSECTION_CARD, ORGANIZATION_CARD } from '@common-ground/shared/plan'
import { type Editor, useEditor } from 'tldraw'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardAccess } from '../session/BoardModelContext.tsx'
import { addCardInView } from '../shapes/index.ts'
import { addNoteInView } from './noteActions.ts'

const ADDERS: ReadonlyArray<{ label: MessageKey; short: MessageKey; add(editor: Editor): void }> = [
  { label: 'toolbar.addNote', short: 'toolbar.addNoteShort', add: addNoteInView },
  {
    label: 'card.org.add',
    short: 'toolbar.addOrganizationShort',
    add: (editor) => addCardInView(editor, ORGANIZATION_CARD),
  },
  {
    label: 'card.intersection.add',
    short: 'toolbar.addIntersectionShort',
    add: (editor) => addCardInView(editor, INTERSECTION_CARD),
  },
]

/**
 * A group of the board's bar: add the retreat's building blocks without drawing them. Short
 * visible labels keep it to one row on a phone; each accessible name contains its label.
 */
export function AddPanel() {
  const { t } = useI18n()
  const editor = useEditor()
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
          onClick={() => add(editor)}
        >
          <span aria-hidden="true">+ {t(short)}</span>
        </button>
      ))}
    </fieldset>
  )
}
