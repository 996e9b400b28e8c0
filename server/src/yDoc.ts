/**
 * A new Y.Doc for the server's own work (loading a board, seeding one, versions, replicas).
 * Yjs names every doc with lib0's uuidv4, which draws 31 random numbers through WebCrypto, one
 * call each: 46 µs a doc here, more than building a new board's whole document from its row.
 * node:crypto's randomUUID makes the same kind of id in about 2 µs. The name (`guid`) only tells
 * subdocuments apart, which boards do not have; it never travels in an update.
 */
import { randomUUID } from 'node:crypto'
import * as Y from 'yjs'

export function newDoc(): Y.Doc {
  return new Y.Doc({ guid: randomUUID() })
}
