/**
 * A store that keeps everything in memory: for tests of the rooms and the sync core, and as the
 * smallest example of the BoardStore contract.
 */
import type {
  BoardRecord,
  BoardStore,
  PendingUpdate,
  StoredBoardState,
  StoredUpdate,
} from './BoardStore.ts'

interface MemoryBoard {
  record: BoardRecord
  snapshot: { data: Uint8Array; upToSeq: number } | null
  updates: StoredUpdate[]
}

export class MemoryBoardStore implements BoardStore {
  readonly boards = new Map<string, MemoryBoard>()
  #seq = 0

  async createBoard(board: BoardRecord, firstUpdate?: Uint8Array): Promise<boolean> {
    if (this.boards.has(board.id)) return false
    const updates = firstUpdate ? [{ seq: ++this.#seq, data: firstUpdate }] : []
    this.boards.set(board.id, { record: { ...board }, snapshot: null, updates })
    return true
  }

  async getBoard(id: string): Promise<BoardRecord | null> {
    const board = this.boards.get(id)
    return board ? { ...board.record } : null
  }

  async loadUpdates(id: string): Promise<StoredBoardState> {
    const board = this.boards.get(id)
    return { snapshot: board?.snapshot ?? null, updates: [...(board?.updates ?? [])] }
  }

  async appendUpdates(batch: readonly PendingUpdate[]): Promise<number[]> {
    for (const { boardId } of batch) {
      if (!this.boards.has(boardId)) throw new Error(`unknown board ${boardId}`)
    }
    return batch.map(({ boardId, update }) => {
      const seq = ++this.#seq
      this.boards.get(boardId)?.updates.push({ seq, data: update })
      return seq
    })
  }

  async compact(id: string, snapshot: Uint8Array, upToSeq: number): Promise<void> {
    const board = this.boards.get(id)
    if (!board) throw new Error(`unknown board ${id}`)
    board.snapshot = { data: snapshot, upToSeq }
    board.updates = board.updates.filter((update) => update.seq > upToSeq)
  }

  async close(): Promise<void> {}
}
