/**
 * A store that keeps everything in memory: for tests of the rooms and the sync core, and as the
 * smallest example of the BoardStore contract.
 */
import type { ShareLinkKind } from '@common-ground/shared/board'
import {
  BoardLimitError,
  type BoardLinkTokens,
  type BoardRecord,
  type BoardStore,
  type CreateLimits,
  type KeptWithTurn,
  type PendingUpdate,
  type StoredBallot,
  type StoredBoardState,
  type StoredPrivateNote,
  type StoredUpdate,
  type StoredVersion,
  type VersionInfo,
} from './BoardStore.ts'

interface MemoryBoard {
  record: BoardRecord
  snapshot: { data: Uint8Array; upToSeq: number } | null
  updates: StoredUpdate[]
}

export class MemoryBoardStore implements BoardStore {
  readonly boards = new Map<string, MemoryBoard>()
  readonly versions = new Map<number, StoredVersion>()
  readonly links = new Map<string, BoardLinkTokens>()
  #seq = 0
  #clientOwners = new Map<string, Map<number, string>>()
  /** boardId → `${sessionId}\n${participantId}` → ballot. */
  #ballots = new Map<string, Map<string, StoredBallot>>()
  /** boardId → note id → private note. */
  #privateNotes = new Map<string, Map<string, StoredPrivateNote>>()
  #versionId = 0

  async createBoard(
    board: BoardRecord,
    firstUpdate?: Uint8Array,
    links?: BoardLinkTokens,
    limits: CreateLimits = {},
  ): Promise<boolean> {
    if (this.boards.has(board.id)) return false
    const max = limits.maxBoards ?? 0
    if (max > 0 && this.boards.size >= max) throw new BoardLimitError(`${max} boards already`)
    const updates = firstUpdate ? [{ seq: ++this.#seq, data: firstUpdate }] : []
    this.boards.set(board.id, { record: { ...board }, snapshot: null, updates })
    if (links) this.links.set(board.id, { ...links })
    return true
  }

  async getBoard(id: string): Promise<BoardRecord | null> {
    const board = this.boards.get(id)
    return board ? { ...board.record } : null
  }

  async countBoards(): Promise<number> {
    return this.boards.size
  }

  async getLinks(boardId: string): Promise<BoardLinkTokens | null> {
    const links = this.links.get(boardId)
    return links ? { ...links } : null
  }

  async addLinks(boardId: string, links: BoardLinkTokens): Promise<boolean> {
    if (!this.boards.has(boardId) || this.links.has(boardId)) return false
    this.links.set(boardId, { ...links })
    return true
  }

  async ensureCalendarKey(boardId: string, token: string): Promise<string | null> {
    const links = this.links.get(boardId)
    if (!links) return null
    links.calendar ??= token
    return links.calendar
  }

  async rotateLink(boardId: string, kind: ShareLinkKind, token: string): Promise<boolean> {
    const links = this.links.get(boardId)
    if (!links) return false
    links[kind] = token
    return true
  }

  async loadUpdates(id: string): Promise<StoredBoardState> {
    const board = this.boards.get(id)
    return { snapshot: board?.snapshot ?? null, updates: [...(board?.updates ?? [])] }
  }

  async appendUpdates(batch: readonly PendingUpdate[], kept: KeptWithTurn = {}): Promise<number[]> {
    const { claims = [], ballots = [], privateNotes = [] } = kept
    for (const { boardId } of [...batch, ...claims, ...ballots, ...privateNotes]) {
      if (!this.boards.has(boardId)) throw new Error(`unknown board ${boardId}`)
    }
    for (const change of ballots) {
      const box = this.#ballots.get(change.boardId) ?? new Map<string, StoredBallot>()
      this.#ballots.set(change.boardId, box)
      if ('forget' in change) {
        for (const [key, kept] of box) if (kept.sessionId === change.sessionId) box.delete(key)
        continue
      }
      const key = `${change.sessionId}\n${change.participantId}`
      if (change.ballot === null) box.delete(key)
      else box.set(key, { ...change, ballot: change.ballot })
    }
    for (const change of privateNotes) {
      const notes = this.#privateNotes.get(change.boardId) ?? new Map<string, StoredPrivateNote>()
      this.#privateNotes.set(change.boardId, notes)
      if ('forget' in change) notes.clear()
      else if (change.record === null) notes.delete(change.noteId)
      else notes.set(change.noteId, { ...change, record: change.record })
    }
    for (const { boardId, client, device } of claims) {
      const owners = this.#clientOwners.get(boardId) ?? new Map<number, string>()
      this.#clientOwners.set(boardId, owners)
      if (!owners.has(client)) owners.set(client, device)
    }
    return batch.map(({ boardId, update }) => {
      const seq = ++this.#seq
      this.boards.get(boardId)?.updates.push({ seq, data: update })
      return seq
    })
  }

  async loadBallots(boardId: string): Promise<StoredBallot[]> {
    return [...(this.#ballots.get(boardId)?.values() ?? [])].map(
      ({ sessionId, participantId, ballot }) => ({ sessionId, participantId, ballot }),
    )
  }

  async loadPrivateNotes(boardId: string): Promise<StoredPrivateNote[]> {
    return [...(this.#privateNotes.get(boardId)?.values() ?? [])].map(
      ({ participantId, round, record }) => ({ participantId, round, record }),
    )
  }

  async loadClientOwners(boardId: string): Promise<Array<[number, string]>> {
    return [...(this.#clientOwners.get(boardId) ?? [])]
  }

  async compact(id: string, snapshot: Uint8Array, upToSeq: number): Promise<void> {
    const board = this.boards.get(id)
    if (!board) throw new Error(`unknown board ${id}`)
    // As the other stores: a compaction that arrives late never replaces a newer snapshot.
    if (!board.snapshot || upToSeq >= board.snapshot.upToSeq) {
      board.snapshot = { data: snapshot, upToSeq }
    }
    board.updates = board.updates.filter((update) => update.seq > upToSeq)
  }

  async saveVersion(version: Omit<StoredVersion, 'id' | 'bytes'>): Promise<number> {
    if (!this.boards.has(version.boardId)) throw new Error(`unknown board ${version.boardId}`)
    const id = ++this.#versionId
    this.versions.set(id, { ...version, id, bytes: version.data.byteLength })
    return id
  }

  async replaceVersionData(boardId: string, id: number, data: Uint8Array): Promise<boolean> {
    const version = this.versions.get(id)
    if (!version || version.boardId !== boardId) return false
    this.versions.set(id, { ...version, data, bytes: data.byteLength })
    return true
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
