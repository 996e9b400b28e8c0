/**
 * Three server processes on one PostgreSQL and one Redis (cluster mode): whichever process a
 * person is connected to, their edits reach everyone on every other process, and the board's
 * per-board sequence in PostgreSQL has no gap.
 */
import { note } from '@common-ground/shared/fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBoard, participantOf } from '../support/boards.ts'
import {
  boardSeqsOf,
  clusterSettings,
  contiguous,
  ownerOf,
  processIdOf,
  startMember,
} from '../support/cluster.ts'
import { createDatabase, type TestDatabase } from '../support/postgres.ts'
import type { RunningServer } from '../support/server.ts'
import { useRestartableServers } from '../support/session.ts'
import { waitFor, type YClient } from '../support/yclient.ts'

const { client } = useRestartableServers()
let database: TestDatabase
let members: RunningServer[] = []
beforeAll(async () => {
  database = await createDatabase()
  const settings = clusterSettings(database)
  members = await Promise.all([0, 1, 2].map(() => startMember(settings)))
})
afterAll(async () => {
  await Promise.all(members.map((member) => member.stop()))
  await database?.drop()
})

const shapeId = (name: string) => note(name, '').id

describe('several processes share boards', () => {
  it('edits made on any process reach clients on every other, with no gap in the sequence', async () => {
    const board = await createBoard(members[0] as RunningServer, { title: 'Shared' })
    const people: YClient[] = []
    for (const member of members) {
      for (let i = 0; i < 2; i++) {
        const person = client(member, board.id, { params: participantOf(board.id).params })
        people.push(person)
      }
    }
    await Promise.all(people.map((person) => person.whenSynced()))
    const owner = await ownerOf(database, members, board.id)
    expect(owner).toBeDefined()
    // Exactly one process owns the board; the others serve it from replicas.
    expect(new Set(members.map(processIdOf)).size).toBe(3)

    for (const [p, person] of people.entries()) {
      for (let i = 0; i < 5; i++) {
        const shape = note(`p${p}-${i}`, `person ${p}, note ${i}`)
        person.board.records.set(shape.id, shape)
      }
    }
    for (const person of people) {
      await waitFor(() => people.every((_, p) => person.board.records.get(shapeId(`p${p}-4`))), {
        what: 'every note at every person',
      })
    }
    // A change of a note made on one process arrives on the others as the same value.
    const [first, , , last] = people as [YClient, YClient, YClient, YClient]
    const changed = { ...note('p0-0', 'changed on another process') }
    last.board.records.set(changed.id, changed)
    await waitFor(
      () => JSON.stringify(first.board.records.get(changed.id)) === JSON.stringify(changed),
      { what: 'the change at the first person' },
    )
    // A newcomer on any process gets the whole board.
    for (const member of members) {
      const late = client(member, board.id, { params: participantOf(board.id).params })
      await late.whenSynced()
      await waitFor(() => late.board.records.get(shapeId('p5-4')), { what: 'the board, late' })
    }
    const seqs = await boardSeqsOf(database, board.id)
    expect(seqs[0]).toBe(1)
    expect(contiguous(seqs)).toBe(true)
  })

  it('each process stops cleanly while others serve the same board (SIGTERM, exit 0)', async () => {
    const board = await createBoard(members[0] as RunningServer, { title: 'Stopping' })
    const people = members.map((member) =>
      client(member, board.id, { params: participantOf(board.id).params }),
    )
    await Promise.all(people.map((person) => person.whenSynced()))
    for (const member of members) expect(await member.stop()).toBe(0)
  })
})
