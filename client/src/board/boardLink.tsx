/**
 * Opening a board by its address, before anything is drawn: the key (from the link or this
 * browser), the server's answer (title, role, links) or, offline, what this browser knew. The
 * board page and the Progress view both start here; neither needs tldraw for it.
 */
import { isBoardId } from '@common-ground/shared/board'
import { useEffect, useState } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { checkedEarly, takeEarlyCheck } from './boardOpening.ts'
import { type BoardLink, checkBoardLink } from './linkCheck.ts'

export type { BoardLink } from './linkCheck.ts'

/** Where opening `boardId` stands: checking, refused (and why), or ready with its role. */
export function useBoardLink(boardId: string): BoardLink {
  const [link, setLink] = useState<BoardLink>(() =>
    isBoardId(boardId)
      ? (checkedEarly(boardId) ?? { kind: 'checking' })
      : { kind: 'error', message: 'board.invalidId' },
  )

  useEffect(() => {
    if (!isBoardId(boardId)) return
    let cancelled = false
    // The check the page's entry started while this page's code loaded (boardOpening.ts), if any.
    ;(takeEarlyCheck(boardId) ?? checkBoardLink(boardId)).then((result) => {
      if (!cancelled) setLink(result)
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
