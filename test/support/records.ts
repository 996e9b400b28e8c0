/**
 * Board records for tests: complete tldraw note shapes, as the client binding writes them, so
 * they stay valid when the server validates records against the tldraw schema.
 */
import type { YClient } from './yclient.ts'

export type BoardRecord = NonNullable<ReturnType<YClient['board']['records']['get']>>

/** A yellow sticky note with `text`, on the board's first page. `id` must start with `shape:`. */
export function noteRecord(id: string, text: string, x = 0, y = 0): BoardRecord {
  return {
    id,
    typeName: 'shape',
    type: 'note',
    x,
    y,
    rotation: 0,
    index: 'a1',
    parentId: 'page:page',
    isLocked: false,
    opacity: 1,
    meta: {},
    props: {
      color: 'yellow',
      labelColor: 'black',
      size: 'm',
      font: 'draw',
      fontSizeAdjustment: null,
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      richText: {
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
      },
      scale: 1,
      textLastEditedBy: null,
    },
  } as unknown as BoardRecord
}

/** How many shapes a client's board holds. */
export function shapeCount(client: YClient): number {
  return client.board.records.yarray.toArray().filter((entry) => entry.key.startsWith('shape:'))
    .length
}
