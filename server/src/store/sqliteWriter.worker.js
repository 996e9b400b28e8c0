// @ts-check
/**
 * The SQLite writer thread (see SqliteWriter.ts): commits each turn (and compaction) it is sent
 * on a connection of its own, in order, and answers the seqs, or the error with SQLite's code.
 * Its fsync blocks only this thread, so the server's event loop keeps receiving and reviewing
 * meanwhile. Plain JavaScript, like sqliteTurn.js, so the thread never loads type stripping.
 */
/** @import { WriterReply, WriterRequest, WriterSetup } from './SqliteWriter.ts' */
import { DatabaseSync } from 'node:sqlite'
import { parentPort, workerData } from 'node:worker_threads'
import { capSize, compactor, configureConnection, turnWriter } from './sqliteTurn.js'

const port = parentPort
if (!port) throw new Error('sqliteWriter.worker.js runs as a worker thread')
const { file, maxDatabaseBytes } = /** @type {WriterSetup} */ (workerData)
const db = new DatabaseSync(file)
configureConnection(db)
capSize(db, maxDatabaseBytes)
const append = turnWriter(db)
const compact = compactor(db)

port.on('message', (/** @type {WriterRequest} */ request) => {
  if (request.type === 'close') {
    db.close()
    port.close() // nothing else keeps the thread alive: it exits
    return
  }
  /** @type {WriterReply} */
  let reply
  try {
    if (request.type === 'ready') {
      reply = { id: request.id, seqs: [] } // the connection above is open
    } else if (request.type === 'append') {
      reply = { id: request.id, seqs: append(request.batch, request.kept) }
    } else {
      compact(request.boardId, request.snapshot, request.upToSeq)
      reply = { id: request.id, seqs: [] }
    }
  } catch (error) {
    const { message, name } = /** @type {Error} */ (error)
    const errcode = Number(/** @type {{ errcode?: unknown }} */ (error).errcode)
    reply = {
      id: request.id,
      error: { message, name, errcode: Number.isNaN(errcode) ? null : errcode },
    }
  }
  port.postMessage(reply)
})
