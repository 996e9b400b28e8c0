import { describe, expect, it } from 'vitest'
import { note } from '../plan/fixtures.ts'
import {
  AUTHOR_META_KEY,
  type Brainstorm,
  hideNotes,
  isHiddenFrom,
  readBrainstorm,
  revealNotes,
  WHOLE_BOARD,
} from './brainstorm.ts'

const mine = { ...note('a', 'mine'), meta: { [AUTHOR_META_KEY]: 'pana' } }
const theirs = { ...note('b', 'theirs'), meta: { [AUTHOR_META_KEY]: 'pben' } }
const unknown = note('c', 'seeded')

describe('private brainstorm', () => {
  it('hides others’ notes in the stage while hidden, shows all after the reveal', () => {
    const round = hideNotes(null, 'issues')
    expect(round).toEqual({ hidden: true, stage: 'issues', serial: 1 })
    expect(isHiddenFrom(mine, 'pana', round, true)).toBe(false)
    expect(isHiddenFrom(theirs, 'pana', round, true)).toBe(true)
    expect(isHiddenFrom(unknown, 'pana', round, true)).toBe(true)
    // Outside the stage, and shapes that are not notes, stay visible.
    expect(isHiddenFrom(theirs, 'pana', round, false)).toBe(false)
    expect(isHiddenFrom({ type: 'frame', meta: {} }, 'pana', round, true)).toBe(false)
    const revealed = revealNotes(round)
    expect(revealed).toEqual({ hidden: false, stage: 'issues', serial: 1 })
    expect(isHiddenFrom(theirs, 'pana', revealed, true)).toBe(false)
    // The next round has a new number.
    expect(hideNotes(revealed, WHOLE_BOARD)).toEqual({ hidden: true, stage: '', serial: 2 })
  })

  it('over the whole board hides others’ notes anywhere; a viewer without an id sees none', () => {
    const round: Brainstorm = { hidden: true, stage: WHOLE_BOARD, serial: 3 }
    expect(isHiddenFrom(theirs, 'pana', round, false)).toBe(true)
    expect(isHiddenFrom(mine, null, round, false)).toBe(true)
  })

  it('reads only well-formed states', () => {
    expect(readBrainstorm({ hidden: false, stage: 'vote', serial: 2 })).toEqual({
      hidden: false,
      stage: 'vote',
      serial: 2,
    })
    expect(readBrainstorm({ hidden: true })).toBe(null)
    expect(readBrainstorm(undefined)).toBe(null)
  })
})
