/**
 * PostgreSQL stopped under a cluster in the middle of a burst (a PostgreSQL server of the test's
 * own, stopped as if the power went: `pg_ctl stop -m immediate`). The boards' sockets are closed
 * with 1011 "storage unavailable" as their commits fail; when PostgreSQL is back everyone
 * resyncs, nothing anyone saw is lost, and the board's sequence has no gap.
 */
import { note } from '@common-ground/shared/fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createBoard, participantOf } from '../support/boards.ts'
import {
  boardSeqsOf,
  clusterSettings,
  contiguous,
  missingFrom,
  type OwnPostgres,
  startMember,
  startOwnPostgres,
} from '../support/cluster.ts'
import type { RunningServer } from '../support/server.ts'
import { useRestartableServers } from '../support/session.ts'
import { coversStateOf, waitFor, type YClient } from '../support/yclient.ts'

const session = useRestartableServers()
let postgres: OwnPostgres
let members: RunningServer[] = []
beforeAll(async () => {
  postgres = await startOwnPostgres()
  const settings = clusterSettings(postgres.database)
  members = await Promise.all([0, 1].map(() => startMember(settings)))
})
afterAll(async () => {
  await postgres?.start().catch(() => undefined)
  await Promise.all(members.map((member) => member.stop()))
  await postgres?.remove()
})

describe('PostgreSQL stopped', () => {
  it('closes the sockets with 1011 "storage unavailable"; once it is back everyone resyncs and nothing is lost', async () => {
    const board = await createBoard(members[0] as RunningServer, { title: 'No database' })
    const people: YClient[] = []
    const closes: Array<{ code: number; reason: string }> = []
    for (const member of members) {
      for (let i = 0; i < 2; i++) {
        const person = session.client(member, board.id, {
          params: participantOf(board.id).params,
        })
        person.provider.on('connection-close', (event: CloseEvent | null) => {
          if (event) closes.push({ code: event.code, reason: event.reason })
        })
        people.push(person)
      }
    }
    await Promise.all(people.map((person) => person.whenSynced()))
    let edits = 0
    const timers = people.map((person, p) =>
      setInterval(() => {
        const shape = note(`p${p}-${edits % 15}`, `person ${p}, edit ${edits++}`)
        person.board.records.set(shape.id, shape)
      }, 30),
    )
    await waitFor(() => edits > 60, { what: 'the burst to flow' })
    await postgres.stop()
    const seenAtStop = people.map((person) => {
      const copy = new Y.Doc()
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(person.doc))
      return copy
    })
    await waitFor(
      () => closes.some((close) => close.code === 1011 && close.reason === 'storage unavailable'),
      { what: 'sockets closed with 1011 "storage unavailable"' },
    )
    // People go on writing while it is away; their apps keep it until the server takes it.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    await postgres.start()
    await new Promise((resolve) => setTimeout(resolve, 500))
    for (const timer of timers) clearInterval(timer)

    await waitFor(() => people.every((a) => people.every((b) => coversStateOf(a.doc, b.doc))), {
      timeoutMs: 45_000,
      what: 'everyone to converge once PostgreSQL is back',
    })
    for (const member of members) {
      const fresh = session.client(member, board.id, { params: participantOf(board.id).params })
      await fresh.whenSynced(30_000)
      await waitFor(() => people.every((person) => coversStateOf(fresh.doc, person.doc)), {
        timeoutMs: 20_000,
        what: 'a newcomer to hold everything',
      })
      for (const seen of seenAtStop) expect(missingFrom(fresh.doc, seen, false)).toEqual([])
    }
    const seqs = await boardSeqsOf(postgres.database, board.id)
    expect(seqs[0]).toBe(1)
    expect(contiguous(seqs)).toBe(true)
  })
})
