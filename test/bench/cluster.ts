/**
 * Cluster mode (issue 18), real processes on this machine's PostgreSQL and Redis (a database and
 * a key prefix of the bench's own):
 * - delivery p50/p99 of a note edit to a person on the same process as the writer and on
 *   another, with the writer on the board's owner, and with the writer on a replica; and the
 *   same edit between two people on one process on SQLite (no cluster), the baseline;
 * - a dot's answer p50/p99 for a voter on the owner and on a replica (forwarded, judged by the
 *   owner, acknowledged after its commit with the answer inside);
 * - updates/s delivered with 1, 2 and 3 processes (boards owned all over, writers and readers on
 *   processes other than their board's owner when there are several);
 * - failover: `kill -9` of a board's owner, then the first commit on the new owner, and every
 *   client holding an edit made at the moment of the kill;
 * - one board with 200 people spread over three processes: time until all are synced, and
 *   delivery p50/p99 of a facilitator's edits to all of them.
 * Everything (servers, PostgreSQL, Redis, the clients) shares this machine's cores: the numbers
 * are for comparing, not for capacity planning. Also alone: `node bench/cluster.ts [--quick]`.
 */
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { note } from '@common-ground/shared/fixtures'
import { sessionKey, startVote, VOTES } from '@common-ground/shared/vote'
import { createBoard, participantOf } from '../support/boards.ts'
import { createDatabase, type TestDatabase } from '../support/postgres.ts'
import { type RunningServer, startServer } from '../support/server.ts'
import { ballotNotices } from '../support/voting.ts'
import { connectClient, waitFor, type YClient } from '../support/yclient.ts'
import { type Measurement, percentile, printTable } from './report.ts'

const suite = 'cluster'
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

async function members(database: TestDatabase, count: number): Promise<RunningServer[]> {
  const prefix = `cg-bench-${randomBytes(4).toString('hex')}:`
  return Promise.all(
    Array.from({ length: count }, () =>
      startServer({
        // The machine is shared: a start can take long when others are busy.
        timeoutMs: 90_000,
        env: {
          LOG_LEVEL: 'info',
          DATABASE_URL: database.url,
          REDIS_URL,
          CLUSTER_PREFIX: prefix,
          MAX_UPDATES_PER_SECOND: '100000',
        },
      }),
    ),
  )
}

/** Each client's connection params (its device secret), for reconnecting it elsewhere. */
const paramsOf = new WeakMap<YClient, Record<string, string>>()

function join(member: RunningServer, boardId: string): YClient {
  const { params } = participantOf(boardId)
  const client = connectClient(member.wsUrl, boardId, { params })
  paramsOf.set(client, params)
  return client
}

/** ms from a write to its arrival at `reader`, `count` times, one edit every `gapMs`. */
async function deliveries(writer: YClient, readers: YClient[], count: number, gapMs: number) {
  const times: number[][] = readers.map(() => [])
  const sentAt = new Map<string, number>()
  const off = readers.map((reader, r) => {
    const seen = new Set<string>()
    const listener = () => {
      for (const [key, at] of sentAt) {
        if (seen.has(key) || !reader.board.records.get(key as never)) continue
        seen.add(key)
        times[r]?.push(performance.now() - at)
      }
    }
    reader.doc.on('update', listener)
    return () => reader.doc.off('update', listener)
  })
  for (let i = 0; i < count; i++) {
    const shape = note(`d${randomBytes(3).toString('hex')}-${i}`, `delivery ${i}`)
    sentAt.set(shape.id, performance.now())
    writer.board.records.set(shape.id, shape)
    await new Promise((resolve) => setTimeout(resolve, gapMs))
  }
  await waitFor(() => times.every((list) => list.length === count), {
    timeoutMs: 30_000,
    what: 'every delivery',
  })
  for (const stop of off) stop()
  return times
}

async function deliveryRows(database: TestDatabase, quick: boolean): Promise<Measurement[]> {
  const [a, b] = (await members(database, 2)) as [RunningServer, RunningServer]
  const clients: YClient[] = []
  try {
    const board = await createBoard(a, { title: 'Delivery' })
    // The first to open the board makes its process the owner: `a`.
    const onOwner = join(a, board.id)
    await onOwner.whenSynced()
    const sameProcess = join(a, board.id)
    const otherProcess = join(b, board.id)
    const onReplica = join(b, board.id)
    clients.push(onOwner, sameProcess, otherProcess, onReplica)
    await Promise.all(clients.map((client) => client.whenSynced()))
    const count = quick ? 60 : 300
    const [same, other] = await deliveries(onOwner, [sameProcess, otherProcess], count, 30)
    const [fromReplicaSame, fromReplicaOwner] = await deliveries(
      onReplica,
      [otherProcess, sameProcess],
      count,
      30,
    )
    const rows: Measurement[] = []
    const add = (label: string, times: number[] = []) => {
      for (const p of [50, 99]) {
        rows.push({
          suite,
          metric: `delivery, ${label}, p${p}`,
          value: Number(percentile(times, p).toFixed(2)),
          unit: 'ms',
          note: `${times.length} edits, one every 30 ms`,
        })
      }
    }
    add('writer on the owner → reader on the same process', same)
    add('writer on the owner → reader on another process', other)
    add('writer on a replica → reader on that replica', fromReplicaSame)
    add('writer on a replica → reader on the owner', fromReplicaOwner)
    return rows
  } finally {
    for (const client of clients) client.destroy()
    await Promise.all([a, b].map((member) => member.stop()))
  }
}

/** The same edits between two people on one process on SQLite: what the cluster is held to. */
async function sqliteBaseline(quick: boolean): Promise<Measurement[]> {
  const server = await startServer({
    timeoutMs: 90_000,
    env: { MAX_UPDATES_PER_SECOND: '100000' },
  })
  const clients: YClient[] = []
  try {
    const board = await createBoard(server, { title: 'Baseline' })
    const writer = join(server, board.id)
    const reader = join(server, board.id)
    clients.push(writer, reader)
    await Promise.all(clients.map((client) => client.whenSynced()))
    const count = quick ? 60 : 300
    const [times = []] = await deliveries(writer, [reader], count, 30)
    return [50, 99].map((p) => ({
      suite,
      metric: `delivery, one process on SQLite (no cluster), p${p}`,
      value: Number(percentile(times, p).toFixed(2)),
      unit: 'ms',
      note: `${times.length} edits, one every 30 ms`,
    }))
  } finally {
    for (const client of clients) client.destroy()
    await server.stop()
  }
}

/** ms from sending a dot until its answer (the voter's ballot) arrives, `count` times. */
async function dotAnswers(voter: YClient, sessionId: string, count: number): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < count; i++) {
    const seen = ballotNotices(voter, sessionId).length
    const started = performance.now()
    // On and off one note: within any budget, every request accepted.
    voter.sendDot({ sessionId, itemId: 'shape:a', delta: i % 2 === 0 ? 1 : -1 })
    await waitFor(() => ballotNotices(voter, sessionId).length > seen, {
      intervalMs: 1,
      what: 'the answer to a dot',
    })
    times.push(performance.now() - started)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return times
}

async function dotRows(database: TestDatabase, quick: boolean): Promise<Measurement[]> {
  const [a, b] = (await members(database, 2)) as [RunningServer, RunningServer]
  const clients: YClient[] = []
  try {
    const board = await createBoard(a, { title: 'Dots' })
    const lead = connectClient(a.wsUrl, board.id, {
      params: participantOf(board.id, 'facilitate').params,
    })
    clients.push(lead)
    await lead.whenSynced()
    const onOwner = join(a, board.id)
    const onReplica = join(b, board.id)
    clients.push(onOwner, onReplica)
    await Promise.all(clients.map((client) => client.whenSynced()))
    const vote = startVote(lead.doc, {
      id: 'bench',
      title: 'Which first?',
      itemIds: ['shape:a', 'shape:b'],
      now: Date.now(),
    })
    await waitFor(
      () =>
        [onOwner, onReplica].every((client) => client.doc.getMap(VOTES).has(sessionKey(vote.id))),
      { what: 'the vote at both voters' },
    )
    const count = quick ? 40 : 200
    const rows: Measurement[] = []
    for (const [label, voter] of [
      ['voter on the owner', onOwner],
      ['voter on a replica', onReplica],
    ] as const) {
      const times = await dotAnswers(voter, vote.id, count)
      for (const p of [50, 99]) {
        rows.push({
          suite,
          metric: `dot answered, ${label}, p${p}`,
          value: Number(percentile(times, p).toFixed(2)),
          unit: 'ms',
          note: `${count} dots, one at a time`,
        })
      }
    }
    return rows
  } finally {
    for (const client of clients) client.destroy()
    await Promise.all([a, b].map((member) => member.stop()))
  }
}

/**
 * Updates/s delivered: BOARDS boards, each owned by process i % n; per board one writer and one
 * reader on other processes than its owner (when there are others), the writers offering one
 * new note every 4 ms each for `seconds`; counted when the reader holds it.
 */
async function throughput(database: TestDatabase, n: number, quick: boolean): Promise<number> {
  const boards = 6
  const seconds = quick ? 3 : 8
  const cluster = await members(database, n)
  const clients: YClient[] = []
  try {
    const pairs: Array<{ writer: YClient; reader: YClient }> = []
    for (let i = 0; i < boards; i++) {
      const owner = cluster[i % n] as RunningServer
      const board = await createBoard(owner, { title: `Throughput ${i}` })
      const first = join(owner, board.id)
      await first.whenSynced()
      clients.push(first)
      const writer = join(cluster[(i + 1) % n] as RunningServer, board.id)
      const reader = join(cluster[(i + 2) % n] as RunningServer, board.id)
      clients.push(writer, reader)
      pairs.push({ writer, reader })
    }
    await Promise.all(clients.map((client) => client.whenSynced()))
    let written = 0
    const started = performance.now()
    const timers = pairs.map(({ writer }, b) =>
      setInterval(() => {
        const shape = note(`t${b}-${written++}`, 'x')
        writer.board.records.set(shape.id, shape)
      }, 4),
    )
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
    for (const timer of timers) clearInterval(timer)
    const expected = pairs.map(({ writer }) => writer.board.records.map.size)
    await waitFor(
      () => pairs.every(({ reader }, b) => reader.board.records.map.size >= (expected[b] ?? 0)),
      { timeoutMs: 60_000, what: 'every note delivered' },
    )
    const elapsed = (performance.now() - started) / 1000
    const delivered = pairs.reduce((sum, { writer }) => sum + writer.board.records.map.size, 0)
    return Math.round(delivered / elapsed)
  } finally {
    for (const client of clients) client.destroy()
    await Promise.all(cluster.map((member) => member.stop()))
  }
}

async function failover(database: TestDatabase): Promise<Measurement[]> {
  const cluster = await members(database, 3)
  const [a, b, c] = cluster as [RunningServer, RunningServer, RunningServer]
  const clients: YClient[] = []
  try {
    const board = await createBoard(a, { title: 'Failover' })
    const first = join(a, board.id)
    await first.whenSynced()
    clients.push(first)
    for (const member of [a, b, b, c, c]) clients.push(join(member, board.id))
    await Promise.all(clients.map((client) => client.whenSynced()))
    const writer = clients[2] as YClient // on b
    const [{ head } = { head: '0' }] = await database.query<{ head: string }>(
      'SELECT max(board_seq) AS head FROM board_updates WHERE board_id = $1',
      [board.id],
    )
    const killedAt = performance.now()
    await a.kill9()
    // The people on `a` reconnect to `b`, as a balancer would send them, keeping their docs.
    const moved = clients.slice(0, 2).map((client) => {
      client.provider.destroy()
      return connectClient(b.wsUrl, board.id, {
        doc: client.doc,
        params: paramsOf.get(client) ?? participantOf(board.id).params,
      })
    })
    const marker = note('after-the-kill', 'written as the owner died')
    writer.board.records.set(marker.id, marker)
    const everyone = [...moved, ...clients.slice(2)]
    // Both watched at once: the first commit on the new owner, and everyone holding the edit.
    const synced = waitFor(
      () =>
        everyone.every((client) => client.provider.synced && client.board.records.get(marker.id)),
      { timeoutMs: 60_000, intervalMs: 5, what: 'every client synced after the kill' },
    ).then(() => performance.now())
    let committedAt = 0
    while (committedAt === 0 && performance.now() - killedAt < 60_000) {
      const [row] = await database.query<{ head: string | null }>(
        'SELECT max(board_seq) AS head FROM board_updates WHERE board_id = $1',
        [board.id],
      )
      if (Number(row?.head) > Number(head)) committedAt = performance.now()
      else await new Promise((resolve) => setTimeout(resolve, 10))
    }
    const syncedAt = await synced
    for (const client of moved) client.destroy()
    return [
      {
        suite,
        metric: 'failover: kill -9 of the owner → first commit on the new owner',
        value: Math.round(committedAt - killedAt),
        unit: 'ms',
        note: '3 processes, 6 people, one writing',
      },
      {
        suite,
        metric: 'failover: kill -9 of the owner → every client synced with an edit made then',
        value: Math.round(syncedAt - killedAt),
        unit: 'ms',
        note: 'the owner’s people reconnect to another process at once',
      },
    ]
  } finally {
    for (const client of clients.slice(2)) client.destroy()
    await Promise.all(cluster.map((member) => member.stop()))
  }
}

/** One board, `people` people spread over three processes, one of them editing. */
async function crowd(database: TestDatabase, people: number, quick: boolean) {
  const cluster = await members(database, 3)
  const clients: YClient[] = []
  try {
    const board = await createBoard(cluster[0] as RunningServer, { title: 'Crowd' })
    const lead = join(cluster[0] as RunningServer, board.id)
    await lead.whenSynced()
    clients.push(lead)
    const started = performance.now()
    for (let i = 1; i < people; i++) {
      clients.push(join(cluster[i % 3] as RunningServer, board.id))
      if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 50)) // arrivals
    }
    await Promise.all(clients.map((client) => client.whenSynced(120_000)))
    const joined = performance.now() - started
    const readers = clients.slice(1)
    const edits = quick ? 20 : 60
    const times = (await deliveries(lead, readers, edits, 250)).flat()
    return [
      {
        suite,
        metric: `${people} people on one board over 3 processes: all synced`,
        value: Math.round(joined),
        unit: 'ms',
        note: 'arriving 20 at a time, 50 ms apart',
      },
      ...[50, 99].map((p) => ({
        suite,
        metric: `${people} people on one board over 3 processes: delivery p${p}`,
        value: Number(percentile(times, p).toFixed(1)),
        unit: 'ms',
        note: `${edits} edits of the facilitator (on the owner), to each of the others`,
      })),
    ]
  } finally {
    for (const client of clients) client.destroy()
    await Promise.all(cluster.map((member) => member.stop()))
  }
}

export async function clusterBench(quick: boolean): Promise<Measurement[]> {
  const database = await createDatabase()
  try {
    const rows = await deliveryRows(database, quick)
    rows.push(...(await sqliteBaseline(quick)))
    rows.push(...(await dotRows(database, quick)))
    for (const n of [1, 2, 3]) {
      rows.push({
        suite,
        metric: `updates/s delivered, ${n} process${n === 1 ? '' : 'es'}`,
        value: await throughput(database, n, quick),
        unit: '/s',
        note: '6 boards, a writer (a note every 4 ms) and a reader each, off the owner when n > 1',
      })
    }
    rows.push(...(await failover(database)))
    rows.push(...(await crowd(database, 200, quick)))
    return rows
  } finally {
    await database.drop()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable(await clusterBench(process.argv.includes('--quick')))
}
