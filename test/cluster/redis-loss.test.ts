/**
 * Redis carries, never decides. With a Redis of the test's own under two cluster processes:
 * while it is down, a replica still receives what the owner commits (read from PostgreSQL), and
 * what its own people write reaches the owner once Redis is back (sent again until the owner
 * acknowledges it); when Redis's pub/sub clients are killed, what was published meanwhile is
 * caught up from PostgreSQL. Nothing is lost either way, and the sequence has no gap. A dot cast
 * through the replica while the pub/sub clients are being killed is sent again until the owner
 * acknowledges it, counted once, and answered once.
 */
import { execFile } from 'node:child_process'
import type { Notice } from '@common-ground/shared/board'
import { BRAINSTORM, FACILITATION, hideNotes } from '@common-ground/shared/facilitation'
import { note } from '@common-ground/shared/fixtures'
import { stageFrameId } from '@common-ground/shared/plan'
import { sessionKey, startVote, VOTES } from '@common-ground/shared/vote'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBoard, participantOf } from '../support/boards.ts'
import {
  boardSeqsOf,
  type ClusterSettings,
  clusterSettings,
  contiguous,
  type OwnRedis,
  ownerOf,
  processIdOf,
  startMember,
  startOwnRedis,
} from '../support/cluster.ts'
import { createDatabase, type TestDatabase } from '../support/postgres.ts'
import type { RunningServer } from '../support/server.ts'
import { useRestartableServers } from '../support/session.ts'
import { ballotNotices } from '../support/voting.ts'
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

  it('a replica opened while Redis is down: its person’s edits are kept and arrive once Redis is back', async () => {
    const board = await createBoard(members[0] as RunningServer, { title: 'Opened without Redis' })
    const onOwner = session.client(members[0] as RunningServer, board.id, {
      params: participantOf(board.id).params,
    })
    await onOwner.whenSynced()
    expect(await ownerOf(database, members, board.id)).toBe(members[0])
    const before = write(onOwner, 'before')

    await redis.kill()
    // Nobody had this board open on the other process: its replica is opened now, from
    // PostgreSQL alone, and its person's join cannot reach the owner yet.
    const late = session.client(members[1] as RunningServer, board.id, {
      params: participantOf(board.id).params,
    })
    await late.whenSynced()
    const closes: number[] = []
    late.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) closes.push(event.code)
    })
    await waitFor(() => late.board.records.get(before), { what: 'the board as committed' })
    const written: string[] = []
    for (let i = 0; i < 10; i++) {
      written.push(write(onOwner, `o-${i}`), write(late, `late-${i}`))
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    await waitFor(() => late.board.records.get(note('o-9', '').id), {
      what: 'the owner’s notes at the late person, Redis down',
    })
    await redis.restart()
    await waitFor(
      () => written.every((id) => onOwner.board.records.get(id) && late.board.records.get(id)),
      { timeoutMs: 30_000, what: 'every note on both sides once Redis is back' },
    )
    await waitFor(
      () => coversStateOf(onOwner.doc, late.doc) && coversStateOf(late.doc, onOwner.doc),
      {
        what: 'everyone to converge',
      },
    )
    // The owner knows the late person (its join was sent again): the welcome came through, and
    // the socket stayed open all along.
    await waitFor(() => (late.notices as Notice[]).some((n) => n.kind === 'welcome'), {
      what: 'the welcome from the owner',
    })
    expect(closes).toEqual([])
    expect(contiguous(await boardSeqsOf(database, board.id))).toBe(true)
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

  it('a dot cast through a replica while the pub/sub clients are killed is counted once and answered once', async () => {
    const board = await createBoard(members[0] as RunningServer, { title: 'Dots without Redis' })
    const lead = session.client(members[0] as RunningServer, board.id, {
      params: participantOf(board.id, 'facilitate').params,
    })
    await lead.whenSynced()
    const owner = (await ownerOf(database, members, board.id)) as RunningServer
    expect(owner).toBe(members[0])
    const replicaMember = members[1] as RunningServer
    const ana = participantOf(board.id)
    const onReplica = session.client(replicaMember, board.id, { params: ana.params })
    await onReplica.whenSynced()
    const vote = startVote(lead.doc, {
      id: 'lossy',
      title: 'Which first?',
      itemIds: ['shape:a', 'shape:b'],
      now: Date.now(),
    })
    await waitFor(() => onReplica.doc.getMap(VOTES).has(sessionKey(vote.id)), {
      what: 'the vote on the replica',
    })

    const resent = async () =>
      counter(await metricsOf(replicaMember), 'cg_cluster_updates_resent_total') || 0
    const storedDots = async () => {
      const rows = await database.query<{ ballot: { dots: Record<string, number> } }>(
        'SELECT ballot FROM board_ballots WHERE board_id = $1 AND participant_id = $2',
        [board.id, ana.participantId],
      )
      return rows.map((row) => row.ballot.dots)
    }
    const answers = () => ballotNotices(onReplica, vote.id).length

    // The dot leaves the replica while every subscriber is away: Redis drops it on its way to
    // the owner (nothing is stored), and the replica sends it again once they are back.
    let resentBefore = await resent()
    await subscribersAway(async () => {
      onReplica.sendDot({ sessionId: vote.id, itemId: 'shape:a', delta: 1 })
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect(await storedDots()).toEqual([])
    })
    await waitFor(() => answers() === 1, { what: 'the answer to the first dot' })
    expect(ballotNotices(onReplica, vote.id)[0]?.dots).toEqual({ 'shape:a': 1 })
    expect(await resent()).toBeGreaterThan(resentBefore)

    // The dot reaches the owner, which stores it, but its acknowledgement (and answer) finds the
    // replica's subscriber away: the replica sends it again, the owner recognises it and only
    // answers again.
    resentBefore = await resent()
    await subscribersAway(async () => {
      onReplica.sendDot({ sessionId: vote.id, itemId: 'shape:b', delta: 1 })
      const deadline = Date.now() + 15_000
      while ((await storedDots())[0]?.['shape:b'] !== 1) {
        if (Date.now() > deadline) throw new Error('the second dot was not stored')
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      expect(answers()).toBe(1)
    }, processIdOf(replicaMember))
    await waitFor(() => answers() === 2, { what: 'the answer to the second dot' })
    expect(ballotNotices(onReplica, vote.id)[1]?.dots).toEqual({ 'shape:a': 1, 'shape:b': 1 })
    expect(await resent()).toBeGreaterThan(resentBefore)

    // One answer per request, however many times the request or its ack travelled.
    await new Promise((resolve) => setTimeout(resolve, 2000))
    expect(ballotNotices(onReplica, vote.id).map((notice) => notice.dots)).toEqual([
      { 'shape:a': 1 },
      { 'shape:a': 1, 'shape:b': 1 },
    ])
    expect(await storedDots()).toEqual([{ 'shape:a': 1, 'shape:b': 1 }])
  })
})
it('a private note sent through a replica while the subscribers are away is kept once and answered once', async () => {
  const board = await createBoard(members[0] as RunningServer, {
    title: 'Private notes without Redis',
    template: 'retreat',
  })
  const lead = session.client(members[0] as RunningServer, board.id, {
    params: participantOf(board.id, 'facilitate').params,
  })
  await lead.whenSynced()
  expect(await ownerOf(database, members, board.id)).toBe(members[0])
  const replicaMember = members[1] as RunningServer
  const onReplica = session.client(replicaMember, board.id, {
    params: participantOf(board.id).params,
  })
  await onReplica.whenSynced()
  const facilitation = lead.doc.getMap(FACILITATION)
  facilitation.set(BRAINSTORM, hideNotes(facilitation.get(BRAINSTORM) as never, 'issues'))
  const round = (facilitation.get(BRAINSTORM) as { serial: number }).serial
  await waitFor(
    () =>
      (onReplica.doc.getMap(FACILITATION).get(BRAINSTORM) as { serial?: number } | undefined)
        ?.serial === round,
    { what: 'the hidden round on the replica' },
  )
  const idea = (id: string) =>
    note(id, `private ${id}`, { parentId: stageFrameId('issues'), x: 40, y: 60 })
  const kept = async () =>
    (
      await database.query<{ note_id: string }>(
        'SELECT note_id FROM board_private_notes WHERE board_id = $1 ORDER BY note_id',
        [board.id],
      )
    ).map((row) => row.note_id)
  const answers = () =>
    (onReplica.notices as Notice[]).filter(
      (n) => n.kind === 'private-note' && !('record' in n && n.record),
    )

  // Lost on its way to the owner: nothing kept until the replica sends it again.
  const first = idea('first')
  await subscribersAway(async () => {
    onReplica.sendPrivateNote({ round, rev: 1, id: first.id, record: first as never })
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await kept()).toEqual([])
  })
  await waitFor(() => answers().length === 1, { what: 'the answer about the first note' })
  // Kept by the owner, its answer lost on the way back: sent again, answered once.
  const second = idea('second')
  await subscribersAway(async () => {
    onReplica.sendPrivateNote({ round, rev: 1, id: second.id, record: second as never })
    const deadline = Date.now() + 15_000
    while ((await kept()).length < 2) {
      if (Date.now() > deadline) throw new Error('the second note was not kept')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(answers()).toHaveLength(1)
  }, processIdOf(replicaMember))
  await waitFor(() => answers().length === 2, { what: 'the answer about the second note' })
  await new Promise((resolve) => setTimeout(resolve, 2000))
  expect(answers()).toMatchObject([
    { kind: 'private-note', round, id: first.id, rev: 1 },
    { kind: 'private-note', round, id: second.id, rev: 1 },
  ])
  expect(await kept()).toEqual([first.id, second.id].sort())
})

async function metricsOf(member: RunningServer): Promise<string> {
  return (await fetch(`${member.url}/metrics`)).text()
}

/** redis-cli on the test's own Redis; `admin`: as a user of the test's own (see below). */
function cli(args: string[], admin = false): Promise<string> {
  const as = admin ? ['--user', 'cg-admin', '--pass', 'cg-admin', '--no-auth-warning'] : []
  return new Promise((resolve, reject) =>
    execFile('redis-cli', ['-p', String(redis.port), ...as, ...args], (error, out) =>
      error ? reject(error) : resolve(out),
    ),
  )
}

/**
 * Runs `work` while pub/sub clients are away, as after an operator's CLIENT KILL: every one, or
 * only the subscriber of the process `only`. The `default` user is switched off meanwhile, so
 * the killed ones cannot come back before `work` is done (connections already open, the
 * publishers', keep working): what is published to them meanwhile is gone, whatever the timing.
 */
async function subscribersAway(work: () => Promise<void>, only?: string): Promise<void> {
  await cli(['ACL', 'SETUSER', 'cg-admin', 'on', '>cg-admin', '~*', '&*', '+@all'])
  await cli(['ACL', 'SETUSER', 'default', 'off'], true)
  try {
    let killed = 0
    if (only) {
      const list = await cli(['CLIENT', 'LIST', 'TYPE', 'pubsub'], true)
      for (const line of list.split('\n')) {
        const id = /\bid=(\d+)/.exec(line)?.[1]
        if (id && line.includes(`name=common-ground/${only} `)) {
          killed += Number(await cli(['CLIENT', 'KILL', 'ID', id], true)) || 0
        }
      }
    } else {
      killed = Number(await cli(['CLIENT', 'KILL', 'TYPE', 'pubsub'], true)) || 0
    }
    expect(killed).toBeGreaterThan(0)
    await work()
  } finally {
    await cli(['ACL', 'SETUSER', 'default', 'on'], true)
  }
}

function counter(metrics: string, name: string): number {
  const line = metrics.split('\n').find((each) => each.startsWith(`${name} `))
  return Number(line?.split(' ')[1] ?? Number.NaN)
}
