/**
 * One seeded board in memory behind real rooms and the real access hooks: the set-up that the
 * room's unit tests, its property test and the in-process benches share, and how their fake
 * sockets read what the rooms send them. Not used by the server.
 */
import { type BoardTemplate, MESSAGE_SYNC, SYNC_STEP1 } from '@common-ground/shared/board'
import { seedBoard } from '@common-ground/shared/plan'
import * as decoding from 'lib0/decoding'
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

/** A frame a room sent, read as a y-websocket client reads it. */
export interface ServerFrame {
  /** The message type. */
  type: number
  /** A sync message's step (step 1, step 2 or update); `null` for any other message. */
  step: number | null
  /** The Yjs update a sync step 2 or update carries; `null` for anything else. */
  update: Uint8Array | null
  /** The rest of the frame, for the caller to read on (a notice's JSON, an awareness update). */
  decoder: decoding.Decoder
}

export function readServerFrame(data: Uint8Array): ServerFrame {
  const decoder = decoding.createDecoder(data)
  const type = decoding.readVarUint(decoder)
  if (type !== MESSAGE_SYNC) return { type, step: null, update: null, decoder }
  const step = decoding.readVarUint(decoder)
  const update = step === SYNC_STEP1 ? null : decoding.readVarUint8Array(decoder)
  return { type, step, update, decoder }
}
