/**
 * Redis carries, never decides. With a Redis of the test's own under two cluster processes:
 * while it is down, a replica still receives what the owner commits (read from PostgreSQL), and
 * what its own people write reaches the owner once Redis is back (sent again until the owner
 * acknowledges it); when Redis's pub/sub clients are killed, what was published meanwhile is
 * caught up from PostgreSQL. Nothing is lost either way, and the sequence has no gap.
 */
import { note } from '@common-ground/shared/fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBoard, participantOf } from '../support/boards.ts'
import {
  boardSeqsOf,
  type ClusterSettings,
  clusterSettings,
  contiguous,
  type OwnRedis,
  ownerOf,
  startMember,
  startOwnRedis,
} from '../support/cluster.ts'
import { createDatabase, type TestDatabase } from '../support/postgres.ts'
import type { RunningServer } from '../support/server.ts'
import { useRestartableServers } from '../support/session.ts'
import { coversStateOf, waitFor, type YClient } from '../support/yclient.ts'

const session = useRestartableServers()
let database: TestDatabase
let redis: OwnRedis
let settings: ClusterSettings
let members: RunningServer[] = []
beforeAll(async () => {
  database = await createDatabase()
  redis = await startOwnRedis()
  settings = clusterSettings(database, redis.url)
  members = await Promise.all([0, 1].map(() => startMember(settings)))
})
afterAll(async () => {
  await Promise.all(members.map((member) => member.stop()))
  await redis?.kill()
  await database?.drop()
})

/** A person on the board's owner and one on the other process, synced. */
async function ownerAndReplica(boardId: string) {
  const first = session.client(members[0] as RunningServer, boardId, {
    params: participantOf(boardId).params,
  })
  await first.whenSynced()
  const owner = (await ownerOf(database, members, boardId)) as RunningServer
  const replicaMember = members.find((member) => member !== owner) as RunningServer
  const onOwner =
    owner === members[0]
      ? first
      : session.client(owner, boardId, {
          params: participantOf(boardId).params,
        })
  const onReplica = session.client(replicaMember, boardId, {
    params: participantOf(boardId).params,
  })
  await Promise.all([onOwner.whenSynced(), onReplica.whenSynced()])
  return { onOwner, onReplica, replicaMember, people: [first, onOwner, onReplica] }
}

const write = (person: YClient, name: string) => {
  const shape = note(name, name)
  person.board.records.set(shape.id, shape)
  return shape.id
}

describe('losing Redis costs latency, never data', () => {
  it('Redis down: the replica catches up from PostgreSQL; its people’s edits arrive once it is back', async () => {
    const board = await createBoard(members[0] as RunningServer, { title: 'No Redis' })
    const { onOwner, onReplica, replicaMember, people } = await ownerAndReplica(board.id)
    const before = write(onOwner, 'before')
    await waitFor(() => onReplica.board.records.get(before), { what: 'a first note across' })

    await redis.kill()
    const written: string[] = []
    for (let i = 0; i < 20; i++) {
      written.push(write(onOwner, `owner-${i}`), write(onReplica, `replica-${i}`))
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    // With Redis down, the owner's committed notes still reach the replica (from PostgreSQL).
    await waitFor(() => onReplica.board.records.get(note('owner-19', '').id), {
      what: 'the owner’s notes at the replica’s person, Redis down',
    })
    await redis.restart()
    await waitFor(
      () => written.every((id) => onOwner.board.records.get(id) && onReplica.board.records.get(id)),
      { timeoutMs: 30_000, what: 'every note on both sides once Redis is back' },
    )
    await waitFor(() => people.every((a) => people.every((b) => coversStateOf(a.doc, b.doc))), {
      what: 'everyone to converge',
    })
    expect(contiguous(await boardSeqsOf(database, board.id))).toBe(true)
    // The replica's process says what it took: reads from PostgreSQL, updates sent again.
    const metrics = await (await fetch(`${replicaMember.url}/metrics`)).text()
    expect(counter(metrics, 'cg_cluster_catch_ups_total')).toBeGreaterThan(0)
    expect(counter(metrics, 'cg_cluster_updates_resent_total')).toBeGreaterThan(0)
    expect(counter(metrics, 'cg_cluster_replicas')).toBeGreaterThan(0)
  })

  it('pub/sub clients killed mid-burst: what was published meanwhile is caught up', async () => {
    const board = await createBoard(members[0] as RunningServer, { title: 'Killed clients' })
    const { onOwner, onReplica, people } = await ownerAndReplica(board.id)
    const written: string[] = []
    let killed = 0
    for (let i = 0; i < 60; i++) {
      written.push(write(onOwner, `o-${i}`), write(onReplica, `r-${i}`))
      if (i % 15 === 5) {
        // Every subscriber connection of both processes, as an operator's CLIENT KILL would.
        const { execFileSync } = await import('node:child_process')
        const out = execFileSync('redis-cli', [
          '-p',
          String(redis.port),
          'CLIENT',
          'KILL',
          'TYPE',
          'pubsub',
        ])
        killed += Number(String(out).trim()) || 0
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(killed).toBeGreaterThan(0)
    await waitFor(
      () => written.every((id) => onOwner.board.records.get(id) && onReplica.board.records.get(id)),
      { timeoutMs: 30_000, what: 'every note on both sides' },
    )
    await waitFor(() => people.every((a) => people.every((b) => coversStateOf(a.doc, b.doc))), {
      what: 'everyone to converge',
    })
    expect(contiguous(await boardSeqsOf(database, board.id))).toBe(true)
  })
})

function counter(metrics: string, name: string): number {
  const line = metrics.split('\n').find((each) => each.startsWith(`${name} `))
  return Number(line?.split(' ')[1] ?? Number.NaN)
}
