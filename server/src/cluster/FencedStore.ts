/**
 * The board store as an owner in a cluster uses it: the PostgreSQL store, except that every turn
 * is committed fenced by the epochs this process holds its boards under (Ownership), and each
 * committed update is handed on (`onCommitted`: published to the board's replicas) with its
 * per-board sequence number, after COMMIT and before anyone local is sent it.
 */
import type {
  BoardLinkTokens,
  BoardRecord,
  BoardStore,
  CreateLimits,
  KeptWithTurn,
  PendingUpdate,
  StoredVersion,
} from '../store/BoardStore.ts'
import type { PostgresBoardStore } from '../store/PostgresBoardStore.ts'

/** Never an epoch a board is held under: a turn for a board this process does not own fails. */
const NOT_HELD = -1

export interface FencedStoreOptions {
  epochOf(boardId: string): number | undefined
  onCommitted(commit: {
    boardId: string
    boardSeq: number
    epoch: number
    update: Uint8Array
  }): void
}

export class FencedStore implements BoardStore {
  readonly #store: PostgresBoardStore
  readonly #options: FencedStoreOptions

  constructor(store: PostgresBoardStore, options: FencedStoreOptions) {
    this.#store = store
    this.#options = options
  }

  async appendUpdates(batch: readonly PendingUpdate[], kept: KeptWithTurn = {}): Promise<number[]> {
    const boards = new Set(batch.map((entry) => entry.boardId))
    for (const change of [
      ...(kept.claims ?? []),
      ...(kept.ballots ?? []),
      ...(kept.privateNotes ?? []),
    ]) {
      boards.add(change.boardId)
    }
    const epochs = new Map<string, number>()
    for (const boardId of boards) epochs.set(boardId, this.#options.epochOf(boardId) ?? NOT_HELD)
    const { seqs, boardSeqs } = await this.#store.appendTurn(batch, kept, epochs)
    for (const [index, { boardId, update }] of batch.entries()) {
      this.#options.onCommitted({
        boardId,
        update,
        boardSeq: boardSeqs[index] ?? 0,
        epoch: epochs.get(boardId) ?? NOT_HELD,
      })
    }
    return seqs
  }

  // Everything else is the PostgreSQL store's own.
  createBoard(
    board: BoardRecord,
    firstUpdate?: Uint8Array,
    links?: BoardLinkTokens,
    limits?: CreateLimits,
  ) {
    return this.#store.createBoard(board, firstUpdate, links, limits)
  }
  getBoard(id: string) {
    return this.#store.getBoard(id)
  }
  countBoards() {
    return this.#store.countBoards()
  }
  getLinks(boardId: string) {
    return this.#store.getLinks(boardId)
  }
  addLinks(boardId: string, links: BoardLinkTokens) {
    return this.#store.addLinks(boardId, links)
  }
  ensureCalendarKey(boardId: string, token: string) {
    return this.#store.ensureCalendarKey(boardId, token)
  }
  rotateLink(boardId: string, kind: Parameters<BoardStore['rotateLink']>[1], token: string) {
    return this.#store.rotateLink(boardId, kind, token)
  }
  loadUpdates(id: string) {
    return this.#store.loadUpdates(id)
  }
  loadBallots(boardId: string) {
    return this.#store.loadBallots(boardId)
  }
  loadPrivateNotes(boardId: string) {
    return this.#store.loadPrivateNotes(boardId)
  }
  loadClientOwners(boardId: string) {
    return this.#store.loadClientOwners(boardId)
  }
  compact(id: string, snapshot: Uint8Array, upToSeq: number) {
    return this.#store.compact(id, snapshot, upToSeq)
  }
  saveVersion(version: Omit<StoredVersion, 'id' | 'bytes'>) {
    return this.#store.saveVersion(version)
  }
  listVersions(boardId: string) {
    return this.#store.listVersions(boardId)
  }
  getVersion(boardId: string, id: number) {
    return this.#store.getVersion(boardId, id)
  }
  replaceVersionData(boardId: string, id: number, data: Uint8Array) {
    return this.#store.replaceVersionData(boardId, id, data)
  }
  pruneAutoVersions(boardId: string, keep: number) {
    return this.#store.pruneAutoVersions(boardId, keep)
  }
  close() {
    return this.#store.close()
  }
}
