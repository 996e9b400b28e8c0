/**
 * Tells everyone, beside the canvas, that a private brainstorm is on and how many private notes
 * it holds so far (the server's count: nobody sees the notes), says so again when they are
 * revealed, and says when the server would not keep one of my notes.
 */
import { WHOLE_BOARD } from '@common-ground/shared/facilitation'
import { useValue } from 'tldraw'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardModel } from '../session/BoardModelContext.tsx'
import { useStageName } from './PeoplePanel.tsx'

export function BrainstormNotice() {
  const { t } = useI18n()
  const { facilitation: state, privateCount, privateNotes } = useBoardModel()
  const stageName = useStageName()
  const brainstorm = useValue('brainstorm', () => state.brainstorm.get(), [state])
  const count = useValue('private count', () => privateCount.get(), [privateCount])
  const refused = useValue('private refusal', () => privateNotes.refused.get(), [privateNotes])
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
          {count &&
            count.notes > 0 &&
            t('brainstorm.privateCount', {
              count: count.notes,
              people: t('brainstorm.people', { count: count.people }),
            })}
        </p>
      ) : (
        brainstorm && <p className="cg-visually-hidden">{t('brainstorm.revealed')}</p>
      )}
      {refused && <p key={refused.serial}>{t(`brainstorm.refused.${refused.reason}`)}</p>}
    </div>
  )
}
