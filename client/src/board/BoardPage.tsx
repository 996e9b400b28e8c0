import { type BoardRole, isBoardId } from '@common-ground/shared/board'
import type { MessageKey } from '@common-ground/shared/i18n'
import { useCallback, useEffect, useState } from 'react'
import {
  loadBoardKey,
  saveBoardKey,
  takeKeyFromAddress,
  updateBoardKey,
} from '../access/boardKeys.ts'
import { type BoardSummary, getBoard } from '../api.ts'
import { loadRecentBoards, rememberBoard } from '../home/recentBoards.ts'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { createIdentity, type Identity, loadIdentity, saveIdentity } from '../identity/identity.ts'
import { JoinDialog } from '../identity/JoinDialog.tsx'
import { BoardCanvas } from './BoardCanvas.tsx'

type Phase =
  | { kind: 'checking' }
  | { kind: 'error'; message: MessageKey; detail?: string }
  | { kind: 'ready'; board: BoardSummary; token: string | null; role: BoardRole }

export function BoardPage({ boardId }: { boardId: string }) {
  const { t } = useI18n()
  const [phase, setPhase] = useState<Phase>(() =>
    isBoardId(boardId) ? { kind: 'checking' } : { kind: 'error', message: 'board.invalidId' },
  )
  const [identity, setIdentity] = useState<Identity | null>(loadIdentity)
  // Someone without a name yet (a first visit by a link) sees the board behind the join dialog,
  // as this identity with no name, which nothing publishes; naming keeps its id and colour.
  const [unnamed] = useState(() => createIdentity(''))
  const [renaming, setRenaming] = useState(false)
  const requestRename = useCallback(() => setRenaming(true), [])

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
        setPhase({ kind: 'ready', board: result.value, token, role })
      } else if (result.kind === 'not-found') {
        setPhase({ kind: 'error', message: 'board.notFound' })
      } else if (result.kind === 'no-key') {
        setPhase({ kind: 'error', message: 'board.needsKey' })
      } else if (result.kind === 'bad-key') {
        updateBoardKey(boardId, { role: null })
        setPhase({ kind: 'error', message: 'board.badKey' })
      } else if (result.kind === 'network') {
        // The server is out of reach: a board opened here before opens from this browser's copy.
        const known = loadRecentBoards().find((entry) => entry.id === boardId)
        if (known) {
          setPhase({
            kind: 'ready',
            board: { id: boardId, title: known.title, template: 'blank', createdAt: 0 },
            token,
            // Offline, the role last confirmed here; the server checks it again on reconnect.
            role: loadBoardKey(boardId)?.role ?? (token ? 'observer' : 'facilitator'),
          })
        } else {
          setPhase({ kind: 'error', message: 'error.network' })
        }
      } else if (result.kind === 'server') {
        setPhase({ kind: 'error', message: 'error.server', detail: String(result.status) })
      }
    })
    return () => {
      cancelled = true
    }
  }, [boardId])

  if (phase.kind === 'error') {
    return (
      <main className="cg-page">
        <p className="cg-brand">{t('app.name')}</p>
        <h1 role="alert">{t(phase.message, { status: phase.detail ?? '' })}</h1>
        <p>
          <a href="/">{t('board.backHome')}</a>
        </p>
      </main>
    )
  }
  if (phase.kind === 'checking') {
    return (
      <main className="cg-page cg-loading" aria-busy="true">
        <p role="status">{t('board.loading')}</p>
      </main>
    )
  }

  const saveName = (name: string) => {
    const next = { ...(identity ?? unnamed), name }
    saveIdentity(next)
    setIdentity(next)
    setRenaming(false)
  }

  return (
    <>
      {/* Until this person has a name, the board is only a backdrop to the join dialog: seen,
          but out of reach of the keyboard, the pointer and screen readers. */}
      <div inert={!identity}>
        <BoardCanvas
          boardId={boardId}
          title={phase.board.title}
          token={phase.token}
          role={phase.role}
          identity={identity ?? unnamed}
          present={identity !== null}
          requestRename={requestRename}
        />
      </div>
      {!identity && <JoinDialog boardTitle={phase.board.title} onSubmit={saveName} />}
      {identity && renaming && (
        <JoinDialog
          boardTitle={phase.board.title}
          initialName={identity.name}
          onSubmit={saveName}
          onCancel={() => setRenaming(false)}
        />
      )}
    </>
  )
}
