/**
 * The layout of one board's Y.Doc (see DESIGN.md, "One board = one Y.Doc"). Both the client's
 * binding and the server's rooms open documents through these helpers, so neither side spells a
 * top-level type name on its own.
 */
import {
  createTLSchema,
  DocumentRecordType,
  defaultShapeSchemas,
  PageRecordType,
  TLDOCUMENT_ID,
  type TLParentId,
  type TLRecord,
  type TLSchema,
  type TLShape,
  type TLShapeId,
  toRichText,
} from '@tldraw/tlschema'
import { getIndices, type IndexKey } from '@tldraw/utils'
import { YKeyValue } from 'y-utility/y-keyvalue'
import type * as Y from 'yjs'
import { DEFAULT_LOCALE, type Locale, translate } from './i18n/index.ts'
import {
  ACTION_ISSUE_CARD,
  actionIssueCardMigrations,
  actionIssueCardProps,
} from './plan/actionCard.ts'
import {
  INTERSECTION_CARD,
  intersectionCardMigrations,
  intersectionCardProps,
} from './plan/intersection.ts'
import {
  ORGANIZATION_CARD,
  organizationCardMigrations,
  organizationCardProps,
} from './plan/organization.ts'
import {
  type BoardTemplateDefinition,
  STAGE_META_KEY,
  stageFrameId,
  stagePromptId,
  TEMPLATE_DEFINITIONS,
} from './plan/template.ts'

/** `doc.getArray(RECORDS)` wrapped in YKeyValue: tldraw records keyed by id. */
export const RECORDS = 'records'
/** `doc.getMap(META)`: board metadata and the tldraw schema the records were written with. */
export const META = 'meta'

/** Bumped when the shape of our own plan data (outside tldraw records) changes. */
export const PLAN_SCHEMA_VERSION = 1

export const BOARD_TEMPLATES = ['blank', 'retreat'] as const
export type BoardTemplate = (typeof BOARD_TEMPLATES)[number]

/** What each template lays out (see plan/template.ts). */
export const BOARD_TEMPLATE_DEFINITIONS: Record<BoardTemplate, BoardTemplateDefinition> =
  TEMPLATE_DEFINITIONS

export const MAX_TITLE_LENGTH = 200

export interface BoardMeta {
  title: string
  createdAt: number
  template: BoardTemplate
  planSchemaVersion: number
}

/** The one page every board starts with; a fixed id so two first visitors never make two pages. */
export const FIRST_PAGE_ID = PageRecordType.createId('page')

export interface BoardDoc {
  doc: Y.Doc
  records: YKeyValue<TLRecord>
  meta: Y.Map<unknown>
}

const openDocs = new WeakMap<Y.Doc, BoardDoc>()

/**
 * The board view of a doc. One per doc: each YKeyValue observes the array and tidies it in
 * transactions of its own, so a second instance on the same doc would only add work.
 */
export function openBoardDoc(doc: Y.Doc): BoardDoc {
  let board = openDocs.get(doc)
  if (!board) {
    board = { doc, records: new YKeyValue<TLRecord>(doc.getArray(RECORDS)), meta: doc.getMap(META) }
    openDocs.set(doc, board)
  }
  return board
}

/** The board view of a doc if one was opened, without opening one (readers stay side-effect free). */
export function peekBoardDoc(doc: Y.Doc): BoardDoc | undefined {
  return openDocs.get(doc)
}

/**
 * Every tldraw record of a doc, keyed by id, without touching the doc: a reader on the server must
 * not open a YKeyValue on a room's doc (it tidies duplicates in transactions of its own). When
 * the same key appears twice in the array (concurrent writes), the later entry wins, as in
 * YKeyValue.
 */
export function readRecords(doc: Y.Doc): Map<string, TLRecord> {
  const records = new Map<string, TLRecord>()
  const open = peekBoardDoc(doc)
  if (open) {
    for (const [key, entry] of open.records.map) records.set(key, entry.val)
    return records
  }
  for (const entry of doc.getArray<{ key: string; val: TLRecord }>(RECORDS).toArray()) {
    records.set(entry.key, entry.val)
  }
  return records
}

export function readBoardMeta(doc: Y.Doc): BoardMeta {
  const meta = doc.getMap<unknown>(META)
  const title = meta.get('title')
  const createdAt = meta.get('createdAt')
  const template = meta.get('template')
  const version = meta.get('planSchemaVersion')
  return {
    title: typeof title === 'string' ? title : '',
    createdAt: typeof createdAt === 'number' ? createdAt : 0,
    template: BOARD_TEMPLATES.includes(template as BoardTemplate)
      ? (template as BoardTemplate)
      : 'blank',
    planSchemaVersion: typeof version === 'number' ? version : PLAN_SCHEMA_VERSION,
  }
}

/** Our custom shapes: type name → props validators and props migrations. */
export const BOARD_SHAPE_SCHEMAS = {
  [ORGANIZATION_CARD]: { props: organizationCardProps, migrations: organizationCardMigrations },
  [INTERSECTION_CARD]: { props: intersectionCardProps, migrations: intersectionCardMigrations },
  [ACTION_ISSUE_CARD]: { props: actionIssueCardProps, migrations: actionIssueCardMigrations },
}

/**
 * The tldraw schema every board is written with: tldraw's default shapes plus our cards. The
 * client's store (default ShapeUtils plus ours) serializes to exactly this schema.
 */
export function createBoardSchema(): TLSchema {
  return createTLSchema({ shapes: { ...defaultShapeSchemas, ...BOARD_SHAPE_SCHEMAS } })
}

let sharedSchema: TLSchema | null = null
function boardSchema(): TLSchema {
  sharedSchema ??= createBoardSchema()
  return sharedSchema
}

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
    if (!board.meta.has('schema')) board.meta.set('schema', boardSchema().serialize())
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
        PageRecordType.create({ id: FIRST_PAGE_ID, name: 'Page 1', index: 'a1' as IndexKey }),
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
  const schema = boardSchema()
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

/** Trims and bounds a user-supplied title; `null` when nothing usable is left. */
export function normalizeTitle(raw: unknown): string | null {
  if (typeof raw !== 'string') return null
  const title = raw.replace(/\s+/g, ' ').trim()
  if (title.length === 0 || title.length > MAX_TITLE_LENGTH) return null
  return title
}
