/**
 * The BoardStore contract, one suite run against every store (MemoryBoardStore.test.ts,
 * SqliteBoardStore.test.ts, PostgresBoardStore.test.ts): whatever the rooms, the API and the
 * history rely on, checked the same way everywhere. What only one store has (a file, a trigger
 * of its own, a size cap) is tested beside it.
 */
import { newLinkToken, openBoardDoc, readBoardMeta } from '@common-ground/shared/board'
import type { NoteRecord } from '@common-ground/shared/facilitation'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { newLinkTokens } from '../access/LinkStore.ts'
import { createBoard, seedUpdate } from '../boards.ts'
import {
  type BallotChange,
  BoardLimitError,
  type BoardRecord,
  type BoardStore,
  type PrivateNoteChange,
  type StoredBallot,
  type StoredPrivateNote,
} from './BoardStore.ts'
import { restoreDoc } from './restore.ts'

/** Where one test's boards live: opened again, a store finds what an earlier one made durable. */
export interface StoreBacking {
  open(): Promise<BoardStore>
  /** Removes what the test stored. */
  dispose(): Promise<void>
}

export const board: BoardRecord = {
  id: 'board-0001',
  title: 'Retreat',
  template: 'retreat',
  createdAt: 1_700_000_000_000,
}
const other: BoardRecord = { id: 'board-0002', title: 'Other', template: 'blank', createdAt: 2 }

/** The top-level types these tests use (Y.Doc.toJSON only lists types already opened). */
function contentOf(doc: Y.Doc) {
  return {
    meta: doc.getMap('meta').toJSON(),
    records: doc.getArray('records').toJSON(),
    notes: doc.getMap('notes').toJSON(),
    order: doc.getArray('order').toJSON(),
  }
}

/** Edits a doc and collects each transaction's update, as a room would receive them. */
export function editsOf(doc: Y.Doc, count: number): Uint8Array[] {
  const updates: Uint8Array[] = []
  const collect = (update: Uint8Array) => updates.push(update)
  doc.on('update', collect)
  const notes = doc.getMap<string>('notes')
  for (let i = 0; i < count; i++) {
    doc.transact(() => {
      notes.set(`note-${i % 7}`, `text ${i}`)
      doc.getArray<number>('order').push([i])
    })
  }
  doc.off('update', collect)
  return updates
}

export function oneEdit(): Uint8Array {
  const [update] = editsOf(new Y.Doc(), 1)
  if (!update) throw new Error('no update')
  return update
}

const note = (id: string, text: string): NoteRecord => ({
  id,
  typeName: 'shape',
  type: 'note',
  parentId: 'shape:issues',
  x: 40.5,
  y: -12,
  props: { richText: { type: 'doc', content: [{ type: 'text', text }] }, color: 'yellow' },
  meta: {},
})

const put = (sessionId: string, participantId: string, dots: Record<string, number>) =>
  ({ boardId: board.id, sessionId, participantId, ballot: { dots } }) satisfies BallotChange

const byBallot = (ballots: StoredBallot[]) =>
  [...ballots].sort((a, b) =>
    `${a.sessionId}/${a.participantId}`.localeCompare(`${b.sessionId}/${b.participantId}`),
  )
const byNote = (notes: StoredPrivateNote[]) =>
  [...notes].sort((a, b) => a.record.id.localeCompare(b.record.id))

export function boardStoreContract(name: string, newBacking: () => Promise<StoreBacking>): void {
  describe(`${name}: the BoardStore contract`, () => {
    let backing: StoreBacking
    const opened: BoardStore[] = []
    let store: BoardStore
    /** The same storage opened anew, after closing the current store. */
    const reopen = async () => {
      await store.close()
      store = await backing.open()
      opened.push(store)
      return store
    }

    beforeEach(async () => {
      backing = await newBacking()
      store = await backing.open()
      opened.push(store)
    })
    afterEach(async () => {
      for (const each of opened.splice(0)) await each.close()
      await backing.dispose()
    })

    describe('boards', () => {
      it('creates a board once, with its seed as the first update', async () => {
        expect(await store.createBoard(board, seedUpdate(board))).toBe(true)
        expect(await store.createBoard({ ...board, title: 'Other' }, seedUpdate(board))).toBe(false)
        expect(await store.getBoard(board.id)).toEqual(board)
        expect(await store.getBoard('board-none')).toBeNull()
        expect(await store.countBoards()).toBe(1)

        const { snapshot, updates } = await store.loadUpdates(board.id)
        expect(snapshot).toBeNull()
        expect(updates).toHaveLength(1)
        const { doc } = restoreDoc({ snapshot, updates })
        expect(readBoardMeta(doc)).toMatchObject({ title: 'Retreat', template: 'retreat' })
      })

      it('never holds more than maxBoards, however many creations race, through two stores', async () => {
        // Two stores on the same backing, as two processes on one database would be.
        const second = await backing.open()
        opened.push(second)
        const attempts = Array.from({ length: 8 }, (_, i) =>
          (i % 2 === 0 ? store : second)
            .createBoard({ ...other, id: `board-race-${i}` }, seedUpdate(other), newLinkTokens(), {
              maxBoards: 3,
            })
            .then(
              (created) => (created ? 'created' : 'taken'),
              (error: Error) => error.name,
            ),
        )
        const outcomes = await Promise.all(attempts)
        expect(outcomes.filter((outcome) => outcome === 'created')).toHaveLength(3)
        expect(outcomes.filter((outcome) => outcome === 'BoardLimitError')).toHaveLength(5)
        expect(await store.countBoards()).toBe(3)
        // No limit (0), or room under it: creations go on.
        expect(
          await store.createBoard({ ...other, id: 'board-free' }, undefined, undefined, {}),
        ).toBe(true)
        await expect(
          store.createBoard({ ...other, id: 'board-over' }, undefined, undefined, { maxBoards: 4 }),
        ).rejects.toThrow(BoardLimitError)
        expect(
          await store.createBoard({ ...other, id: 'board-room' }, undefined, undefined, {
            maxBoards: 6,
          }),
        ).toBe(true)
      })

      it('creates a board without a first update or links, and knows nothing of others', async () => {
        expect(await store.createBoard(other)).toBe(true)
        expect(await store.loadUpdates(other.id)).toEqual({ snapshot: null, updates: [] })
        expect(await store.getLinks(other.id)).toBeNull()
        expect(await store.loadUpdates('board-none')).toEqual({ snapshot: null, updates: [] })
        expect(await store.loadBallots('board-none')).toEqual([])
        expect(await store.loadPrivateNotes('board-none')).toEqual([])
        expect(await store.loadClientOwners('board-none')).toEqual([])
        expect(await store.listVersions('board-none')).toEqual([])
        expect(await store.countBoards()).toBe(1)
      })
    })

    describe('the update log', () => {
      it('reloads exactly the state that was appended, and again after compaction', async () => {
        const original = new Y.Doc()
        Y.applyUpdate(original, seedUpdate(board))
        await store.createBoard(board, Y.encodeStateAsUpdate(original))
        const updates = editsOf(original, 40)
        const seqs = await store.appendUpdates(
          updates.map((update) => ({ boardId: board.id, update })),
        )
        expect(seqs).toHaveLength(40)
        expect([...seqs].sort((a, b) => a - b)).toEqual(seqs)
        expect(new Set(seqs).size).toBe(40)

        const loaded = restoreDoc(await store.loadUpdates(board.id))
        expect(loaded.failures).toEqual([])
        expect(loaded.tailLength).toBe(41)
        expect(loaded.lastSeq).toBe(seqs.at(-1))
        expect(contentOf(loaded.doc)).toEqual(contentOf(original))
        expect(Y.encodeStateVector(loaded.doc)).toEqual(Y.encodeStateVector(original))

        await store.compact(board.id, Y.encodeStateAsUpdate(loaded.doc), loaded.lastSeq)
        const more = editsOf(original, 5)
        await store.appendUpdates(more.map((update) => ({ boardId: board.id, update })))

        // Opened again: what is durable is what counts.
        await reopen()
        const stored = await store.loadUpdates(board.id)
        expect(stored.snapshot?.upToSeq).toBe(loaded.lastSeq)
        expect(stored.updates).toHaveLength(5)
        const reloaded = restoreDoc(stored)
        expect(reloaded.tailLength).toBe(5)
        expect(contentOf(reloaded.doc)).toEqual(contentOf(original))
        expect(Y.encodeStateAsUpdate(reloaded.doc)).toEqual(Y.encodeStateAsUpdate(original))
        expect(openBoardDoc(reloaded.doc).records.get('document:document')?.typeName).toBe(
          'document',
        )
      })

      it('keeps bytes exactly as they were given', async () => {
        const every = Uint8Array.from({ length: 256 }, (_, i) => i)
        await store.createBoard(board, every)
        await store.appendUpdates([{ boardId: board.id, update: new Uint8Array([0, 0, 255]) }])
        const { updates } = await store.loadUpdates(board.id)
        expect(updates.map((update) => update.data)).toEqual([every, new Uint8Array([0, 0, 255])])
        expect(updates.every((update) => update.data.constructor === Uint8Array)).toBe(true)
      })

      it('numbers updates across the store, increasing, never reusing a compacted number', async () => {
        await store.createBoard(board)
        await store.createBoard(other)
        const first = await store.appendUpdates([
          { boardId: board.id, update: oneEdit() },
          { boardId: other.id, update: oneEdit() },
          { boardId: board.id, update: oneEdit() },
        ])
        expect([...first].sort((a, b) => a - b)).toEqual(first)
        expect(new Set(first).size).toBe(3)
        const top = Math.max(...first)
        // Every update of one board folded away, then the store opened again.
        await store.compact(board.id, new Uint8Array([1]), top)
        await reopen()
        const [next] = await store.appendUpdates([{ boardId: board.id, update: oneEdit() }])
        expect(next).toBeGreaterThan(top)
        const otherLog = await store.loadUpdates(other.id)
        expect(otherLog.updates.map((update) => update.seq)).toEqual([first[1]])
      })

      it('compacts one board: drops only its updates the snapshot covers', async () => {
        await store.createBoard(board)
        await store.createBoard(other)
        const [a1, b1, a2] = await store.appendUpdates([
          { boardId: board.id, update: oneEdit() },
          { boardId: other.id, update: oneEdit() },
          { boardId: board.id, update: oneEdit() },
        ])
        await store.compact(board.id, new Uint8Array([7]), Number(a1))
        const kept = await store.loadUpdates(board.id)
        expect(kept.snapshot).toEqual({ upToSeq: a1, data: new Uint8Array([7]) })
        expect(kept.updates.map((update) => update.seq)).toEqual([a2])
        expect((await store.loadUpdates(other.id)).updates.map((update) => update.seq)).toEqual([
          b1,
        ])
      })

      it('keeps a newer snapshot when an older compaction arrives late', async () => {
        await store.createBoard(board, seedUpdate(board))
        await store.compact(board.id, new Uint8Array([1]), 10)
        await store.compact(board.id, new Uint8Array([2]), 5)
        expect((await store.loadUpdates(board.id)).snapshot).toEqual({
          upToSeq: 10,
          data: new Uint8Array([1]),
        })
      })

      it('appends a turn in one transaction: all of it or none', async () => {
        await store.createBoard(board, seedUpdate(board))
        // The last entry names a board that does not exist: the whole turn fails.
        await expect(
          store.appendUpdates(
            [
              { boardId: board.id, update: oneEdit() },
              { boardId: 'missing-board', update: oneEdit() },
            ],
            {
              claims: [{ boardId: board.id, client: 17, device: 'device-a' }],
              ballots: [put('vote-1', 'ana', { 'shape:a': 1 })],
              privateNotes: [
                {
                  boardId: board.id,
                  participantId: 'ana',
                  round: 1,
                  noteId: 'shape:n1',
                  record: note('shape:n1', 'kept?'),
                },
              ],
            },
          ),
        ).rejects.toThrow()
        // Nor does something kept with the turn for an unknown board let the rest through.
        await expect(
          store.appendUpdates([{ boardId: board.id, update: oneEdit() }], {
            ballots: [{ ...put('vote-1', 'ana', { 'shape:a': 1 }), boardId: 'missing-board' }],
          }),
        ).rejects.toThrow()
        expect((await store.loadUpdates(board.id)).updates).toHaveLength(1)
        expect(await store.loadClientOwners(board.id)).toEqual([])
        expect(await store.loadBallots(board.id)).toEqual([])
        expect(await store.loadPrivateNotes(board.id)).toEqual([])
        // The store is still usable afterwards.
        expect(await store.appendUpdates([{ boardId: board.id, update: oneEdit() }])).toHaveLength(
          1,
        )
      })

      it('answers an empty turn with no numbers, and stores what is kept without updates', async () => {
        await store.createBoard(board)
        expect(await store.appendUpdates([])).toEqual([])
        expect(await store.appendUpdates([], {})).toEqual([])
        expect(
          await store.appendUpdates([], { ballots: [put('vote-1', 'ana', { 'shape:a': 2 })] }),
        ).toEqual([])
        expect(await store.loadBallots(board.id)).toEqual([
          { sessionId: 'vote-1', participantId: 'ana', ballot: { dots: { 'shape:a': 2 } } },
        ])
        expect((await store.loadUpdates(board.id)).updates).toEqual([])
      })
    })

    describe('kept with the turn', () => {
      it('gives a client id to the first device that used it', async () => {
        await store.createBoard(board)
        await store.createBoard(other)
        // Yjs client ids are unsigned 32-bit: the largest must come back as it went in.
        const big = 4_294_967_295
        await store.appendUpdates([{ boardId: board.id, update: oneEdit() }], {
          claims: [
            { boardId: board.id, client: 17, device: 'device-a' },
            { boardId: board.id, client: big, device: 'device-b' },
            { boardId: other.id, client: 17, device: 'device-c' },
          ],
        })
        await store.appendUpdates([], {
          claims: [{ boardId: board.id, client: 17, device: 'device-z' }],
        })
        await reopen()
        const owners = (await store.loadClientOwners(board.id)).sort((a, b) => a[0] - b[0])
        expect(owners).toEqual([
          [17, 'device-a'],
          [big, 'device-b'],
        ])
        expect(await store.loadClientOwners(other.id)).toEqual([[17, 'device-c']])
      })

      it('keeps ballots: put, replaced, removed, and every ballot of a vote forgotten', async () => {
        await store.createBoard(board)
        await store.createBoard(other)
        await store.appendUpdates([], {
          ballots: [
            put('vote-1', 'ana', { 'shape:a': 1 }),
            put('vote-1', 'ben', { 'shape:b': 2 }),
            { ...put('vote-2', 'ana', { 'shape:c': 1 }), ballot: { dots: {}, name: 'Ana Ñúñez' } },
            { ...put('vote-1', 'ana', { 'shape:a': 1 }), boardId: other.id },
          ],
        })
        await store.appendUpdates([], {
          ballots: [
            put('vote-1', 'ana', { 'shape:a': 3 }), // replaced
            { boardId: board.id, sessionId: 'vote-1', participantId: 'ben', ballot: null },
          ],
        })
        expect(byBallot(await store.loadBallots(board.id))).toEqual([
          { sessionId: 'vote-1', participantId: 'ana', ballot: { dots: { 'shape:a': 3 } } },
          { sessionId: 'vote-2', participantId: 'ana', ballot: { dots: {}, name: 'Ana Ñúñez' } },
        ])

        // One turn: a ballot, the vote forgotten (its outcome written), then a ballot after it.
        await store.appendUpdates([{ boardId: board.id, update: oneEdit() }], {
          ballots: [
            put('vote-1', 'cy', { 'shape:a': 1 }),
            { boardId: board.id, sessionId: 'vote-1', forget: true },
            put('vote-1', 'dee', { 'shape:b': 1 }),
          ],
        })
        await reopen()
        expect(byBallot(await store.loadBallots(board.id))).toEqual([
          { sessionId: 'vote-1', participantId: 'dee', ballot: { dots: { 'shape:b': 1 } } },
          { sessionId: 'vote-2', participantId: 'ana', ballot: { dots: {}, name: 'Ana Ñúñez' } },
        ])
        // Another board's vote of the same id is its own.
        expect(await store.loadBallots(other.id)).toEqual([
          { sessionId: 'vote-1', participantId: 'ana', ballot: { dots: { 'shape:a': 1 } } },
        ])
      })

      it('keeps private notes: put, replaced, removed, and all of a board forgotten', async () => {
        await store.createBoard(board)
        await store.createBoard(other)
        const keep = (
          noteId: string,
          participantId: string,
          record: NoteRecord | null,
          boardId = board.id,
        ): PrivateNoteChange => ({ boardId, participantId, round: 3, noteId, record })
        await store.appendUpdates([], {
          privateNotes: [
            keep('shape:n1', 'ana', note('shape:n1', 'first')),
            keep('shape:n2', 'ben', note('shape:n2', 'Ideas: «café» 🎯')),
            keep('shape:n3', 'ben', note('shape:n3', 'to go')),
            keep('shape:n1', 'ana', note('shape:n1', 'elsewhere'), other.id),
          ],
        })
        await store.appendUpdates([], {
          privateNotes: [
            keep('shape:n1', 'ana', note('shape:n1', 'typed on')),
            keep('shape:n3', 'ben', null),
          ],
        })
        await reopen()
        expect(byNote(await store.loadPrivateNotes(board.id))).toEqual([
          { participantId: 'ana', round: 3, record: note('shape:n1', 'typed on') },
          { participantId: 'ben', round: 3, record: note('shape:n2', 'Ideas: «café» 🎯') },
        ])

        // One turn: a note, the reveal forgets the board's notes, then a note of the next round.
        await store.appendUpdates([{ boardId: board.id, update: oneEdit() }], {
          privateNotes: [
            keep('shape:n4', 'cy', note('shape:n4', 'late')),
            { boardId: board.id, forget: true },
            { ...keep('shape:n5', 'dee', note('shape:n5', 'next round')), round: 4 },
          ],
        })
        expect(await store.loadPrivateNotes(board.id)).toEqual([
          { participantId: 'dee', round: 4, record: note('shape:n5', 'next round') },
        ])
        expect(await store.loadPrivateNotes(other.id)).toEqual([
          { participantId: 'ana', round: 3, record: note('shape:n1', 'elsewhere') },
        ])
      })
    })

    describe('links', () => {
      const linked: BoardRecord = {
        id: 'links-0001',
        title: 'Retreat',
        template: 'blank',
        createdAt: 1,
      }

      it('stores a board with its links, and only once', async () => {
        const links = newLinkTokens()
        expect(await store.createBoard(linked, seedUpdate(linked), links)).toBe(true)
        expect(await store.getLinks(linked.id)).toEqual(links)
        expect(await store.createBoard(linked, seedUpdate(linked), newLinkTokens())).toBe(false)
        expect(await store.getLinks(linked.id)).toEqual(links)
        expect(await store.countBoards()).toBe(1)
        expect(await store.getLinks('links-none')).toBeNull()
      })

      it('creates boards through boards.ts with links and a seed', async () => {
        const { board: created, tokens } = await createBoard(store, {
          title: 'Made',
          template: 'retreat',
        })
        expect(await store.getBoard(created.id)).toEqual(created)
        expect(await store.getLinks(created.id)).toEqual(tokens)
        expect((await store.loadUpdates(created.id)).updates).toHaveLength(1)
      })

      it('gives a board without links its links once, and none to an unknown board', async () => {
        await store.createBoard(linked, seedUpdate(linked))
        expect(await store.getLinks(linked.id)).toBeNull()
        const links = newLinkTokens()
        expect(await store.addLinks(linked.id, links)).toBe(true)
        expect(await store.addLinks(linked.id, newLinkTokens())).toBe(false)
        expect(await store.getLinks(linked.id)).toEqual(links)
        expect(await store.addLinks('links-none', newLinkTokens())).toBe(false)
        expect(await store.getLinks('links-none')).toBeNull()
      })

      it('replaces one link and leaves the others', async () => {
        const links = newLinkTokens()
        await store.createBoard(linked, seedUpdate(linked), links)
        const fresh = newLinkTokens().edit
        expect(await store.rotateLink(linked.id, 'edit', fresh)).toBe(true)
        expect(await store.getLinks(linked.id)).toEqual({ ...links, edit: fresh })
        expect(await store.rotateLink('links-none', 'edit', fresh)).toBe(false)
      })

      it('replaces the calendar key alone, and sets one on a board that had none', async () => {
        const links = newLinkTokens()
        await store.createBoard(linked, seedUpdate(linked), links)
        const fresh = newLinkToken()
        expect(await store.rotateLink(linked.id, 'calendar', fresh)).toBe(true)
        expect(await store.getLinks(linked.id)).toEqual({ ...links, calendar: fresh })
        // A board from before calendar keys: replacing gives it one.
        const { calendar: _none, ...three } = newLinkTokens()
        const older = { ...linked, id: 'links-0002' }
        await store.createBoard(older, seedUpdate(older), three)
        expect(await store.rotateLink(older.id, 'calendar', fresh)).toBe(true)
        expect(await store.getLinks(older.id)).toEqual({ ...three, calendar: fresh })
        // A board without links gets no calendar key.
        const linkless = { ...linked, id: 'links-0003' }
        await store.createBoard(linkless, seedUpdate(linkless))
        expect(await store.rotateLink(linkless.id, 'calendar', fresh)).toBe(false)
        expect(await store.getLinks(linkless.id)).toBeNull()
      })

      it('gives a board from before calendar keys one key, once, and a board without links none', async () => {
        const { calendar: _none, ...three } = newLinkTokens()
        await store.createBoard(linked, seedUpdate(linked), three)
        expect(await store.getLinks(linked.id)).toEqual(three)
        const first = newLinkToken()
        const [one, two] = await Promise.all([
          store.ensureCalendarKey(linked.id, first),
          store.ensureCalendarKey(linked.id, newLinkToken()),
        ])
        expect(one).toBe(first)
        expect(two).toBe(first)
        expect(await store.getLinks(linked.id)).toEqual({ ...three, calendar: first })
        const linkless = { ...linked, id: 'links-0004' }
        await store.createBoard(linkless, seedUpdate(linkless))
        expect(await store.ensureCalendarKey(linkless.id, newLinkToken())).toBeNull()
        expect(await store.ensureCalendarKey('links-none', newLinkToken())).toBeNull()
        expect(await store.getLinks(linkless.id)).toBeNull()
      })
    })

    describe('versions', () => {
      const version = (name: string, auto: boolean, data: number[], boardId = board.id) => ({
        boardId,
        name,
        auto,
        createdAt: 1_700_000_000_000 + data.length,
        data: new Uint8Array(data),
      })

      it('saves versions with increasing ids and lists them newest first, without data', async () => {
        await store.createBoard(board)
        await store.createBoard(other)
        const first = await store.saveVersion(version('Before lunch', false, [1, 2, 3]))
        const second = await store.saveVersion(version('auto', true, [4, 5]))
        const elsewhere = await store.saveVersion(version('Theirs', false, [6], other.id))
        expect(second).toBeGreaterThan(first)
        expect(elsewhere).toBeGreaterThan(second)
        expect(await store.listVersions(board.id)).toEqual([
          {
            id: second,
            boardId: board.id,
            name: 'auto',
            auto: true,
            createdAt: 1_700_000_000_002,
            bytes: 2,
          },
          {
            id: first,
            boardId: board.id,
            name: 'Before lunch',
            auto: false,
            createdAt: 1_700_000_000_003,
            bytes: 3,
          },
        ])
        expect(await store.getVersion(board.id, first)).toEqual({
          id: first,
          boardId: board.id,
          name: 'Before lunch',
          auto: false,
          createdAt: 1_700_000_000_003,
          bytes: 3,
          data: new Uint8Array([1, 2, 3]),
        })
        // A version is found through its own board only.
        expect(await store.getVersion(board.id, elsewhere)).toBeNull()
        expect(await store.getVersion(board.id, elsewhere + 1000)).toBeNull()
      })

      it('replaces a version’s document, keeping its name and time', async () => {
        await store.createBoard(board)
        await store.createBoard(other)
        const id = await store.saveVersion(version('Named', false, [1, 2, 3]))
        expect(await store.replaceVersionData(board.id, id, new Uint8Array([9]))).toBe(true)
        expect(await store.replaceVersionData(other.id, id, new Uint8Array([8]))).toBe(false)
        expect(await store.replaceVersionData(board.id, id + 1000, new Uint8Array([8]))).toBe(false)
        await reopen()
        expect(await store.getVersion(board.id, id)).toMatchObject({
          name: 'Named',
          createdAt: 1_700_000_000_003,
          bytes: 1,
          data: new Uint8Array([9]),
        })
      })

      it('prunes automatic versions beyond the newest few, never named ones', async () => {
        await store.createBoard(board)
        await store.createBoard(other)
        const named = await store.saveVersion(version('Named', false, [1]))
        const autos: number[] = []
        for (let i = 0; i < 5; i++) autos.push(await store.saveVersion(version('auto', true, [i])))
        const theirs = await store.saveVersion(version('auto', true, [1], other.id))
        await store.pruneAutoVersions(board.id, 2)
        expect((await store.listVersions(board.id)).map((v) => v.id)).toEqual([
          autos[4],
          autos[3],
          named,
        ])
        expect((await store.listVersions(other.id)).map((v) => v.id)).toEqual([theirs])
      })
    })
  })
}
