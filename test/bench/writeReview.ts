/**
 * What the write review costs the server per update, in process: one room (memory store), a
 * writer connection sending note edits as the client binding does (one update per change), with
 * the review on (roles + tldraw schema + our shapes) and off. Reports updates/s the room
 * sustains and the time one update spends in `receive` (apply + review), p50/p99.
 */
import { newParticipantSecret, openBoardDoc } from '@common-ground/shared/board'
import { note } from '@common-ground/shared/fixtures'
import * as Y from 'yjs'
import { Connection, type Socket } from '../../server/src/sync/Connection.ts'
import { runOnConnect } from '../../server/src/sync/hooks.ts'
import { updateMessage } from '../../server/src/sync/protocol.ts'
import type { Room } from '../../server/src/sync/Room.ts'
import { roomsForOneBoard } from '../../server/src/sync/testRooms.ts'
import { type Measurement, percentile } from './report.ts'

const BOARD = 'bench-review-1'

const quietSocket: Socket = { isOpen: true, send() {}, close() {} }

async function run(
  review: boolean,
  updates: number,
): Promise<{ perSecond: number; p50: number; p99: number }> {
  const { tokens, hooks, rooms } = await roomsForOneBoard({
    boardId: BOARD,
    title: 'Bench',
    template: 'retreat',
    review,
    compactAfterUpdates: 1_000_000,
  })
  const params = new URLSearchParams({ token: tokens.edit, participant: newParticipantSecret() })
  const connection = new Connection(quietSocket, { boardId: BOARD, remoteAddress: 'bench', params })
  await runOnConnect(hooks, connection)
  const room = (await rooms.join(connection)) as Room
  const watcher = new Connection(quietSocket, { boardId: BOARD, remoteAddress: 'watch', params })
  await runOnConnect(hooks, watcher)
  await rooms.join(watcher)

  // The writer's own doc, holding the board as a client would after syncing.
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc))
  const board = openBoardDoc(doc)
  const messages: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => messages.push(updateMessage(update)))
  for (let i = 0; i < updates; i++) {
    const id = `n${i % 200}` // 200 notes, each edited many times, as people do
    board.records.set(
      `shape:${id}`,
      note(id, `Idea ${i}`, { x: (i % 20) * 220, y: Math.floor((i % 200) / 20) * 220 }),
    )
  }

  const times: number[] = []
  const started = performance.now()
  for (const [index, message] of messages.entries()) {
    const before = performance.now()
    room.receive(connection, message)
    times.push(performance.now() - before)
    if (index % 500 === 499) await rooms.queue.flush()
  }
  await rooms.queue.flush()
  const seconds = (performance.now() - started) / 1000
  if (openBoardDoc(room.doc).records.get(`shape:n${(updates - 1) % 200}`) === undefined) {
    throw new Error('the bench writes were refused')
  }
  await rooms.close(1012, 'bench over')
  return {
    perSecond: messages.length / seconds,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
  }
}

export async function writeReviewBench(quick: boolean): Promise<Measurement[]> {
  const updates = quick ? 3_000 : 20_000
  await run(true, 1_000) // warm the JIT for both paths
  await run(false, 1_000)
  const rows: Measurement[] = []
  for (const review of [false, true]) {
    const result = await run(review, updates)
    const suite = review ? 'write review on' : 'write review off'
    rows.push(
      {
        suite,
        metric: 'updates per second (one room, apply + review + commit)',
        value: Math.round(result.perSecond),
        unit: '/s',
      },
      { suite, metric: 'receive p50 per update', value: Math.round(result.p50 * 1000), unit: 'µs' },
      { suite, metric: 'receive p99 per update', value: Math.round(result.p99 * 1000), unit: 'µs' },
    )
  }
  return rows
}
