/**
 * `kill -9` of a cluster process in the middle of a burst of edits from clients on every
 * process: of the board's owner, then of a process serving the board from a replica. The people
 * on the killed process reconnect to another (as a load balancer would send them), everyone
 * converges, nothing any client saw is lost, and the board's sequence has no gap.
 */
import { note } from '@common-ground/shared/fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createBoard, participantOf } from '../support/boards.ts'
import {
  boardSeqsOf,
  type ClusterSettings,
  clusterSettings,
  contiguous,
  missingFrom,
  ownerOf,
  startMember,
} from '../support/cluster.ts'
import { createDatabase, type TestDatabase } from '../support/postgres.ts'
import type { RunningServer } from '../support/server.ts'
import { useRestartableServers } from '../support/session.ts'
import { coversStateOf, waitFor, type YClient } from '../support/yclient.ts'

const session = useRestartableServers()
let database: TestDatabase
let settings: ClusterSettings
beforeAll(async () => {
  database = await createDatabase()
  settings = clusterSettings(database)
})
afterAll(async () => {
  await database?.drop()
})

interface Person {
  member: RunningServer
  params: Record<string, string>
  client: YClient
}

/** Two people on each member, each writing a note every 20 ms (20 notes each, rewritten). */
async function burst(members: RunningServer[], boardId: string) {
  const people: Person[] = []
  for (const member of members) {
    for (let i = 0; i < 2; i++) {
      const { params } = participantOf(boardId)
      people.push({ member, params, client: session.client(member, boardId, { params }) })
    }
  }
  await Promise.all(people.map((person) => person.client.whenSynced()))
  let edits = 0
  const timers = people.map((person, p) => {
    let own = 0
    return setInterval(() => {
      const shape = note(`p${p}-${own++ % 20}`, `person ${p}, edit ${edits++}`)
      person.client.board.records.set(shape.id, shape)
    }, 20)
  })
  return {
    people,
    edits: () => edits,
    stop: () => {
      for (const timer of timers) clearInterval(timer)
    },
  }
}

/** Sends the people of a killed member to `to`, keeping their documents (and unsent edits). */
function moveTo(people: Person[], from: RunningServer, to: RunningServer, boardId: string) {
  for (const person of people) {
    if (person.member !== from) continue
    const doc: Y.Doc = person.client.doc
    person.client.provider.destroy()
    person.member = to
    person.client = session.client(to, boardId, { doc, params: person.params })
  }
}

async function killMidBurst(pick: 'owner' | 'replica') {
  const members = await Promise.all([0, 1, 2].map(() => startMember(settings)))
  const board = await createBoard(members[0] as RunningServer, { title: `kill the ${pick}` })
  const run = await burst(members, board.id)
  await waitFor(() => run.edits() > 150, { what: 'the burst to flow' })
  const owner = await ownerOf(database, members, board.id)
  if (!owner) throw new Error('no owner')
  const victim = pick === 'owner' ? owner : (members.find((m) => m !== owner) as RunningServer)
  const survivors = members.filter((member) => member !== victim)
  await victim.kill9()
  // What each person had seen at the moment of the kill (their own edits included).
  const seenAtKill = run.people.map((person) => {
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(person.client.doc))
    return { person, copy }
  })
  moveTo(run.people, victim, survivors[0] as RunningServer, board.id)
  // The burst goes on for a while on the survivors, then stops.
  const before = run.edits()
  await waitFor(() => run.edits() > before + 150, { what: 'the burst to go on' })
  run.stop()

  // Everyone converges: every person holds everything every other person holds.
  await waitFor(
    () =>
      run.people.every((a) => run.people.every((b) => coversStateOf(a.client.doc, b.client.doc))),
    { timeoutMs: 30_000, what: 'everyone to converge' },
  )
  // A newcomer on each survivor gets everything anyone saw when the process died, and after.
  for (const member of survivors) {
    const fresh = session.client(member, board.id, { params: participantOf(board.id).params })
    await fresh.whenSynced()
    await waitFor(() => run.people.every((person) => coversStateOf(fresh.doc, person.client.doc)), {
      timeoutMs: 20_000,
      what: 'the newcomer to hold everything',
    })
    for (const { copy } of seenAtKill) expect(missingFrom(fresh.doc, copy, false)).toEqual([])
  }
  const seqs = await boardSeqsOf(database, board.id)
  expect(seqs[0]).toBe(1)
  expect(contiguous(seqs)).toBe(true)
  const newOwner = await ownerOf(database, survivors, board.id)
  expect(newOwner).toBeDefined()
  if (pick === 'owner') expect(newOwner).not.toBe(victim)
  for (const member of survivors) await member.stop()
}

describe('a process killed in the middle of a burst', () => {
  it('kill -9 of the board’s owner: nothing seen is lost, people reconnect elsewhere and converge', async () => {
    await killMidBurst('owner')
  })

  it('kill -9 of a process serving the board from a replica: the same', async () => {
    await killMidBurst('replica')
  })
})
