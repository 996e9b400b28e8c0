import { describe, expect, it } from 'vitest'
import { note } from '../plan/fixtures.ts'
import {
  MAX_PRIVATE_NOTES_PER_PERSON,
  type NoteRecord,
  PrivateNoteBox,
  readPrivateNoteRequest,
} from './privateNotes.ts'

const idea = (id: string) => note(id, `idea ${id}`) as unknown as NoteRecord

describe('the private notes of a round', () => {
  it('keeps each note for its writer only, and counts notes and writers', () => {
    const box = new PrivateNoteBox()
    expect(box.put('ana', idea('a1'))).toBe(null)
    expect(box.put('ana', { ...idea('a1'), x: 5 })).toBe(null) // a change to her own note
    expect(box.put('ben', idea('b1'))).toBe(null)
    expect(box.put('ben', idea('a1'))).toBe('notYours')
    expect(box.remove('ben', 'shape:a1')).toBe(false)
    expect(box.notesOf('ana')).toEqual([{ ...idea('a1'), x: 5 }])
    expect(box.noteOf('ben', 'shape:a1')).toBeUndefined()
    expect(box.count(3)).toEqual({ round: 3, notes: 2, people: 2 })
    expect(box.remove('ana', 'shape:a1')).toBe(true)
    expect(box.count(3)).toEqual({ round: 3, notes: 1, people: 1 })
    expect(box.records()).toEqual([idea('b1')])
  })

  it('holds at most so many notes per person; changing a kept one is always allowed', () => {
    const box = new PrivateNoteBox()
    for (let i = 0; i < MAX_PRIVATE_NOTES_PER_PERSON; i++)
      expect(box.put('ana', idea(`n${i}`))).toBe(null)
    expect(box.put('ana', idea('over'))).toBe('tooMany')
    expect(box.put('ana', { ...idea('n0'), y: 9 })).toBe(null)
    expect(box.put('ben', idea('over'))).toBe(null)
  })

  it('reads only well-formed requests: a note of the same id, or null', () => {
    const request = { round: 2, rev: 1, id: 'shape:a1', record: idea('a1') }
    expect(readPrivateNoteRequest(JSON.stringify(request))).toEqual(request)
    expect(readPrivateNoteRequest(JSON.stringify({ ...request, record: null }))).toEqual({
      ...request,
      record: null,
    })
    for (const bad of [
      { ...request, id: 'shape:other' },
      { ...request, round: 0 },
      { ...request, rev: -1 },
      { ...request, id: 'page:page', record: { ...idea('a1'), id: 'page:page' } },
      { ...request, record: { ...idea('a1'), type: 'geo' } },
      { round: 2, rev: 1, id: 'shape:a1' },
      [request],
    ]) {
      expect(readPrivateNoteRequest(JSON.stringify(bad))).toBe(null)
    }
    expect(readPrivateNoteRequest('{')).toBe(null)
    expect(readPrivateNoteRequest(JSON.stringify({ ...request, pad: 'x'.repeat(20_000) }))).toBe(
      null,
    )
  })
})
