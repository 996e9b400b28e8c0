/**
 * Tells everyone, beside the canvas, that a private brainstorm is on (and how many notes by
 * others are hidden from them), and says so again when the notes are revealed.
 */
import { WHOLE_BOARD } from '@common-ground/shared/facilitation'
import { useValue } from 'tldraw'
import { useBoardView } from '../board/BoardViewContext.tsx'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardModel } from '../session/BoardModelContext.tsx'
import { useStageName } from './PeoplePanel.tsx'
import { hiddenNoteCount } from './roomCanvas.ts'

export function BrainstormNotice() {
  const { t } = useI18n()
  const { editor } = useBoardView()
  const { facilitation: state } = useBoardModel()
  const stageName = useStageName()
  const brainstorm = useValue('brainstorm', () => state.brainstorm.get(), [state])
  // Counting walks the page's shapes: only while a private round is on.
  const hidden = useValue(
    'hidden notes',
    () => (editor && state.brainstorm.get()?.hidden ? hiddenNoteCount(editor) : 0),
    [editor, state],
  )
  return (
    <div className="cg-brainstorm-notice" role="status" data-testid="brainstorm-notice">
      {brainstorm?.hidden ? (
        <p>
          {t('brainstorm.notice', {
            stage:
              brainstorm.stage === WHOLE_BOARD
                ? t('brainstorm.wholeBoard')
                : stageName(brainstorm.stage),
          })}{' '}
          {hidden > 0 && t('brainstorm.hiddenCount', { count: hidden })}
        </p>
      ) : (
        brainstorm && <p className="cg-visually-hidden">{t('brainstorm.revealed')}</p>
      )}
    </div>
  )
}
