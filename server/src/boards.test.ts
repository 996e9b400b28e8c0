import { CLOSE } from '@common-ground/shared/board'
import { describe, expect, it } from 'vitest'
import { BOARD_NOT_FOUND, BoardNotFoundError, boardExistsHooks, createBoard } from './boards.ts'
import { LimitError } from './limits.ts'
import { createLogger } from './log.ts'
import { MemoryBoardStore } from './store/MemoryBoardStore.ts'
import { Connection } from './sync/Connection.ts'
import { Rooms } from './sync/Rooms.ts'

const socket = { isOpen: true, send() {}, close() {} }

describe('boards come from the API only', () => {
  it('refuses a connection to an unknown board with 4404 before anything is loaded', async () => {
    const store = new MemoryBoardStore()
    const { board } = await createBoard(store, { title: 'Known', template: 'blank' })
    const hooks = boardExistsHooks(store)
    const connect = (boardId: string) =>
      hooks.onConnect?.(new Connection(socket, { boardId, remoteAddress: 't' }))
    expect(await connect('unknown-board-1')).toEqual({ code: 4404, reason: 'board not found' })
    expect(await connect(board.id)).toBeUndefined()
    expect(BOARD_NOT_FOUND).toEqual({ code: 4404, reason: 'board not found' })
  })

  it('never creates a board when a room is asked for an unknown one', async () => {
    const store = new MemoryBoardStore()
    const rooms = new Rooms({
      store,
      log: createLogger({ level: 'error', write: () => {} }),
      graceMs: 60_000,
      compactAfterUpdates: 500,
    })
    const connection = new Connection(socket, { boardId: 'unknown-board-2', remoteAddress: 't' })
    const joining = rooms.join(connection)
    await expect(joining).rejects.toBeInstanceOf(BoardNotFoundError)
    await expect(joining).rejects.toBeInstanceOf(LimitError) // the endpoint closes with its code
    await expect(joining).rejects.toMatchObject({ code: 4404, message: 'board not found' })
    expect(await store.countBoards()).toBe(0)
    expect(rooms.size).toBe(0)
    await rooms.close(CLOSE.serviceRestart, 'test over')
  })
})
