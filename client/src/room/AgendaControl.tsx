/**
 * The agenda: the board's stages in order, the current one marked. Anyone can jump to a stage
 * (the camera shows its frame); facilitators set the current stage (previous, next, or any),
 * and can bring everyone to what they are looking at.
 */
import { stepStage } from '@common-ground/shared/facilitation'
import type { StageId } from '@common-ground/shared/plan'
import { useEffect, useRef, useState } from 'react'
import { useEditor, useValue } from 'tldraw'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardAccess, useBoardModel } from '../session/BoardModelContext.tsx'
import { Disclosure } from './Disclosure.tsx'
import { applyGather, currentView, goToStage, stagesOnBoard } from './stages.ts'

export function AgendaControl() {
  const { t } = useI18n()
  const editor = useEditor()
  const board = useBoardModel()
  const { facilitator } = useBoardAccess()
  const stages = useValue('agenda stages', () => stagesOnBoard(editor), [editor])
  const current = useValue('current stage', () => board.facilitation.currentStage.get(), [board])
  const title = (stage: StageId) => t(`stage.${stage}.title`)
  const [announcement, setAnnouncement] = useState('')

  // A new stage is announced politely (the first reading, on opening the board, is not).
  const seen = useRef<StageId | null | undefined>(undefined)
  useEffect(() => {
    if (seen.current !== undefined && current !== null && current !== seen.current) {
      setAnnouncement(t('room.stageAnnounce', { stage: t(`stage.${current}.title`) }))
    }
    seen.current = current
  }, [current, t])

  useGather(setAnnouncement)

  const move = (stage: StageId | null) => {
    if (!stage) return
    board.commands.setStage(stage)
    goToStage(editor, stage)
  }
  const gather = () => {
    const { bounds, pageId } = currentView(editor)
    board.commands.gatherEveryone(bounds, pageId)
    setAnnouncement(t('room.gatherSent'))
  }

  const live = (
    <span className="cg-visually-hidden" aria-live="polite" data-testid="agenda-announcement">
      {announcement}
    </span>
  )
  if (stages.length === 0 && !facilitator) return live
  return (
    <>
      <Disclosure
        className="cg-agenda"
        testId="agenda"
        label={
          current ? (
            <>
              <span className="cg-agenda-caption">{t('room.agenda')}:</span>{' '}
              <span data-testid="current-stage">{title(current)}</span>
            </>
          ) : (
            t('room.agenda')
          )
        }
      >
        {(close) => (
          <>
            {stages.length === 0 ? (
              <p className="cg-room-note">{t('room.noStages')}</p>
            ) : (
              <ol className="cg-agenda-list">
                {stages.map((stage) => (
                  <li
                    key={stage}
                    className="cg-agenda-stage"
                    aria-current={stage === current ? 'step' : undefined}
                  >
                    <button
                      type="button"
                      className="cg-agenda-go"
                      aria-label={t('room.goTo', { stage: title(stage) })}
                      onClick={() => {
                        goToStage(editor, stage)
                        close()
                      }}
                    >
                      {title(stage)}
                    </button>
                    {stage === current && (
                      <span className="cg-agenda-now">{t('room.stageNow')}</span>
                    )}
                    {facilitator && stage !== current && (
                      <button
                        type="button"
                        className="cg-button cg-agenda-set"
                        aria-label={t('room.setStageLong', { stage: title(stage) })}
                        onClick={() => move(stage)}
                      >
                        {t('room.setStage')}
                      </button>
                    )}
                  </li>
                ))}
              </ol>
            )}
            {facilitator && (
              <div className="cg-room-row">
                {stages.length > 0 && (
                  <>
                    <button
                      type="button"
                      className="cg-button"
                      disabled={stepStage(stages, current, -1) === null}
                      onClick={() => move(stepStage(stages, current, -1))}
                    >
                      {t('room.previousStage')}
                    </button>
                    <button
                      type="button"
                      className="cg-button"
                      disabled={stepStage(stages, current, 1) === null}
                      onClick={() => move(stepStage(stages, current, 1))}
                    >
                      {t('room.nextStage')}
                    </button>
                  </>
                )}
                <button type="button" className="cg-button" onClick={gather}>
                  {t('room.gather')}
                </button>
              </div>
            )}
          </>
        )}
      </Disclosure>
      {live}
    </>
  )
}

/** Moves this camera when a facilitator brings everyone to their view (a gather not from here). */
function useGather(announce: (text: string) => void) {
  const { t } = useI18n()
  const editor = useEditor()
  const board = useBoardModel()
  const latest = useValue('gather', () => board.facilitation.gather.get(), [board])
  // One already seen when this control mounts (the bar re-laid out) is not applied again.
  const seen = useRef(latest?.gather.serial ?? 0)
  useEffect(() => {
    if (!latest || latest.fromHere || latest.gather.serial <= seen.current) return
    seen.current = latest.gather.serial
    applyGather(editor, latest.gather)
    announce(t('room.gathered'))
  }, [latest, editor, announce, t])
}
