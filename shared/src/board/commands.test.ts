import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readGather, readStage, STAGE } from '../facilitation/agenda.ts'
import { hideNotes, readBrainstorm, WHOLE_BOARD } from '../facilitation/brainstorm.ts'
import { doneKey, FACILITATION } from '../facilitation/facilitationKeys.ts'
import { lockKey } from '../facilitation/stageLock.ts'
import { readTimer, setTimer } from '../facilitation/timer.ts'
import type { StageId } from '../plan/template.ts'
import { participantIdFor, personIdFor } from './access.ts'
import { BOARD_COMMAND_NAMES, boardCommands } from './commands.ts'
import { BoardRules, type BoardWrite } from './writeRules.ts'

const ROSA = 'rosa-secret-rosa-secret-rosa'
const me = personIdFor(ROSA, 'board-commands')
const myBallots = participantIdFor(ROSA, 'board-commands')
const rules = new BoardRules()

/** The facilitation writes one command makes, as the server's review would list them. */
function writesOf(doc: Y.Doc, run: () => void): BoardWrite[] {
  const map = doc.getMap<unknown>(FACILITATION)
  const before = new Map(map.entries())
  run()
  const keys = new Set([...before.keys(), ...map.keys()])
  return [...keys]
    .filter((key) => JSON.stringify(before.get(key)) !== JSON.stringify(map.get(key)))
    .map((key) => ({ root: FACILITATION, key, before: before.get(key), after: map.get(key) }))
}

describe('board commands', () => {
  it('binds every command to the doc', () => {
    const commands = boardCommands(new Y.Doc())
    for (const name of BOARD_COMMAND_NAMES) expect(typeof commands[name]).toBe('function')
    expect(BOARD_COMMAND_NAMES).toContain('promoteTopIssues')
    expect(BOARD_COMMAND_NAMES).toContain('setStage')
  })

  it('writes what the server accepts from a facilitator, and nothing else', () => {
    const doc = new Y.Doc()
    const board = boardCommands(doc)
    const facilitator = { role: 'facilitator' as const, participantId: myBallots, personId: me }
    const participant = { role: 'participant' as const, participantId: myBallots, personId: me }
    const steps: Array<[string, () => void]> = [
      ['setStage', () => board.setStage('issues')],
      ['gatherEveryone', () => board.gatherEveryone({ x: 0, y: 0, w: 800, h: 600 }, 'page:page')],
      ['setRoomTimer', () => board.setRoomTimer(setTimer(5))],
      ['setBrainstorm', () => board.setBrainstorm(hideNotes(null, WHOLE_BOARD))],
      ['setStageLocks', () => board.setStageLocks(['issues', 'vote'], true)],
    ]
    for (const [name, step] of steps) {
      const writes = writesOf(doc, step)
      expect(writes.length, name).toBeGreaterThan(0)
      expect(rules.reviewUpdate(writes, facilitator, doc), name).toBeNull()
      // The same change from a participant is refused: the rule is the server's, not the UI's.
      expect(rules.reviewUpdate(writes, participant, doc)?.code, name).toBe('facilitators-only')
    }
    const map = doc.getMap<unknown>(FACILITATION)
    expect(readStage(map.get(STAGE))).toBe('issues')
    expect(readGather(map.get('gather'))?.serial).toBe(1)
    expect(readTimer(map.get('timer'))?.durationMs).toBe(5 * 60_000)
    expect(readBrainstorm(map.get('brainstorm'))?.hidden).toBe(true)
    expect(map.get(lockKey('vote'))).toBe(true)

    // Unlocking and ending the timer remove their keys: the map holds only what is in force.
    board.setStageLocks(['vote'], false)
    board.setRoomTimer(null)
    expect(map.has(lockKey('vote'))).toBe(false)
    expect(map.has('timer')).toBe(false)
    expect(map.get(lockKey('issues'))).toBe(true)
  })

  it('"done" is the one mark a participant writes, for themselves only', () => {
    const doc = new Y.Doc()
    const board = boardCommands(doc)
    const writes = writesOf(doc, () => board.markDone(me, { stage: 'issues', at: 1 }))
    expect(writes.map((write) => write.key)).toEqual([doneKey(me)])
    const writer = { role: 'participant' as const, participantId: myBallots, personId: me }
    expect(rules.reviewUpdate(writes, writer, doc)).toBeNull()
    const other = personIdFor('somebody-else-entirely-x', 'board-commands')
    expect(rules.reviewUpdate(writes, { ...writer, personId: other }, doc)?.code).toBe('not-yours')
    // The id ballots are kept under is not the one a done mark belongs to.
    expect(
      rules.reviewUpdate(
        writes,
        { role: 'participant', participantId: myBallots, personId: null },
        doc,
      )?.code,
    ).toBe('not-yours')
    board.markDone(me, null)
    expect(doc.getMap(FACILITATION).has(doneKey(me))).toBe(false)
  })

  it('refuses a bad value before writing anything', () => {
    const doc = new Y.Doc()
    const board = boardCommands(doc)
    let updates = 0
    doc.on('update', () => updates++)
    expect(() => board.setStage('lunch' as StageId)).toThrow()
    expect(() => board.setRoomTimer({ durationMs: -5 } as never)).toThrow()
    expect(() => board.markDone(me, { stage: 'issues', at: Number.NaN })).toThrow()
    expect(updates).toBe(0)
  })
})
