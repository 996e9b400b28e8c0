import type { TLNoteShape } from '@tldraw/tlschema'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { note, voteSession } from '../plan/fixtures.ts'
import type { Ballot } from '../vote/ballot.ts'
import {
  authorsOf,
  carryDots,
  checkMergedNote,
  MERGED_META_KEY,
  type MergeContext,
  mergedInto,
  mergeNotes,
  noteTextOf,
  partsOf,
  voteStoppingMerge,
} from './merge.ts'

function authored(id: string, text: string, by: string | null): TLNoteShape {
  const shape = note(id, text) as TLNoteShape
  return { ...shape, props: { ...shape.props, textLastEditedBy: by } } as TLNoteShape
}

/** The kept note after a merge, as a client writes it. */
function merged(target: TLNoteShape, sources: TLNoteShape[]): TLNoteShape {
  const { richText, parts } = mergeNotes(target, sources)
  return {
    ...target,
    props: { ...target.props, richText },
    meta: { ...target.meta, [MERGED_META_KEY]: parts },
  } as unknown as TLNoteShape
}

function contextOf(deleted: TLNoteShape[], onBoard: string[] = []): MergeContext {
  return {
    deleted: new Map(deleted.map((shape) => [shape.id, shape])),
    existsAfter: (id) => onBoard.includes(id),
    sessions: [],
  }
}

const arbText = fc.string({ maxLength: 40 }).map((text) => text.replace(/\s+/g, ' ').trim())
const arbAuthor = fc.option(fc.constantFrom('user:ana', 'user:ben', 'user:carla', 'user:dev'))
const arbNotes = fc
  .array(fc.tuple(arbText, arbAuthor), { minLength: 2, maxLength: 8 })
  .map((rows) => rows.map(([text, by], i) => authored(`n${i}`, text, by)))

describe('mergeNotes', () => {
  it('keeps every author and the text of each note, however the notes are merged', () => {
    fc.assert(
      fc.property(arbNotes, fc.integer({ min: 1, max: 7 }), (notes, split) => {
        // Merge in two rounds: some notes into the first, then the rest into that.
        const cut = Math.min(split, notes.length - 1)
        const first = merged(notes[0] as TLNoteShape, notes.slice(1, cut))
        const result = merged(first, notes.slice(cut))
        const text = noteTextOf(result)
        for (const original of notes) {
          expect(text).toContain(noteTextOf(original))
          expect(partsOf(result)).toContainEqual({
            id: original.id,
            text: noteTextOf(original),
            by: original.props.textLastEditedBy ?? null,
          })
        }
        const authors = new Set(notes.flatMap((n) => n.props.textLastEditedBy ?? []))
        expect(new Set(authorsOf(result))).toEqual(authors)
        expect(partsOf(result)).toHaveLength(notes.length)
        // What the server's review asks of a merge, the merge itself gives.
        const check = checkMergedNote(
          { key: first.id, before: first, after: result },
          contextOf(notes.slice(cut)),
        )
        expect(check).toEqual({ ok: true })
      }),
    )
  })

  it('refuses to merge anything but notes, and more than fifty', () => {
    const frame = { ...note('f', ''), type: 'frame' }
    expect(() => mergeNotes(note('a', 'x'), [frame])).toThrow(/only notes/)
    const many = Array.from({ length: 50 }, (_, i) => note(`m${i}`, `${i}`))
    expect(() => mergeNotes(note('a', 'x'), many)).toThrow(/at most 50/)
  })
})

describe('checkMergedNote (the write review)', () => {
  const a = authored('a', 'Youth jobs', 'user:ana')
  const b = authored('b', 'Jobs for young people', 'user:ben')
  const c = authored('c', 'Summer jobs', null)
  const good = merged(a, [b, c])

  it('accepts an honest merge and a later edit of the merged note', () => {
    expect(checkMergedNote({ key: a.id, before: a, after: good }, contextOf([b, c]))).toEqual({
      ok: true,
    })
    const edited = {
      ...good,
      props: {
        ...good.props,
        richText: (note('x', 'Jobs for youth') as TLNoteShape).props.richText,
      },
    }
    expect(checkMergedNote({ key: a.id, before: good, after: edited }, contextOf([]))).toEqual({
      ok: true,
    })
  })

  it('refuses a merge that drops an author or a text', () => {
    const parts = partsOf(good)
    const noAuthor = {
      ...good,
      meta: { [MERGED_META_KEY]: parts.map((p) => (p.id === b.id ? { ...p, by: null } : p)) },
    }
    expect(
      checkMergedNote({ key: a.id, before: a, after: noAuthor }, contextOf([b, c])),
    ).toMatchObject({ ok: false })
    const noText = { ...good, props: { ...good.props, richText: a.props.richText } }
    expect(
      checkMergedNote({ key: a.id, before: a, after: noText }, contextOf([b, c])),
    ).toMatchObject({ ok: false, message: expect.stringMatching(/text/) })
    const dropped = { ...good, meta: { [MERGED_META_KEY]: parts.slice(0, 2) } }
    // c is deleted in the same update but its part is missing: its author and text would vanish.
    expect(
      checkMergedNote({ key: a.id, before: good, after: dropped }, contextOf([c])),
    ).toMatchObject({ ok: false, message: expect.stringMatching(/keeps every/) })
    const stripped = { ...good, meta: {} }
    expect(
      checkMergedNote({ key: a.id, before: good, after: stripped }, contextOf([])),
    ).toMatchObject({ ok: false })
  })

  it('refuses parts of notes the update does not delete, and merged parts on a new note', () => {
    expect(checkMergedNote({ key: a.id, before: a, after: good }, contextOf([b]))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not one this change merges/),
    })
    expect(
      checkMergedNote({ key: a.id, before: undefined, after: good }, contextOf([b, c])),
    ).toMatchObject({ ok: false, message: expect.stringMatching(/new note/) })
    const forgedAuthor = {
      ...good,
      meta: {
        [MERGED_META_KEY]: partsOf(good).map((p) =>
          p.id === c.id ? { ...p, by: 'user:someone-else' } : p,
        ),
      },
    }
    expect(
      checkMergedNote({ key: a.id, before: a, after: forgedAuthor }, contextOf([b, c])),
    ).toMatchObject({ ok: false })
  })

  it('lets an undone merge drop the parts of the notes it brings back', () => {
    expect(
      checkMergedNote({ key: a.id, before: good, after: a }, contextOf([], [b.id, c.id])),
    ).toEqual({ ok: true })
  })
})

describe('merging while a vote runs', () => {
  const open = { id: 'v', itemIds: ['shape:a', 'shape:b'], status: 'open' as const }
  it('lets a note of an open vote merge only into another note of it', () => {
    expect(voteStoppingMerge('shape:a', ['shape:b'], [open])).toBeNull()
    expect(voteStoppingMerge('shape:x', ['shape:b'], [open])).toBe('v')
    expect(voteStoppingMerge('shape:x', ['shape:y'], [open])).toBeNull()
  })
  it('stops merging a vote’s notes while it is closed, not once it is revealed', () => {
    expect(voteStoppingMerge('shape:a', ['shape:b'], [{ ...open, status: 'closed' }])).toBe('v')
    expect(voteStoppingMerge('shape:x', ['shape:b'], [{ ...open, status: 'revealed' }])).toBeNull()
  })
  it('is part of the review of a merge', () => {
    const a = authored('a', 'A', null)
    const b = authored('b', 'B', null)
    const context = { ...contextOf([b]), sessions: [{ ...open, itemIds: ['shape:b'] }] }
    expect(checkMergedNote({ key: a.id, before: a, after: merged(a, [b]) }, context)).toMatchObject(
      { ok: false, message: expect.stringMatching(/running vote/) },
    )
  })
})

describe('carryDots (the rule for dots on merged notes)', () => {
  const arbBallot = (items: string[], cap: number) =>
    fc
      .array(fc.integer({ min: 0, max: cap }), { minLength: items.length, maxLength: items.length })
      .map((counts): Ballot => {
        const dots: Record<string, number> = {}
        counts.forEach((count, i) => {
          if (count > 0) dots[items[i] as string] = count
        })
        return { dots }
      })

  it('moves dots to the kept note up to the cap, returns the rest, never adds dots', () => {
    const items = ['shape:a', 'shape:b', 'shape:c', 'shape:d']
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.subarray(['shape:b', 'shape:c', 'shape:d'], { minLength: 1 }),
        fc.boolean(),
        (cap, merged, keptInVote) => {
          const session = voteSession({
            itemIds: keptInVote ? items : items.filter((id) => id !== 'shape:a'),
            maxDotsPerItem: cap,
            dotsPerParticipant: 20,
          })
          const into = new Map(merged.map((id) => [id, 'shape:a']))
          fc.assert(
            fc.property(arbBallot(session.itemIds, cap), (ballot) => {
              const carried = carryDots(session, ballot, into) ?? ballot
              const total = (b: Ballot) => Object.values(b.dots).reduce((x, y) => x + y, 0)
              for (const id of merged) expect(carried.dots[id]).toBeUndefined()
              const moved = merged.reduce((sum, id) => sum + (ballot.dots[id] ?? 0), 0)
              const expected = keptInVote
                ? Math.min(cap, (ballot.dots['shape:a'] ?? 0) + moved)
                : undefined
              expect(carried.dots['shape:a']).toBe(expected || undefined)
              expect(total(carried)).toBeLessThanOrEqual(total(ballot))
              // Notes not merged keep their dots.
              for (const id of session.itemIds)
                if (!merged.includes(id) && id !== 'shape:a')
                  expect(carried.dots[id]).toBe(ballot.dots[id])
              // Running it again changes nothing.
              expect(carryDots(session, carried, into)).toBeNull()
            }),
            { numRuns: 20 },
          )
        },
      ),
      { numRuns: 40 },
    )
  })

  it('finds merged notes that have left the board', () => {
    const a = authored('a', 'A', null)
    const b = authored('b', 'B', null)
    const kept = merged(a, [b])
    expect(mergedInto([kept], (id) => id === a.id)).toEqual(new Map([[b.id, a.id]]))
    expect(mergedInto([kept], () => true).size).toBe(0)
  })
})
