/**
 * One seeded board in memory behind real rooms and the real access hooks: the set-up that the
 * room's unit tests, its property test and the in-process benches share. Not used by the server.
 */
import { type BoardTemplate, seedBoard } from '@common-ground/shared'
import * as Y from 'yjs'
import { accessHooks } from '../access/access.ts'
import { MemoryLinkStore } from '../access/LinkStore.ts'
import { createLogger } from '../log.ts'
import { MemoryBoardStore } from '../store/MemoryBoardStore.ts'
import type { SyncHooks } from './hooks.ts'
import { Rooms } from './Rooms.ts'

export interface OneBoardOptions {
  boardId: string
  title?: string
  template?: BoardTemplate
  /** False leaves the write review out (to measure what it costs). */
  review?: boolean
  compactAfterUpdates?: number
}

export async function roomsForOneBoard(options: OneBoardOptions) {
  const { boardId, title = 'Board', template = 'blank' } = options
  const store = new MemoryBoardStore()
  const seed = new Y.Doc()
  seedBoard(seed, { title, createdAt: 1, template })
  await store.createBoard(
    { id: boardId, title, template, createdAt: 1 },
    Y.encodeStateAsUpdate(seed),
  )
  const links = new MemoryLinkStore()
  const tokens = await links.create(boardId)
  const access = accessHooks(links)
  if (options.review === false) delete access.reviewWrites
  const hooks: SyncHooks[] = [access]
  const rooms = new Rooms({
    store,
    log: createLogger({ level: 'error', write: () => {} }),
    hooks,
    graceMs: 60_000,
    compactAfterUpdates: options.compactAfterUpdates ?? 500,
  })
  return { store, tokens, hooks, rooms }
}
