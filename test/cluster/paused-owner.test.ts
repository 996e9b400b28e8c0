/**
 * A board's owner is paused (`SIGSTOP`) in the middle of a burst. Another process finds its
 * heartbeat stale, ends the session holding its lock and takes the board over (a new epoch).
 * When the paused owner resumes (`SIGCONT`) it still believes it owns the board and commits what
 * its clients sent meanwhile: the commit is fenced out, it drops the room and closes its sockets
 * with 1011; they reconnect, and nothing anyone saw or wrote is lost.
 */
import { note } from '@common-ground/shared/fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBoard, participantOf } from '../support/boards.ts'
import {
  boardSeqsOf,
  clusterSettings,
  contiguous,
  missingFrom,
  ownerOf,
  processIdOf,
  startMember,
} from '../support/cluster.ts'
import { createDatabase, type TestDatabase } from '../support/postgres.ts'
import type { RunningServer } from '../support/server.ts'
import { useRestartableServers } from '../support/session.ts'
import { coversStateOf, waitFor, type YClient } from '../support/yclient.ts'

const session = useRestartableServers()
let database: TestDatabase
let members: RunningServer[] = []
beforeAll(async () => {
  database = await createDatabase()
  const settings = clusterSettings(database)
  members = await Promise.all([0, 1].map(() => startMember(settings)))
})
afterAll(async () => {
  for (const member of members) {
    if (member.process.exitCode === null) member.process.kill('SIGCONT')
  }
  await Promise.all(members.map((member) => member.stop()))
  await database?.drop()
})

describe('a paused owner', () => {
  it('is taken over, fenced on its next commit after SIGCONT, closes its sockets; nothing is lost', async () => {
    const board = await createBoard(members[0] as RunningServer, { title: 'Paused' })
    const people: YClient[] = []
    const closes: Array<{ member: RunningServer; code: number }> = []
    for (const member of members) {
      for (let i = 0; i < 2; i++) {
        const person = session.client(member, board.id, {
          params: participantOf(board.id).params,
        })
        person.provider.on('connection-close', (event: CloseEvent | null) => {
          if (event) closes.push({ member, code: event.code })
        })
        people.push(person)
      }
    }
    await Promise.all(people.map((person) => person.whenSynced()))
    const owner = await ownerOf(database, members, board.id)
    if (!owner) throw new Error('no owner')
    const other = members.find((member) => member !== owner) as RunningServer
    const [{ epoch: before } = { epoch: '0' }] = await database.query<{ epoch: string }>(
      'SELECT epoch FROM board_owners WHERE board_id = $1',
      [board.id],
    )

    let edits = 0
    let timers: NodeJS.Timeout[] = []
    const write = () => {
      timers = people.map((person, p) => {
        let own = 0
        return setInterval(() => {
          const shape = note(`p${p}-${own++ % 10}`, `person ${p}, edit ${edits++}`)
          person.board.records.set(shape.id, shape)
        }, 40)
      })
    }
    const pause = () => {
      for (const timer of timers) clearInterval(timer)
    }
    write()
    await waitFor(() => edits > 60, { what: 'the burst to flow' })
    // Paused between two commits (a quiet moment), so that it wakes up believing it owns the
    // board and commits; one paused inside a commit has that transaction ended by the takeover.
    pause()
    await new Promise((resolve) => setTimeout(resolve, 300))
    owner.process.kill('SIGSTOP')
    write()
    // The other process takes the board over once the owner's heartbeat is 5 s old.
    await pollUntil(async () => {
      const [row] = await database.query<{ owner_process: string; epoch: string }>(
        'SELECT owner_process, epoch FROM board_owners WHERE board_id = $1',
        [board.id],
      )
      return row?.owner_process === processIdOf(other) && Number(row?.epoch) > Number(before)
    }, 20_000)
    // The paused owner's clients kept writing into its sockets meanwhile.
    const writtenWhilePaused = edits
    await waitFor(() => edits > writtenWhilePaused + 20, { what: 'more edits' })
    owner.process.kill('SIGCONT')

    await owner.waitForLog((line) => line.msg === 'room dropped' && line.board === board.id, 15_000)
    const fenced = owner.logs.find(
      (line) =>
        line.msg === 'commit failed' && JSON.stringify(line.error ?? '').includes('FencedOutError'),
    )
    // Its sockets were closed with 1011 (they reconnect on their own).
    await waitFor(() => closes.some((close) => close.member === owner && close.code === 1011), {
      what: 'the paused owner’s sockets closed with 1011',
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    pause()

    await waitFor(() => people.every((a) => people.every((b) => coversStateOf(a.doc, b.doc))), {
      timeoutMs: 30_000,
      what: 'everyone to converge',
    })
    const fresh = session.client(other, board.id, { params: participantOf(board.id).params })
    await fresh.whenSynced()
    await waitFor(() => people.every((person) => coversStateOf(fresh.doc, person.doc)), {
      timeoutMs: 20_000,
      what: 'the newcomer to hold everything',
    })
    for (const person of people) expect(missingFrom(fresh.doc, person.doc, false)).toEqual([])
    const seqs = await boardSeqsOf(database, board.id)
    expect(seqs[0]).toBe(1)
    expect(contiguous(seqs)).toBe(true)
    // It was the fence that stopped it: its commit under the old epoch kept nothing.
    const story = owner.logs
      .filter((line) => /room|board|commit|session/.test(line.msg))
      .map((line) => JSON.stringify(line).slice(0, 300))
      .join('\n')
    expect(fenced, story).toBeDefined()
  })
})

async function pollUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
