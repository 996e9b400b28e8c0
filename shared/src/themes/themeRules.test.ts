import type { TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { participantIdFor } from '../board/access.ts'
import { openBoardDoc } from '../board/boardDoc.ts'
import { BoardRules, type BoardWrite, type Writer } from '../board/writeRules.ts'
import { boardWith, note, putRecords } from '../plan/fixtures.ts'
import { shapeRecord } from '../plan/shapeRecords.ts'
import { stageFrameId } from '../plan/template.ts'
import { MERGED_META_KEY, mergeNotes } from './merge.ts'
import { PARKED_FROM_META_KEY } from './parkingLot.ts'
import { THEME_META_KEY, themeBoxAround } from './theme.ts'

const writer: Writer = {
  role: 'participant',
  participantId: participantIdFor('ana-secret-ana-secret-ana', 'room-theme'),
  personId: null,
}
const rules = new BoardRules()

function themeFrame(id: string, name: string, meta: Record<string, unknown>): TLShape {
  const box = themeBoxAround([{ x: 40, y: 120, w: 200, h: 200 }])
  const frame = shapeRecord(
    id,
    'frame',
    { w: box.w, h: box.h, name, color: 'black' },
    {
      parentId: stageFrameId('issues'),
      x: box.x,
      y: box.y,
    },
  )
  return { ...frame, meta } as TLShape
}

function put(doc: Y.Doc, key: string, after: unknown): BoardWrite {
  return { root: 'records', key, before: openBoardDoc(doc).records.get(key), after }
}

const refusalOf = (doc: Y.Doc, writes: BoardWrite[]) => rules.reviewUpdate(writes, writer, doc)

describe('themes in the write review', () => {
  it('accepts a theme frame with a title, and refuses a malformed mark or title', () => {
    const doc = boardWith([])
    const ok = themeFrame('shape:t1', 'Jobs', { [THEME_META_KEY]: true })
    expect(refusalOf(doc, [put(doc, ok.id, ok)])).toBeNull()
    const untitled = themeFrame('shape:t2', '   ', { [THEME_META_KEY]: true })
    expect(refusalOf(doc, [put(doc, untitled.id, untitled)])).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/theme title/),
    })
    const long = themeFrame('shape:t3', 'x'.repeat(201), { [THEME_META_KEY]: true })
    expect(refusalOf(doc, [put(doc, long.id, long)])).toMatchObject({ code: 'invalid' })
    const odd = themeFrame('shape:t4', 'Jobs', { [THEME_META_KEY]: 'yes' })
    expect(refusalOf(doc, [put(doc, odd.id, odd)])).toMatchObject({ code: 'invalid' })
    const notFrame = { ...note('n', 'x'), meta: { [THEME_META_KEY]: true } }
    expect(refusalOf(doc, [put(doc, notFrame.id, notFrame)])).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/only a frame/),
    })
  })
})

describe('parking in the write review', () => {
  it('accepts a parked note that says where it came from, and nothing malformed', () => {
    const doc = boardWith([])
    const parked = {
      ...note('p', 'Parking at the venue', { parentId: stageFrameId('parkingLot') }),
      meta: { [PARKED_FROM_META_KEY]: { parentId: stageFrameId('issues'), x: 40, y: 120 } },
    }
    expect(refusalOf(doc, [put(doc, parked.id, parked)])).toBeNull()
    for (const bad of [
      { parentId: 'javascript:alert(1)', x: 0, y: 0 },
      { parentId: 'page:page', x: Number.NaN, y: 0 },
      { parentId: 'page:page', x: 0 },
      'shape:x',
    ]) {
      const forged = { ...parked, meta: { [PARKED_FROM_META_KEY]: bad } }
      expect(refusalOf(doc, [put(doc, parked.id, forged)])).toMatchObject({ code: 'invalid' })
    }
  })
})

describe('merging in the write review', () => {
  it('accepts a merge written in one update, and refuses one that loses a note', () => {
    const a = note('a', 'Youth jobs')
    const b = note('b', 'Jobs for young people')
    const doc = boardWith([a, b])
    const { richText, parts } = mergeNotes(a, [b])
    const kept = {
      ...a,
      props: { ...a.props, richText },
      meta: { [MERGED_META_KEY]: parts },
    }
    const deleteB: BoardWrite = { root: 'records', key: b.id, before: b, after: undefined }
    expect(refusalOf(doc, [put(doc, a.id, kept), deleteB])).toBeNull()
    // The same note without deleting b: b's part is claimed but b stays — a forged merge.
    expect(refusalOf(doc, [put(doc, a.id, kept)])).toMatchObject({ code: 'invalid' })
    // Once merged, the parts stay.
    putRecords(doc, [kept as unknown as TLShape])
    openBoardDoc(doc).records.delete(b.id)
    const stripped = { ...kept, meta: {} }
    expect(refusalOf(doc, [put(doc, a.id, stripped)])).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/keeps every author/),
    })
  })
})
