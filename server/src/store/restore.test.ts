import { readBoardMeta } from '@common-ground/shared/board'
import { describe, expect, it } from 'vitest'
import { seedUpdate } from '../boards.ts'
import { createLogger } from '../log.ts'
import { MemoryBoardStore } from './MemoryBoardStore.ts'
import { loadBoardDoc } from './restore.ts'

describe('loadBoardDoc', () => {
  it('rebuilds the stored board, logging each unreadable row once', async () => {
    const store = new MemoryBoardStore()
    const board = {
      id: 'board-restore-1',
      title: 'Retreat',
      template: 'blank',
      createdAt: 1,
    } as const
    const seed = seedUpdate(board)
    await store.createBoard(board, seed)
    const torn = new Uint8Array([255, 255, 255, 255, 255])
    await store.appendUpdates([{ boardId: board.id, update: torn }])
    const lines: { msg: string; seq?: unknown }[] = []
    const log = createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line)) })

    const loaded = await loadBoardDoc(store, board.id, log)
    try {
      expect(readBoardMeta(loaded.doc).title).toBe('Retreat')
      expect(loaded.failures).toHaveLength(1)
      expect(lines.map((line) => line.msg)).toEqual(['stored update unreadable, skipped'])
      expect(loaded.storedBytes).toBe(seed.byteLength + torn.byteLength)
      expect(loaded.snapshot).toBe(false)
      expect(loaded.tailLength).toBe(2)
    } finally {
      loaded.doc.destroy()
    }
  })
})
