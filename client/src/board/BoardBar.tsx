import { CLOSE, canFacilitate } from '@common-ground/shared'
import { useState } from 'react'
import { useValue } from 'tldraw'
import { linkFor } from '../access/boardKeys.ts'
import { copyText } from '../access/copyText.ts'
import { ShareDialog } from '../access/ShareDialog.tsx'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { LanguageSelect } from '../i18n/LanguageSelect.tsx'
import { PLAN_PANEL_ID } from '../plan/PlanPanel.tsx'
import { PeopleToggle } from '../room/PeopleToggle.tsx'
import type { ConnectionStatus } from '../sync/BoardConnection.ts'
import { VOTE_PANEL_ID } from '../vote/VotePanel.tsx'
import { useBoardSession } from './BoardSessionContext.tsx'

const STATUS_KEYS = {
  connecting: 'status.connecting',
  live: 'status.connected',
  reconnecting: 'status.reconnecting',
  offline: 'status.offline',
  refused: 'status.refused',
} as const satisfies Record<ConnectionStatus, string>

/** The server's close code when a board reached its size limit (see server limits). */

/** Our controls in tldraw's top-right slot: connection, people, share, language, my name. */
export function BoardBar() {
  const { t } = useI18n()
  const session = useBoardSession()
  const status = useValue('status', () => session.connection.status.get(), [session])
  const peers = useValue('peers', () => session.connection.peerCount.get(), [session])
  const waiting = useValue('waiting', () => session.connection.waitingCount.get(), [session])
  const [copied, setCopied] = useState(false)
  const [sharing, setSharing] = useState(false)

  // Participants and observers pass on the link they came with (the same role, no more).
  async function copyLink() {
    const url = session.token ? linkFor(session.boardId, session.token) : window.location.href
    await copyText(url, t('toolbar.copyLink'))
    setCopied(true)
    setTimeout(() => setCopied(false), 2000)
  }

  return (
    <nav className="cg-bar" aria-label={t('toolbar.label')}>
      <span
        className={`cg-status cg-status-${status}`}
        role="status"
        aria-live="polite"
        data-status={status}
      >
        <span className="cg-status-dot" aria-hidden="true" />
        <span className="cg-visually-hidden">{t('status.label')}: </span>
        <span className="cg-status-text">
          {t(
            status === 'refused' && session.connection.refusalCode === CLOSE.boardTooLarge
              ? 'status.boardTooBig'
              : status === 'refused' && session.connection.refusalCode === CLOSE.boardNotFound
                ? 'status.boardNotFound'
                : STATUS_KEYS[status],
          )}
        </span>
        {waiting > 0 && (
          <span className="cg-waiting" data-testid="waiting-count">
            {t('status.waiting', { count: waiting })}
          </span>
        )}
      </span>
      {status !== 'live' && status !== 'connecting' && (
        <button
          type="button"
          className="cg-button"
          onClick={() => session.connection.reconnectNow()}
        >
          {t('status.reconnectNow')}
        </button>
      )}
      <span className="cg-peers" data-testid="peer-count">
        {t('status.peers', { count: peers })}
      </span>
      <button
        type="button"
        className="cg-button"
        aria-expanded={session.planOpen}
        aria-controls={PLAN_PANEL_ID}
        onClick={session.togglePlan}
      >
        {t(session.planOpen ? 'plan.hide' : 'plan.show')}
      </button>
      <button
        type="button"
        // One short label whether open or not (the bar must fit beside a panel in Spanish);
        // aria-expanded and the pressed look say which.
        className="cg-button cg-vote-toggle"
        aria-expanded={session.voteOpen}
        aria-controls={VOTE_PANEL_ID}
        onClick={session.toggleVote}
      >
        {t('vote.show')}
      </button>
      <PeopleToggle />
      {session.readOnly && (
        <span className="cg-role-badge" data-testid="read-only">
          {t(session.closed && session.role !== 'observer' ? 'role.closed' : 'role.observer')}
        </span>
      )}
      {canFacilitate(session.role) ? (
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
      <button
        type="button"
        className="cg-button"
        title={t('toolbar.rename')}
        onClick={session.requestRename}
      >
        {t('toolbar.you', { name: session.identity.name })}
      </button>
      <LanguageSelect />
    </nav>
  )
}
