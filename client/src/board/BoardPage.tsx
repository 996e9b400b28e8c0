// tldraw's styles come with the board (this module is loaded on its own, see App.tsx), first,
// so that ours after them win where both style one thing.
import 'tldraw/tldraw.css'
import './tldrawOverrides.css'
import { useCallback, useState } from 'react'
import { createIdentity, type Identity, loadIdentity, saveIdentity } from '../identity/identity.ts'
import { JoinDialog } from '../identity/JoinDialog.tsx'
import { BoardCanvas } from './BoardCanvas.tsx'
import { BoardLinkMessage, useBoardLink } from './boardLink.tsx'

export function BoardPage({ boardId }: { boardId: string }) {
  const phase = useBoardLink(boardId)
  const [identity, setIdentity] = useState<Identity | null>(loadIdentity)
  // Someone without a name yet (a first visit by a link) sees the board behind the join dialog,
  // as this identity with no name, which nothing publishes; naming keeps its id and colour.
  const [unnamed] = useState(() => createIdentity(''))
  const [renaming, setRenaming] = useState(false)
  const requestRename = useCallback(() => setRenaming(true), [])

  if (phase.kind !== 'ready') return <BoardLinkMessage link={phase} />

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
