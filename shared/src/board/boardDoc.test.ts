import { TLDOCUMENT_ID } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { translate } from '../i18n/index.ts'
import { createBoardSchema } from '../plan/boardSchema.ts'
import { plainTextOf } from '../plan/issue.ts'
import { seedBoard } from '../plan/seedBoard.ts'
import {
  RETREAT_TEMPLATE,
  STAGE_IDS,
  STAGE_META_KEY,
  stageFrameId,
  stagePromptId,
} from '../plan/template.ts'
import {
  FIRST_PAGE_ID,
  normalizeTitle,
  openBoardDoc,
  PLAN_SCHEMA_VERSION,
  readBoardMeta,
} from './boardDoc.ts'

const init = {
  title: 'Eastside retreat',
  createdAt: 1_700_000_000_000,
  template: 'retreat' as const,
}

describe('board document layout', () => {
  it('seeds metadata, schema, document and first page', () => {
    const doc = new Y.Doc()
    seedBoard(doc, init)
    const board = openBoardDoc(doc)
    expect(readBoardMeta(doc)).toEqual({ ...init, planSchemaVersion: PLAN_SCHEMA_VERSION })
    expect(board.meta.get('schema')).toEqual(createBoardSchema().serialize())
    expect(board.records.get(TLDOCUMENT_ID)?.typeName).toBe('document')
    expect(board.records.get(FIRST_PAGE_ID)?.typeName).toBe('page')
  })

  it('seeds in one transaction and is idempotent', () => {
    const doc = new Y.Doc()
    let updates = 0
    doc.on('update', () => updates++)
    seedBoard(doc, init)
    expect(updates).toBe(1)
    seedBoard(doc, { ...init, title: 'Another title' })
    expect(updates).toBe(1)
    expect(readBoardMeta(doc).title).toBe(init.title)
  })

  it('two replicas seeded apart converge on one page', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    seedBoard(a, init)
    seedBoard(b, init)
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    const pages = openBoardDoc(a)
      .records.yarray.toArray()
      .filter((entry) => entry.val.typeName === 'page')
    expect(pages.map((entry) => entry.key)).toEqual([FIRST_PAGE_ID])
    expect(openBoardDoc(b).records.yarray.length).toBe(openBoardDoc(a).records.yarray.length)
  })

  it('opens one board view per doc', () => {
    const doc = new Y.Doc()
    expect(openBoardDoc(doc)).toBe(openBoardDoc(doc))
    expect(openBoardDoc(new Y.Doc())).not.toBe(openBoardDoc(doc))
  })

  it('reads defaults from an empty or odd meta map', () => {
    const doc = new Y.Doc()
    doc.getMap('meta').set('template', 'nonsense')
    expect(readBoardMeta(doc)).toEqual({
      title: '',
      createdAt: 0,
      template: 'blank',
      planSchemaVersion: PLAN_SCHEMA_VERSION,
    })
  })

  it('normalizes titles and refuses unusable ones', () => {
    expect(normalizeTitle('  Eastside   retreat ')).toBe('Eastside retreat')
    expect(normalizeTitle('')).toBeNull()
    expect(normalizeTitle('   ')).toBeNull()
    expect(normalizeTitle('x'.repeat(201))).toBeNull()
    expect(normalizeTitle(12)).toBeNull()
  })
})

describe('templates', () => {
  const stageFrames = (doc: Y.Doc) =>
    openBoardDoc(doc)
      .records.yarray.toArray()
      .map((entry) => entry.val)
      .filter((record) => record.typeName === 'shape' && record.type === 'frame')

  it('the retreat template lays out one labelled frame with a prompt per stage', () => {
    const doc = new Y.Doc()
    seedBoard(doc, init)
    const board = openBoardDoc(doc)
    const frames = stageFrames(doc)
    expect(frames.map((frame) => frame.meta[STAGE_META_KEY])).toEqual([...STAGE_IDS])
    for (const stage of RETREAT_TEMPLATE.stages) {
      const frame = board.records.get(stageFrameId(stage.id))
      expect(frame).toMatchObject({
        type: 'frame',
        parentId: FIRST_PAGE_ID,
        x: stage.x,
        y: stage.y,
        props: { w: stage.w, h: stage.h, name: translate('en', stage.titleKey) },
      })
      const prompt = board.records.get(stagePromptId(stage.id))
      expect(prompt).toMatchObject({ type: 'text', parentId: stageFrameId(stage.id) })
      expect(plainTextOf((prompt as { props: { richText: unknown } }).props.richText)).toBe(
        translate('en', stage.promptKey),
      )
    }
  })

  it('every seeded record is valid in the board schema', () => {
    const doc = new Y.Doc()
    seedBoard(doc, init)
    const schema = createBoardSchema()
    for (const entry of openBoardDoc(doc).records.yarray.toArray()) {
      expect(() => schema.validateRecord(null as never, entry.val, 'tests', null)).not.toThrow()
    }
  })

  it('stage frames do not overlap', () => {
    const boxes = RETREAT_TEMPLATE.stages
    for (const a of boxes) {
      for (const b of boxes) {
        if (a === b) continue
        const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y
        expect(apart, `${a.id} / ${b.id}`).toBe(true)
      }
    }
  })

  it('writes titles and prompts in the requested language', () => {
    const doc = new Y.Doc()
    seedBoard(doc, { ...init, locale: 'es' })
    const frame = openBoardDoc(doc).records.get(stageFrameId('issues'))
    expect((frame as { props: { name: string } }).props.name).toBe(
      translate('es', 'stage.issues.title'),
    )
  })

  it('a blank board has no stage frames', () => {
    const doc = new Y.Doc()
    seedBoard(doc, { ...init, template: 'blank' })
    expect(stageFrames(doc)).toEqual([])
  })

  it('does not bring back a stage frame deleted after the first seeding', () => {
    const doc = new Y.Doc()
    seedBoard(doc, init)
    openBoardDoc(doc).records.delete(stageFrameId('vote'))
    seedBoard(doc, init)
    expect(openBoardDoc(doc).records.has(stageFrameId('vote'))).toBe(false)
  })
})
