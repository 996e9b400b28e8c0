import type { TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { openBoardDoc } from '../board/boardDoc.ts'
import { boardWith, note } from '../plan/fixtures.ts'
import { MERGED_META_KEY, mergeNotes } from '../themes/merge.ts'
import { BoardBallots } from './boardBallots.ts'
import { startVote } from './voteDoc.ts'

describe('BoardBallots.carryMerged', () => {
  it('carries dots on merged notes to the kept note, up to the cap, once', () => {
    const [a, b, c] = [note('a', 'Jobs'), note('b', 'Jobs for youth'), note('c', 'Housing')]
    const doc = boardWith([a, b, c])
    const session = startVote(doc, {
      id: 'v',
      title: 'V',
      itemIds: [a.id, b.id, c.id],
      now: 1,
      maxDotsPerItem: 2,
    })
    const ballots = new BoardBallots(doc)
    for (const itemId of [a.id, b.id, b.id, c.id])
      expect(ballots.cast('p1', { sessionId: session.id, itemId, delta: 1 }).ok).toBe(true)
    // Nothing merged yet: nothing moves.
    expect(ballots.carryMerged()).toEqual([])
    const { richText, parts } = mergeNotes(a, [b])
    doc.transact(() => {
      const records = openBoardDoc(doc).records
      records.set(a.id, {
        ...a,
        props: { ...(a.props as object), richText },
        meta: { [MERGED_META_KEY]: parts },
      } as unknown as TLShape)
      records.delete(b.id)
    })
    // 1 + 2 on a, capped at 2: one dot back to p1.
    expect(ballots.carryMerged()).toEqual([
      { sessionId: 'v', participantId: 'p1', ballot: { dots: { [a.id]: 2, [c.id]: 1 } } },
    ])
    expect(ballots.box.ballot('v', 'p1').dots).toEqual({ [a.id]: 2, [c.id]: 1 })
    expect(ballots.carryMerged()).toEqual([])
  })
})
