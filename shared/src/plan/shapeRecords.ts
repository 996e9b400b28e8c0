/**
 * Complete, schema-valid tldraw records for what the plan is made of on the canvas (notes,
 * arrows and their bindings, any shape with given props), written as the client would. One place
 * for the importer (`seedBoardFromPlan`) and the test fixtures, so both stay what tldraw accepts.
 */
import { type TLParentId, type TLRecord, type TLShape, toRichText } from '@tldraw/tlschema'
import type { IndexKey } from '@tldraw/utils'
import { FIRST_PAGE_ID } from '../board/boardDoc.ts'
import { boardSchemaOnce } from './boardSchema.ts'

export interface ShapePlace {
  x?: number
  y?: number
  parentId?: string
  index?: string
}

/** A shape record with every base field; `id` is the full record id (`shape:…`). */
export function shapeRecord(
  id: string,
  type: string,
  props: object,
  place: ShapePlace = {},
): TLShape {
  return boardSchemaOnce().types.shape.create({
    id,
    type,
    x: place.x ?? 0,
    y: place.y ?? 0,
    parentId: (place.parentId ?? FIRST_PAGE_ID) as TLParentId,
    index: (place.index ?? 'a1') as IndexKey,
    props,
  } as never) as TLShape
}

export function noteProps(text: string, color = 'yellow') {
  return {
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
  }
}

export function arrowProps() {
  return {
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
  }
}

/** The binding of one end of an arrow to a shape (full record ids). */
export function arrowBindingRecord(
  arrowId: string,
  terminal: 'start' | 'end',
  toId: string,
): TLRecord {
  return boardSchemaOnce().types.binding.create({
    id: `binding:${arrowId.slice('shape:'.length)}-${terminal}`,
    type: 'arrow',
    fromId: arrowId,
    toId,
    props: {
      terminal,
      normalizedAnchor: { x: 0.5, y: 0.5 },
      isExact: false,
      isPrecise: false,
      snap: 'none',
    },
  } as never) as TLRecord
}
