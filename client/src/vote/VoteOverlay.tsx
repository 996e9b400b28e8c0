/**
 * Dots on the notes of the running vote, drawn in front of the canvas (tldraw's
 * `InFrontOfTheCanvas` slot) at each note's place on screen: − and + buttons and my dots while
 * the vote is open, everyone's count when the vote shows it (the server's turnout of a visible
 * vote, the outcome of a revealed one). The full stop adds a dot to the selected
 * note and the comma takes one away (neither is a tldraw shortcut).
 */
import { itemTextOf } from '@common-ground/shared/themes'
import { currentVote, dotsLeft } from '@common-ground/shared/vote'
import { useEffect } from 'react'
import { type Editor, type TLShapeId, useEditor, useValue } from 'tldraw'
import { InAppBarNotices } from '../board/AppBarNotices.tsx'
import { useI18n } from '../i18n/I18nProvider.tsx'
import {
  useBoardAccess,
  useBoardModel,
  useLive,
  useMyDots,
  useTurnout,
  useVotes,
} from '../session/BoardModelContext.tsx'
import { changeDot } from './changeDot.ts'
import { clock, useNow } from './countdown.ts'
import { MIN_CHIP_NOTE_WIDTH, showVoteItems } from './showVoteItems.ts'
import { showVoteNotice, voteNotice } from './voteNotice.ts'
import { voteView } from './voteView.ts'
import './vote.css'

/** How far (in page units) a chip reaches up onto its note: less than the note's 16 margin. */
const CHIP_ON_NOTE = 12

/** A note's text, or a theme's title when the vote runs over themes. */
function noteText(editor: Editor, itemId: string): string {
  return itemTextOf(editor.getShape(itemId as TLShapeId))
}

export function VoteOverlay() {
  const editor = useEditor()
  const board = useBoardModel()
  const { readOnly } = useBoardAccess()
  const { t } = useI18n()
  const state = useVotes()
  const session = currentVote(state)
  // My dots come from my ballot (the server keeps it), everyone's counts from what the server
  // lets everyone see: the turnout of a visible vote, the outcome of a revealed one.
  const mine = useMyDots(session)
  const turnout = useTurnout(session?.id)
  const counts = session ? voteView(state, session, turnout).counts : null
  const live = useLive()
  const now = useNow(session?.status === 'open' && session.endsAt !== null)
  const timeUp = session?.endsAt != null && now > session.endsAt
  // Observers (and everyone but facilitators on a closed board) see the dots, never the buttons.
  const open = session?.status === 'open' && !timeUp && !readOnly
  const itemIds = session?.itemIds ?? []

  const places = useValue('vote places', () => {
    const zoom = editor.getZoomLevel()
    const view = editor.getViewportPageBounds()
    return itemIds.flatMap((itemId) => {
      const shape = editor.getShape(itemId as TLShapeId)
      if (!shape) return []
      if (editor.getAncestorPageId(shape) !== editor.getCurrentPageId()) return []
      const bounds = editor.getShapePageBounds(shape)
      // Too small on screen to click: chips would cover each other (zoom in, or use the keys).
      if (!bounds || bounds.w * zoom < MIN_CHIP_NOTE_WIDTH) return []
      // Off screen: no buttons the keyboard would reach without anyone seeing them.
      if (!bounds.collides(view)) return []
      // Centred under the note, its top on the note's bottom margin (never on the text).
      const at = editor.pageToViewport({ x: bounds.midX, y: bounds.maxY - CHIP_ON_NOTE })
      return [{ itemId, x: at.x, y: at.y, width: bounds.w * zoom }]
    })
  }, [editor, itemIds.join('\n')])

  // The keyboard way to vote: select a note, then "." adds a dot and "," takes one away.
  useEffect(() => {
    if (session?.status !== 'open' || readOnly) return
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '.' && event.key !== ',') return
      if (event.ctrlKey || event.metaKey || event.altKey) return
      const target = event.target as HTMLElement | null
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return
      // Like tldraw's own shortcuts: only while the canvas has focus and nothing is being edited.
      if (!editor.getInstanceState().isFocused || editor.getEditingShapeId() !== null) return
      const selected = editor.getSelectedShapeIds().filter((id) => session.itemIds.includes(id))
      // Ours while a vote is open (tldraw's key handling reads "," oddly): capture and stop it.
      event.preventDefault()
      event.stopPropagation()
      if (selected.length !== 1) {
        showVoteNotice('vote.selectNote')
        return
      }
      changeDot(board, session, selected[0] as string, event.key === '.' ? 1 : -1)
    }
    document.addEventListener('keydown', onKey, true)
    return () => document.removeEventListener('keydown', onKey, true)
  }, [editor, board, session, readOnly])

  const notice = useValue('vote notice', () => voteNotice.get(), [])
  useEffect(() => {
    if (!notice) return
    const timer = setTimeout(() => voteNotice.set(null), 6000)
    return () => clearTimeout(timer)
  }, [notice])

  return (
    <div className="cg-vote-layer">
      {session &&
        places.map((place) => {
          const text = noteText(editor, place.itemId) || t('vote.emptyNote')
          const my = mine.get(place.itemId) ?? 0
          const count = counts?.get(place.itemId)
          return (
            <div
              key={place.itemId}
              className="cg-vote-chip"
              data-item={place.itemId}
              style={{ left: place.x, top: place.y, maxWidth: place.width }}
              onPointerDown={(event) => event.stopPropagation()}
            >
              {open && (
                <button
                  type="button"
                  className="cg-vote-dot-button"
                  aria-label={t('vote.removeDot', { text })}
                  disabled={my === 0}
                  onClick={() => changeDot(board, session, place.itemId, -1)}
                >
                  −
                </button>
              )}
              <span className="cg-vote-mine" data-testid="my-dots" data-count={my}>
                <span aria-hidden="true">{'●'.repeat(my)}</span>
                <span className="cg-visually-hidden">{t('vote.myDots', { count: my })}</span>
              </span>
              {count !== undefined && (
                <span className="cg-vote-count" data-testid="dot-count" data-count={count}>
                  {t('vote.count', { count })}
                </span>
              )}
              {open && (
                <button
                  type="button"
                  className="cg-vote-dot-button"
                  aria-label={t('vote.addDot', { text })}
                  onClick={() => changeDot(board, session, place.itemId, 1)}
                >
                  +
                </button>
              )}
            </div>
          )
        })}
      {/* What the vote needs at a glance, in the bar's notices row above the canvas. */}
      <InAppBarNotices>
        {session?.status === 'open' && (
          <div className="cg-vote-bar" data-testid="vote-bar">
            <strong>{session.title}</strong>
            <span aria-live="polite" data-testid="bar-dots-left">
              {t('vote.dotsLeft', {
                count: dotsLeft(session, { dots: Object.fromEntries(mine) }),
              })}
            </span>
            {places.length === 0 && (
              <button
                type="button"
                className="cg-button cg-vote-show-items"
                onClick={() => showVoteItems(editor, session.itemIds)}
              >
                {t('vote.showItems')}
              </button>
            )}
            {!live && !readOnly && (
              <span className="cg-vote-offline" data-testid="bar-vote-offline">
                {t('vote.offline')}
              </span>
            )}
            {session.endsAt !== null && (
              <span className="cg-vote-countdown" data-testid="bar-countdown">
                {timeUp
                  ? t('vote.timeUp')
                  : t('vote.timeLeft', { time: clock(session.endsAt - now) })}
              </span>
            )}
          </div>
        )}
        <div className="cg-vote-notice" role="alert" data-testid="vote-notice">
          {notice ? t(notice.key) : ''}
        </div>
      </InAppBarNotices>
    </div>
  )
}
