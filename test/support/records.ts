/** Counting what a Node test client's board holds. */
import type { YClient } from './yclient.ts'

/** How many shapes a client's board holds. */
export function shapeCount(client: YClient): number {
  return client.board.records.yarray.toArray().filter((entry) => entry.key.startsWith('shape:'))
    .length
}
