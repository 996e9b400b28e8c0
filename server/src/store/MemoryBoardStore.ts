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
  StoredVersion,
  VersionInfo,
} from './BoardStore.ts'

interface MemoryBoard {
  record: BoardRecord
  snapshot: { data: Uint8Array; upToSeq: number } | null
  updates: StoredUpdate[]
}

export class MemoryBoardStore implements BoardStore {
  readonly boards = new Map<string, MemoryBoard>()
  readonly versions = new Map<number, StoredVersion>()
  #seq = 0
  #versionId = 0

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

  async saveVersion(version: Omit<StoredVersion, 'id' | 'bytes'>): Promise<number> {
    if (!this.boards.has(version.boardId)) throw new Error(`unknown board ${version.boardId}`)
    const id = ++this.#versionId
    this.versions.set(id, { ...version, id, bytes: version.data.byteLength })
    return id
  }

  async listVersions(boardId: string): Promise<VersionInfo[]> {
    return [...this.versions.values()]
      .filter((version) => version.boardId === boardId)
      .map(({ data: _data, ...info }) => info)
      .reverse()
  }

  async getVersion(boardId: string, id: number): Promise<StoredVersion | null> {
    const version = this.versions.get(id)
    return version?.boardId === boardId ? version : null
  }

  async pruneAutoVersions(boardId: string, keep: number): Promise<void> {
    const autos = [...this.versions.values()].filter((v) => v.boardId === boardId && v.auto)
    for (const version of autos.reverse().slice(keep)) this.versions.delete(version.id)
  }

  async close(): Promise<void> {}
}
