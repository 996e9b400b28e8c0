/**
 * What a new board is seeded with: its metadata, the tldraw schema, the document record, the first
 * page and the stage frames of its template (template.ts), in one transaction.
 */
import {
  DocumentRecordType,
  PageRecordType,
  TLDOCUMENT_ID,
  type TLParentId,
  type TLShape,
  type TLShapeId,
  toRichText,
} from '@tldraw/tlschema'
import { getIndices, type IndexKey } from '@tldraw/utils'
import type * as Y from 'yjs'
import {
  type BoardMeta,
  FIRST_PAGE_ID,
  openBoardDoc,
  PLAN_SCHEMA_VERSION,
} from '../board/boardDoc.ts'
import { DEFAULT_LOCALE, type Locale, translate } from '../i18n/index.ts'
import { boardSchemaOnce } from './boardSchema.ts'
import {
  BOARD_TEMPLATE_DEFINITIONS,
  type BoardTemplateDefinition,
  STAGE_META_KEY,
  stageFrameId,
  stagePromptId,
} from './template.ts'

/**
 * Writes what an empty board needs: metadata, the tldraw schema, the document record and the
 * first page. Idempotent: a board that already has them is left as it is, so seeding a board
 * that was loaded from the store is harmless.
 */
export function seedBoard(
  doc: Y.Doc,
  init: Omit<BoardMeta, 'planSchemaVersion'> & { locale?: Locale },
): void {
  const board = openBoardDoc(doc)
  doc.transact(() => {
    // The template is laid out once, when the board is first seeded: a stage frame someone
    // deleted later is not brought back by a repair.
    const firstSeed = !board.meta.has('template')
    if (!board.meta.has('schema')) board.meta.set('schema', boardSchemaOnce().serialize())
    if (!board.meta.has('planSchemaVersion'))
      board.meta.set('planSchemaVersion', PLAN_SCHEMA_VERSION)
    if (!board.meta.has('title')) board.meta.set('title', init.title)
    if (!board.meta.has('createdAt')) board.meta.set('createdAt', init.createdAt)
    if (!board.meta.has('template')) board.meta.set('template', init.template)
    if (!board.records.has(TLDOCUMENT_ID)) {
      board.records.set(
        TLDOCUMENT_ID,
        DocumentRecordType.create({ id: TLDOCUMENT_ID, name: init.title }),
      )
    }
    const hasPage = board.records.yarray.toArray().some((entry) => entry.val.typeName === 'page')
    if (!hasPage) {
      board.records.set(
        FIRST_PAGE_ID,
        PageRecordType.create({
          id: FIRST_PAGE_ID,
          name: translate(init.locale ?? DEFAULT_LOCALE, 'board.firstPage'),
          index: 'a1' as IndexKey,
        }),
      )
    }
    if (firstSeed) {
      const definition = BOARD_TEMPLATE_DEFINITIONS[init.template]
      for (const shape of templateShapes(definition, init.locale ?? DEFAULT_LOCALE)) {
        if (!board.records.has(shape.id)) board.records.set(shape.id, shape)
      }
    }
  })
}

const FRAME_PADDING = 40

/**
 * The shapes a template lays out on the first page: one frame per stage (its stage id in
 * `meta.cgStage`) with a short prompt inside, titles and prompts in `locale`.
 */
export function templateShapes(definition: BoardTemplateDefinition, locale: Locale): TLShape[] {
  const schema = boardSchemaOnce()
  const indices = getIndices(definition.stages.length + 1).slice(1)
  const shapes: TLShape[] = []
  definition.stages.forEach((stage, i) => {
    const frameId = stageFrameId(stage.id) as TLShapeId
    shapes.push(
      schema.types.shape.create({
        id: frameId,
        type: 'frame',
        parentId: FIRST_PAGE_ID as TLParentId,
        index: indices[i] as IndexKey,
        x: stage.x,
        y: stage.y,
        meta: { [STAGE_META_KEY]: stage.id },
        props: { w: stage.w, h: stage.h, name: translate(locale, stage.titleKey), color: 'black' },
      }) as TLShape,
      schema.types.shape.create({
        id: stagePromptId(stage.id) as TLShapeId,
        type: 'text',
        parentId: frameId,
        index: 'a1' as IndexKey,
        x: FRAME_PADDING,
        y: FRAME_PADDING,
        meta: { [STAGE_META_KEY]: stage.id },
        props: {
          color: 'grey',
          size: 's',
          font: 'sans',
          textAlign: 'start',
          w: Math.min(stage.w - 2 * FRAME_PADDING, 900),
          richText: toRichText(translate(locale, stage.promptKey)),
          scale: 1,
          autoSize: false,
        },
      }) as TLShape,
    )
  })
  return shapes
}
