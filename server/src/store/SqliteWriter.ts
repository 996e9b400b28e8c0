/**
 * The SQLite store's writer thread, seen from the main thread: each turn's commit (and each
 * compaction) is sent to a worker (sqliteWriter.worker.js) that holds a connection of its own to
 * the same file, so the fsync of `synchronous=FULL` no longer blocks the event loop. A commit resolves only once the
 * worker's COMMIT returned, so any read on the main connection afterwards sees its rows.
 *
 * Turns are committed one after another in the order sent (one thread, one message queue). A
 * failed commit rejects with SQLite's error (SQLITE_FULL as StorageFullError); a thread that
 * dies rejects every commit in flight (whether or not it reached COMMIT is unknown, which the
 * commit queue's storage-failure path handles by reloading from the store), and the next commit
 * starts a new thread. The thread is started by `ready()` (the server, before it listens) or else
 * on the first commit, and never keeps the process alive while it has nothing in flight.
 */
import { Worker } from 'node:worker_threads'
import { type KeptWithTurn, type PendingUpdate, StorageFullError } from './BoardStore.ts'

/** What the worker is started with. */
export interface WriterSetup {
  file: string
  maxDatabaseBytes?: number | undefined
}

export type WriterRequest =
  | { type: 'ready'; id: number }
  | { type: 'append'; id: number; batch: PendingUpdate[]; kept: KeptWithTurn }
  | { type: 'compact'; id: number; boardId: string; snapshot: Uint8Array; upToSeq: number }
  | { type: 'close' }

/** A commit the worker could not make, with SQLite's extended result code when it had one. */
export interface WriterFailure {
  message: string
  name: string
  errcode: number | null
}

export type WriterReply = { id: number; seqs: number[] } | { id: number; error: WriterFailure }

/** The writer thread stopped with commits in flight: they may or may not be stored. */
export class WriterStoppedError extends Error {
  override name = 'WriterStoppedError'
}

/** SQLite's primary result code of a full disk or of `max_page_count` reached (SQLITE_FULL). */
const SQLITE_FULL = 13

const WORKER_ENTRY = new URL('./sqliteWriter.worker.js', import.meta.url)

interface InFlight {
  resolve(seqs: number[]): void
  reject(error: unknown): void
}

export class SqliteWriter {
  #setup: WriterSetup
  #entry: URL
  #worker: Worker | null = null
  #inFlight = new Map<number, InFlight>()
  #nextId = 1
  #closed: Promise<void> | null = null

  /** `entry`: the worker's module (tests wrap the real one to make it fail). */
  constructor(setup: WriterSetup, entry: URL = WORKER_ENTRY) {
    this.#setup = setup
    this.#entry = entry
  }

  /**
   * Starts the thread now, not on the first commit, and resolves once its connection is open:
   * a server does this before it listens, so the first edit does not wait for a thread to boot,
   * and the thread's memory is there from the start, not counted against the first boards.
   */
  async ready(): Promise<void> {
    await this.#send((id) => ({ type: 'ready', id }), [])
  }

  /** Commits one turn in one transaction on the writer's connection; resolves the seqs. */
  append(batch: readonly PendingUpdate[], kept: KeptWithTurn): Promise<number[]> {
    // Exact-size copies, handed over without a second copy: an update is often a view into a
    // larger buffer (the received message), which cloning would copy whole; the originals stay
    // with the caller, who broadcasts them once this resolves. `new Uint8Array(view)` copies even
    // a Node Buffer, whose slice() would share (and transferring would detach) its memory.
    const copies = batch.map(({ boardId, update }) => ({ boardId, update: new Uint8Array(update) }))
    return this.#send(
      (id) => ({ type: 'append', id, batch: copies, kept }),
      copies.map(({ update }) => update.buffer as ArrayBuffer),
    )
  }

  /**
   * Replaces a board's snapshot and drops the rows it covers, after every commit sent before:
   * its fsync, and any wait for the lock, stay off the event loop too.
   */
  async compact(boardId: string, snapshot: Uint8Array, upToSeq: number): Promise<void> {
    await this.#send((id) => ({ type: 'compact', id, boardId, snapshot, upToSeq }), [])
  }

  #send(request: (id: number) => WriterRequest, transfer: ArrayBuffer[]): Promise<number[]> {
    if (this.#closed) return Promise.reject(new Error('the SQLite store is closed'))
    const worker = this.#worker ?? this.#start()
    const id = this.#nextId++
    return new Promise<number[]>((resolve, reject) => {
      this.#inFlight.set(id, { resolve, reject })
      if (this.#inFlight.size === 1) worker.ref()
      worker.postMessage(request(id), transfer)
    })
  }

  /** Waits for every commit sent so far, then stops the thread and closes its connection. */
  close(): Promise<void> {
    this.#closed ??= this.#drain()
    return this.#closed
  }

  async #drain(): Promise<void> {
    const worker = this.#worker
    if (!worker) return
    worker.ref()
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
    // After every commit already queued: the thread answers them all, then closes.
    worker.postMessage({ type: 'close' } satisfies WriterRequest)
    await exited
  }

  #start(): Worker {
    // Named, so `top -H` and /proc/<pid>/task show it.
    const worker = new Worker(this.#entry, { workerData: this.#setup, name: 'sqlite-writer' })
    worker.unref()
    worker.on('message', (reply: WriterReply) => this.#answer(worker, reply))
    worker.on('error', (error) => this.#stopped(worker, error))
    worker.on('exit', (code) => this.#stopped(worker, new Error(`exit code ${code}`)))
    this.#worker = worker
    return worker
  }

  #answer(worker: Worker, reply: WriterReply): void {
    const waiting = this.#inFlight.get(reply.id)
    if (!waiting) return
    this.#inFlight.delete(reply.id)
    // Once closing, the thread stays referenced until it has exited (close() waits for that).
    if (this.#inFlight.size === 0 && !this.#closed) worker.unref()
    if ('seqs' in reply) waiting.resolve(reply.seqs)
    else waiting.reject(commitError(reply.error))
  }

  #stopped(worker: Worker, cause: Error): void {
    if (this.#worker !== worker) return
    this.#worker = null
    if (this.#inFlight.size === 0) return
    const error = new WriterStoppedError(
      `the SQLite writer thread stopped (${cause.message}) with ${this.#inFlight.size} ` +
        'commit(s) in flight, which may or may not be stored',
      { cause },
    )
    for (const { reject } of this.#inFlight.values()) reject(error)
    this.#inFlight.clear()
  }
}

/** The worker's error as the main thread's: a full disk as StorageFullError, SQLite's code kept. */
function commitError({ message, name, errcode }: WriterFailure): Error {
  if (errcode !== null && (errcode & 0xff) === SQLITE_FULL) {
    return Object.assign(new StorageFullError(`the store is full: ${message}`), { errcode })
  }
  const error = new Error(message)
  if (name && name !== 'Error') error.name = name
  return errcode === null ? error : Object.assign(error, { errcode })
}
