/**
 * The agenda: the board's stages in order, the current one marked. Anyone can jump to a stage
 * (the camera shows its frame); facilitators set the current stage (previous, next, or any),
 * and can bring everyone to what they are looking at.
 */
import {
  canFacilitate,
  FACILITATION,
  GATHER,
  nextGather,
  readGather,
  readStage,
  STAGE,
  type StageId,
  stepStage,
} from '@common-ground/shared'
import { useEffect, useRef, useState } from 'react'
import { useEditor, useValue } from 'tldraw'
import { useBoardSession } from '../board/BoardSessionContext.tsx'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { Disclosure } from './Disclosure.tsx'
import { applyGather, currentView, goToStage, stagesOnBoard } from './stages.ts'
import { useFacilitationValue, writeFacilitation } from './useFacilitation.ts'

export function AgendaControl() {
  const { t } = useI18n()
  const editor = useEditor()
  const session = useBoardSession()
  const doc = session.connection.doc
  const facilitator = canFacilitate(session.role) && !session.readOnly
  const stages = useValue('agenda stages', () => stagesOnBoard(editor), [editor])
  const current = useFacilitationValue(doc, STAGE, readStage)
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
    writeFacilitation(doc, STAGE, stage)
    goToStage(editor, stage)
  }
  const gather = () => {
    const { bounds, pageId } = currentView(editor)
    writeFacilitation(
      doc,
      GATHER,
      nextGather(readGather(doc.getMap(FACILITATION).get(GATHER)), bounds, pageId),
    )
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
  const { connection } = useBoardSession()
  useEffect(() => {
    const map = connection.doc.getMap(FACILITATION)
    let last = readGather(map.get(GATHER))?.serial ?? 0
    const onChange = (event: { keysChanged: Set<string>; transaction: { local: boolean } }) => {
      if (!event.keysChanged.has(GATHER)) return
      const gather = readGather(map.get(GATHER))
      if (!gather || gather.serial <= last) return
      last = gather.serial
      if (event.transaction.local) return
      applyGather(editor, gather)
      announce(t('room.gathered'))
    }
    map.observe(onChange)
    return () => map.unobserve(onChange)
  }, [connection, editor, announce, t])
}
