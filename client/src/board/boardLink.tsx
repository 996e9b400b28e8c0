/**
 * Opening a board by its address, before anything is drawn: the key (from the link or this
 * browser), the server's answer (title, role, links) or, offline, what this browser knew. The
 * board page and the Progress view both start here; neither needs tldraw for it.
 */
import { type BoardRole, isBoardId } from '@common-ground/shared/board'
import type { MessageKey } from '@common-ground/shared/i18n'
import { useEffect, useState } from 'react'
import {
  loadBoardKey,
  saveBoardKey,
  takeKeyFromAddress,
  updateBoardKey,
} from '../access/boardKeys.ts'
import { type BoardSummary, getBoard } from '../api.ts'
import { loadRecentBoards, rememberBoard } from '../home/recentBoards.ts'
import { useI18n } from '../i18n/I18nProvider.tsx'

export type BoardLink =
  | { kind: 'checking' }
  | { kind: 'error'; message: MessageKey; detail?: string }
  | { kind: 'ready'; board: BoardSummary; token: string | null; role: BoardRole }

/** Where opening `boardId` stands: checking, refused (and why), or ready with its role. */
export function useBoardLink(boardId: string): BoardLink {
  const [link, setLink] = useState<BoardLink>(() =>
    isBoardId(boardId) ? { kind: 'checking' } : { kind: 'error', message: 'board.invalidId' },
  )

  useEffect(() => {
    if (!isBoardId(boardId)) return
    let cancelled = false
    const token = takeKeyFromAddress(boardId) ?? loadBoardKey(boardId)?.token ?? null
    getBoard(boardId, token).then((result) => {
      if (cancelled) return
      if (result.ok) {
        const { role, links } = result.value
        rememberBoard(result.value)
        if (token) {
          const held = loadBoardKey(boardId)
          saveBoardKey(boardId, {
            token,
            role,
            ...(links ? { links } : held?.links ? { links: held.links } : {}),
          })
        }
        document.title = `${result.value.title} · Common Ground`
        setLink({ kind: 'ready', board: result.value, token, role })
      } else if (result.kind === 'not-found') {
        setLink({ kind: 'error', message: 'board.notFound' })
      } else if (result.kind === 'no-key') {
        setLink({ kind: 'error', message: 'board.needsKey' })
      } else if (result.kind === 'bad-key') {
        updateBoardKey(boardId, { role: null })
        setLink({ kind: 'error', message: 'board.badKey' })
      } else if (result.kind === 'network') {
        // The server is out of reach: a board opened here before opens from this browser's copy.
        const known = loadRecentBoards().find((entry) => entry.id === boardId)
        if (known) {
          setLink({
            kind: 'ready',
            board: { id: boardId, title: known.title, template: 'blank', createdAt: 0 },
            token,
            // Offline, the role last confirmed here; the server checks it again on reconnect.
            role: loadBoardKey(boardId)?.role ?? (token ? 'observer' : 'facilitator'),
          })
        } else {
          setLink({ kind: 'error', message: 'error.network' })
        }
      } else if (result.kind === 'server') {
        setLink({ kind: 'error', message: 'error.server', detail: String(result.status) })
      }
    })
    return () => {
      cancelled = true
    }
  }, [boardId])

  return link
}

/** The page shown while a board link is checked, or when it cannot open. */
export function BoardLinkMessage({ link }: { link: Exclude<BoardLink, { kind: 'ready' }> }) {
  const { t } = useI18n()
  if (link.kind === 'error') {
    return (
      <main className="cg-page">
        <p className="cg-brand">{t('app.name')}</p>
        <h1 role="alert">{t(link.message, { status: link.detail ?? '' })}</h1>
        <p>
          <a href="/">{t('board.backHome')}</a>
        </p>
      </main>
    )
  }
  return (
    <main className="cg-page cg-loading" aria-busy="true">
      <p role="status">{t('board.loading')}</p>
    </main>
  )
}
