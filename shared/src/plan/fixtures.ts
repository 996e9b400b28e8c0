/**
 * Builders of tldraw records for tests (and the benchmark): complete, schema-valid records of
 * notes, arrows, arrow bindings and our cards, written into a doc the way the client binding does.
 */
import { type TLRecord, type TLShape, toRichText } from '@tldraw/tlschema'
import type { IndexKey } from '@tldraw/utils'
import * as Y from 'yjs'
import {
  type BoardTemplate,
  createBoardSchema,
  FIRST_PAGE_ID,
  openBoardDoc,
  seedBoard,
} from '../boardDoc.ts'
import {
  defaultIntersectionCardProps,
  INTERSECTION_CARD,
  type IntersectionCardProps,
} from './intersection.ts'
import {
  defaultOrganizationCardProps,
  ORGANIZATION_CARD,
  type OrganizationCardProps,
} from './organization.ts'

const schema = createBoardSchema()

interface Place {
  x?: number
  y?: number
  parentId?: string
  index?: string
}

function shape(id: string, type: string, props: object, place: Place = {}): TLShape {
  return schema.types.shape.create({
    id: `shape:${id}`,
    type,
    x: place.x ?? 0,
    y: place.y ?? 0,
    parentId: place.parentId ?? FIRST_PAGE_ID,
    index: (place.index ?? 'a1') as IndexKey,
    props,
  } as never) as TLShape
}

export function organizationCard(
  id: string,
  props: Partial<OrganizationCardProps> = {},
  place?: Place,
): TLShape {
  return shape(id, ORGANIZATION_CARD, { ...defaultOrganizationCardProps(), ...props }, place)
}

export function intersectionCard(
  id: string,
  props: Partial<IntersectionCardProps> = {},
  place?: Place,
): TLShape {
  return shape(id, INTERSECTION_CARD, { ...defaultIntersectionCardProps(), ...props }, place)
}

export function note(id: string, text: string, place?: Place, color = 'yellow'): TLShape {
  return shape(
    id,
    'note',
    {
      color,
      labelColor: 'black',
      size: 'm',
      font: 'draw',
      fontSizeAdjustment: null,
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      richText: toRichText(text),
      scale: 1,
      textLastEditedBy: null,
    },
    place,
  )
}

export function group(id: string, place?: Place): TLShape {
  return shape(id, 'group', {}, place)
}

export function arrow(id: string, place?: Place): TLShape {
  return shape(
    id,
    'arrow',
    {
      kind: 'arc',
      labelColor: 'black',
      color: 'black',
      fill: 'none',
      dash: 'draw',
      size: 'm',
      arrowheadStart: 'none',
      arrowheadEnd: 'arrow',
      font: 'draw',
      start: { x: 0, y: 0 },
      end: { x: 100, y: 0 },
      bend: 0,
      richText: toRichText(''),
      labelPosition: 0.5,
      scale: 1,
      elbowMidPoint: 0.5,
    },
    place,
  )
}

/** The binding of one end of an arrow to a shape. */
export function arrowBinding(arrowId: string, terminal: 'start' | 'end', toId: string): TLRecord {
  return schema.types.binding.create({
    id: `binding:${arrowId}-${terminal}`,
    type: 'arrow',
    fromId: `shape:${arrowId}`,
    toId: `shape:${toId}`,
    props: {
      terminal,
      normalizedAnchor: { x: 0.5, y: 0.5 },
      isExact: false,
      isPrecise: false,
      snap: 'none',
    },
  } as never) as TLRecord
}

/** An arrow from `from` to `to`, both ends bound: the arrow and its two bindings. */
export function boundArrow(id: string, from: string, to: string): TLRecord[] {
  return [arrow(id), arrowBinding(id, 'start', from), arrowBinding(id, 'end', to)]
}

/** A seeded board (the retreat template by default) with `records` added in one transaction. */
export function boardWith(records: TLRecord[], template: BoardTemplate = 'retreat'): Y.Doc {
  const doc = new Y.Doc()
  seedBoard(doc, { title: 'Fixture board', createdAt: 1, template })
  putRecords(doc, records)
  return doc
}

export function putRecords(doc: Y.Doc, records: TLRecord[]): void {
  const board = openBoardDoc(doc)
  doc.transact(() => {
    for (const record of records) board.records.set(record.id, record)
  })
}

export function removeRecords(doc: Y.Doc, ids: string[]): void {
  const board = openBoardDoc(doc)
  doc.transact(() => {
    for (const id of ids) board.records.delete(id)
  })
}

export const boardSchemaForTests = schema
