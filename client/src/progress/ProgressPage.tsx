/**
 * `/b/:boardId/progress`: the board's action plan as it goes, outside the canvas. The same link
 * and key as the board, the same connection and model, no tldraw: a page light enough for a
 * phone (App.tsx loads it as a chunk of its own).
 */
import { canEdit } from '@common-ground/shared/board'
import { useCallback, useEffect, useState } from 'react'
import { BoardLinkMessage, useBoardLink } from '../board/boardLink.tsx'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { createIdentity, type Identity, loadIdentity, saveIdentity } from '../identity/identity.ts'
import { JoinDialog } from '../identity/JoinDialog.tsx'
import { BoardModelContext } from '../session/BoardModelContext.tsx'
import { useBoardSession } from '../session/useBoardSession.ts'
import { ProgressView } from './ProgressView.tsx'
import './progress.css'

export function ProgressPage({ boardId }: { boardId: string }) {
  const link = useBoardLink(boardId)
  const [identity, setIdentity] = useState<Identity | null>(loadIdentity)
  const [unnamed] = useState(() => createIdentity(''))
  const [renaming, setRenaming] = useState(false)
  const requestRename = useCallback(() => setRenaming(true), [])

  if (link.kind !== 'ready') return <BoardLinkMessage link={link} />

  const saveName = (name: string) => {
    const next = { ...(identity ?? unnamed), name }
    saveIdentity(next)
    setIdentity(next)
    setRenaming(false)
  }
  // An update carries its writer's name: whoever may post says who they are first. A view link
  // only reads, and is asked nothing.
  const asking = !identity && canEdit(link.role)
  return (
    <>
      <div inert={asking}>
        <ProgressSession
          boardId={boardId}
          title={link.board.title}
          token={link.token}
          role={link.role}
          identity={identity ?? unnamed}
          requestRename={requestRename}
        />
      </div>
      {asking && <JoinDialog boardTitle={link.board.title} onSubmit={saveName} />}
      {identity && renaming && (
        <JoinDialog
          boardTitle={link.board.title}
          initialName={identity.name}
          onSubmit={saveName}
          onCancel={() => setRenaming(false)}
        />
      )}
    </>
  )
}

function ProgressSession(props: {
  boardId: string
  title: string
  token: string | null
  role: Parameters<typeof useBoardSession>[0]['role']
  identity: Identity
  requestRename(): void
}) {
  const { t, locale } = useI18n()
  const model = useBoardSession({ ...props, locale })
  useEffect(() => {
    document.title = `${t('progress.documentTitle', { title: props.title })} · Common Ground`
  }, [t, props.title])
  if (!model) {
    return (
      <main className="cg-page cg-loading" aria-busy="true">
        <p role="status">{t('progress.loadingPlan')}</p>
      </main>
    )
  }
  return (
    <BoardModelContext.Provider value={model}>
      <ProgressView requestRename={props.requestRename} />
    </BoardModelContext.Provider>
  )
}
