import { canFacilitate } from '@common-ground/shared/board'
import { useState } from 'react'
import { useValue } from 'tldraw'
import { linkFor } from '../access/boardKeys.ts'
import { copyText } from '../access/copyText.ts'
import { ShareDialog } from '../access/ShareDialog.tsx'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { LanguageSelect } from '../i18n/LanguageSelect.tsx'
import { YouButton } from '../identity/YouButton.tsx'
import { PLAN_PANEL_ID } from '../plan/PlanPanel.tsx'
import { progressPath } from '../progress/progressPath.ts'
import { PeopleToggle } from '../room/PeopleToggle.tsx'
import { RoomStrip } from '../room/RoomStrip.tsx'
import { useBoardAccess, useBoardModel } from '../session/BoardModelContext.tsx'
import { ConnectionBadge } from '../session/ConnectionBadge.tsx'
import { SORT_PANEL_ID } from '../themes/SortPanel.tsx'
import { VOTE_PANEL_ID } from '../vote/VotePanel.tsx'
import { AddPanel } from './AddPanel.tsx'
import { useBoardView } from './BoardViewContext.tsx'
import { PanelToggle } from './PanelToggle.tsx'

/**
 * The board's one bar, across the top of the page above the canvas: connection, the side
 * panels, running the room, adding cards, sharing, my name and language. Its groups wrap onto
 * more rows as the screen narrows (on a phone the items flow one by one).
 */
export function BoardBar() {
  const { t } = useI18n()
  const board = useBoardModel()
  const { connection } = board
  const view = useBoardView()
  const { role, closed, readOnly } = useBoardAccess()
  const identity = useValue('identity', () => board.identity.get(), [board])
  const status = useValue('status', () => connection.status.get(), [connection])
  const peers = useValue('peers', () => connection.peerCount.get(), [connection])
  // Board changes and private notes made while not live: neither has reached the server yet.
  const waiting = useValue(
    'waiting',
    () =>
      connection.waitingCount.get() +
      (connection.status.get() === 'live' ? 0 : board.privateNotes.waiting.get()),
    [connection, board],
  )
  const [copied, setCopied] = useState(false)
  const [sharing, setSharing] = useState(false)

  // Participants and observers pass on the link they came with (the same role, no more).
  async function copyLink() {
    const url = board.token ? linkFor(board.boardId, board.token) : window.location.href
    await copyText(url, t('toolbar.copyLink'))
    setCopied(true)
    setTimeout(() => setCopied(false), 2000)
  }

  return (
    <nav className="cg-bar" aria-label={t('toolbar.label')}>
      <div className="cg-bar-group cg-bar-status">
        <ConnectionBadge status={status} connection={connection}>
          {waiting > 0 && (
            <span className="cg-waiting" data-testid="waiting-count">
              {t('status.waiting', { count: waiting })}
            </span>
          )}
        </ConnectionBadge>
        {status !== 'live' && status !== 'connecting' && (
          <button type="button" className="cg-button" onClick={() => connection.reconnectNow()}>
            {t('status.reconnectNow')}
          </button>
        )}
        <span className="cg-peers" data-testid="peer-count">
          {t('status.peers', { count: peers })}
        </span>
        {readOnly && (
          <span className="cg-role-badge" data-testid="read-only">
            {t(closed && role !== 'observer' ? 'role.closed' : 'role.observer')}
          </span>
        )}
      </div>
      <div className="cg-bar-group cg-bar-panels">
        <PanelToggle panel="plan" controls={PLAN_PANEL_ID}>
          {t(view.panel === 'plan' ? 'plan.hide' : 'plan.show')}
        </PanelToggle>
        {/* One short label whether open or not (the bar must fit beside a panel in Spanish);
            aria-expanded and the pressed look say which. */}
        <PanelToggle panel="vote" controls={VOTE_PANEL_ID} className="cg-button cg-vote-toggle">
          {t('vote.show')}
        </PanelToggle>
        <PanelToggle panel="sort" controls={SORT_PANEL_ID}>
          {t('sort.show')}
        </PanelToggle>
        <PeopleToggle />
        {/* The action plan as it goes, on a page of its own (light enough for a phone). */}
        <a className="cg-button cg-progress-link" href={progressPath(board.boardId)}>
          {t('progress.open')}
        </a>
      </div>
      <RoomStrip />
      <AddPanel />
      <div className="cg-bar-group cg-bar-me">
        {canFacilitate(role) ? (
          <button
            type="button"
            className="cg-button"
            aria-haspopup="dialog"
            onClick={() => setSharing(true)}
          >
            {t('share.open')}
          </button>
        ) : (
          <button type="button" className="cg-button" onClick={copyLink}>
            {copied ? t('toolbar.linkCopied') : t('toolbar.copyLink')}
          </button>
        )}
        {sharing && <ShareDialog onClose={() => setSharing(false)} />}
        <YouButton name={identity.name} onRename={view.requestRename} />
        <LanguageSelect />
      </div>
    </nav>
  )
}
