import { describe, expect, it } from 'vitest'
import { BOARD_ID_PATTERN, isBoardId, newBoardId } from './boardId.ts'

describe('board ids', () => {
  it('accepts the documented alphabet and lengths 8 to 64', () => {
    expect(isBoardId('abcdEFGH')).toBe(true)
    expect(isBoardId('a_b-c0d9')).toBe(true)
    expect(isBoardId('x'.repeat(64))).toBe(true)
  })

  it('refuses anything else', () => {
    for (const bad of [
      'short',
      'x'.repeat(65),
      'has space1',
      '../../etc',
      'abc/defgh',
      'ñandúñandú',
      '',
      42,
      null,
    ]) {
      expect(isBoardId(bad)).toBe(false)
    }
  })

  it('generates ids that match the pattern and do not repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, newBoardId))
    expect(ids.size).toBe(1000)
    for (const id of ids) expect(id).toMatch(BOARD_ID_PATTERN)
  })
})
