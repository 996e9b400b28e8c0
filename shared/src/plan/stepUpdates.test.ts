import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { boardCommands } from '../board/commands.ts'
import { BoardRules, type BoardWrite, type Writer } from '../board/writeRules.ts'
import {
  MAX_UPDATE_NOTE_LENGTH,
  type StepUpdate,
  stepKey,
  stepUpdateEntryValidator,
  stepUpdateKey,
} from './actionPlan.ts'
import { addStep, removeStep, restoreStep, setActionIssue } from './actionPlanEdits.ts'
import { derivePlan } from './derivePlan.ts'
import { boardWith, planWrites } from './fixtures.ts'
import { checkPlanEntry, PLAN, PlanDataError } from './planData.ts'
import {
  countUpdatesAfter,
  MAX_UPDATE_AGE_MS,
  MAX_UPDATE_LEAD_MS,
  MAX_UPDATES_PER_STEP,
  parseStepUpdateKey,
  postStepUpdate,
  updateCount,
} from './stepUpdates.ts'

const ISSUE = 'shape:issue1'
const rules = new BoardRules()
const participant: Writer = { role: 'participant', participantId: null, personId: null }
const facilitator: Writer = { role: 'facilitator', participantId: null, personId: null }
const observer: Writer = { role: 'observer', participantId: null, personId: null }

/** A board with one issue in the action plan and one step `s1` in it. */
function boardWithStep(): Y.Doc {
  const doc = boardWith([])
  setActionIssue(doc, ISSUE, { title: 'Safe housing', rank: 1, sessionId: null })
  addStep(doc, ISSUE, { id: 's1', what: 'Book the hall', person: 'Ana', order: 'a1' })
  return doc
}

const entry = (over: Partial<StepUpdate> = {}) => ({
  status: 'in-progress' as const,
  note: 'Called the school',
  at: Date.now(),
  by: 'Ana',
  ...over,
})

const write = (key: string, after: unknown, before?: unknown): BoardWrite => ({
  root: PLAN,
  key,
  before,
  after,
})

describe('step update entries', () => {
  it('are a status, one short line, a time and a name', () => {
    expect(stepUpdateEntryValidator.isValid(entry())).toBe(true)
    expect(stepUpdateEntryValidator.isValid(entry({ note: '' }))).toBe(true)
    expect(
      stepUpdateEntryValidator.isValid(entry({ note: 'x'.repeat(MAX_UPDATE_NOTE_LENGTH) })),
    ).toBe(true)
    const invalid = [
      entry({ note: 'x'.repeat(MAX_UPDATE_NOTE_LENGTH + 1) }),
      entry({ note: 'two\nlines' }),
      entry({ note: 'two\u2028lines' }),
      entry({ by: '   ' }),
      entry({ by: 'x'.repeat(201) }),
      entry({ at: 1.5 }),
      entry({ at: -1 }),
      { ...entry(), status: 'finished' },
      { ...entry(), extra: true },
      { status: 'done', note: '', by: 'Ana' },
    ]
    for (const value of invalid) expect(stepUpdateEntryValidator.isValid(value)).toBe(false)
  })

  it('have keys of their own under the step, known to the plan map', () => {
    const key = stepUpdateKey(ISSUE, 's1', 'u1')
    expect(key).toBe('action/updates/shape:issue1/s1/u1')
    expect(parseStepUpdateKey(key)).toEqual({ issue: ISSUE, step: 's1', update: 'u1' })
    expect(parseStepUpdateKey('action/updates/issue1/s1/u1')).toBeNull()
    expect(parseStepUpdateKey('action/updates/shape:issue1/s1/u1/x')).toBeNull()
    expect(checkPlanEntry(key, entry()).ok).toBe(true)
    expect(checkPlanEntry(key, { ...entry(), note: 7 }).ok).toBe(false)
  })
})

describe('postStepUpdate', () => {
  it('writes the entry and the status in one transaction the server accepts', () => {
    const doc = boardWithStep()
    let transactions = 0
    doc.on('afterTransaction', () => transactions++)
    const id = boardCommands(doc).postStepUpdate(ISSUE, 's1', {
      status: 'blocked',
      note: 'The hall is booked that week',
      by: 'Ana',
      at: 1000,
    })
    expect(transactions).toBe(1)
    const plan = doc.getMap<unknown>(PLAN)
    expect(plan.get(stepKey(ISSUE, 's1', 'status'))).toBe('blocked')
    expect(plan.get(stepUpdateKey(ISSUE, 's1', id))).toEqual({
      status: 'blocked',
      note: 'The hall is booked that week',
      at: 1000,
      by: 'Ana',
    })
  })

  it('passes the server review for a participant, and is refused to a view link', () => {
    const doc = boardWithStep()
    const writes = planWrites(doc, (copy) =>
      postStepUpdate(copy, ISSUE, 's1', {
        status: 'done',
        note: 'Booked',
        by: 'Ana',
        at: Date.now(),
      }),
    )
    expect(writes.map((w) => w.key).sort()).toEqual([
      stepKey(ISSUE, 's1', 'status'),
      expect.stringMatching(/^action\/updates\/shape:issue1\/s1\//),
    ])
    expect(rules.reviewUpdate(writes, participant, doc)).toBeNull()
    expect(rules.reviewUpdate(writes, facilitator, doc)).toBeNull()
    expect(rules.reviewUpdate(writes, observer, doc)?.code).toBe('read-only')
  })

  it('throws, writing nothing, for an invalid entry, a missing step or a full history', () => {
    const doc = boardWithStep()
    const post = (step: string, over: Partial<StepUpdate> = {}) =>
      postStepUpdate(doc, ISSUE, step, { ...entry(), ...over })
    const size = () => doc.getMap(PLAN).size
    const start = size()
    expect(() => post('s1', { note: 'a\nb' })).toThrow(PlanDataError)
    expect(() => post('nope')).toThrow(/no step/)
    expect(size()).toBe(start)
    for (let i = 0; i < MAX_UPDATES_PER_STEP; i++) post('s1', { id: `u${i}` })
    expect(updateCount(doc, ISSUE, 's1')).toBe(MAX_UPDATES_PER_STEP)
    expect(() => post('s1')).toThrow(/most it keeps/)
    expect(() => post('s1', { id: 'u1' })).toThrow(PlanDataError)
  })
})

describe('the server review of step updates', () => {
  const now = Date.now()
  const key = stepUpdateKey(ISSUE, 's1', 'u1')
  const status = (value: string, before = 'not-started') =>
    write(stepKey(ISSUE, 's1', 'status'), value, before)

  it('refuses a malformed entry', () => {
    const doc = boardWithStep()
    const refused = [
      [
        write(key, { ...entry(), note: 'x'.repeat(MAX_UPDATE_NOTE_LENGTH + 1) }),
        status('in-progress'),
      ],
      [write(key, { ...entry(), by: '' }), status('in-progress')],
      [write(key, 'Called the school')],
      [write('action/updates/shape:issue1/s1/u1/extra', entry()), status('in-progress')],
      [write('action/updates/shape:issue1/s 1/u1', entry()), status('in-progress')],
    ]
    for (const writes of refused)
      expect(rules.reviewUpdate(writes, participant, doc)?.code).toBe('invalid')
  })

  it('refuses an update of a step that does not exist (or is removed in the same update)', () => {
    const doc = boardWithStep()
    const other = stepUpdateKey(ISSUE, 'ghost', 'u1')
    expect(
      rules.reviewUpdate([write(other, entry({ status: 'not-started' }))], participant, doc)?.code,
    ).toBe('invalid')
    const removal = planWrites(doc, (copy) => removeStep(copy, ISSUE, 's1'))
    expect(
      rules.reviewUpdate(
        [...removal, write(key, entry({ status: 'not-started' }))],
        participant,
        doc,
      )?.code,
    ).toBe('invalid')
    // A step added in the same update exists.
    const added = planWrites(doc, (copy) => addStep(copy, ISSUE, { id: 's2', order: 'a2' }))
    expect(
      rules.reviewUpdate(
        [...added, write(stepUpdateKey(ISSUE, 's2', 'u1'), entry({ status: 'not-started' }))],
        participant,
        doc,
      ),
    ).toBeNull()
  })

  it('refuses an update whose status is not the step’s status after the update', () => {
    const doc = boardWithStep()
    expect(rules.reviewUpdate([write(key, entry())], participant, doc)?.code).toBe('invalid')
    expect(rules.reviewUpdate([write(key, entry()), status('done')], participant, doc)?.code).toBe(
      'invalid',
    )
    expect(
      rules.reviewUpdate([write(key, entry()), status('in-progress')], participant, doc),
    ).toBeNull()
    // A status that stays as it is needs no write of its own.
    expect(
      rules.reviewUpdate([write(key, entry({ status: 'not-started' }))], participant, doc),
    ).toBeNull()
  })

  it('refuses an update stamped far from the server’s clock, before or after', () => {
    const doc = boardWithStep()
    const at = (value: number) =>
      rules.reviewUpdate(
        [write(key, entry({ at: value })), status('in-progress')],
        participant,
        doc,
      )
    expect(at(now - 24 * 3_600_000)?.code).toBe('invalid')
    expect(at(now - MAX_UPDATE_AGE_MS - 60_000)?.code).toBe('invalid')
    expect(at(now + MAX_UPDATE_LEAD_MS + 60_000)?.code).toBe('invalid')
    expect(at(now - MAX_UPDATE_AGE_MS + 60_000)).toBeNull()
    expect(at(now + 1000)).toBeNull()
  })

  it('never lets anyone change an update once written', () => {
    const doc = boardWithStep()
    postStepUpdate(doc, ISSUE, 's1', { ...entry(), id: 'u1' })
    const written = doc.getMap<unknown>(PLAN).get(key)
    const changed = write(key, { ...(written as object), note: 'Something else' }, written)
    expect(rules.reviewUpdate([changed], participant, doc)?.code).toBe('invalid')
    expect(rules.reviewUpdate([changed], facilitator, doc)?.code).toBe('invalid')
    // Writing it again unchanged changes nothing, and is no edit.
    expect(rules.reviewUpdate([write(key, written, written)], participant, doc)).toBeNull()
  })

  it('lets a facilitator delete an update, and nobody else', () => {
    const doc = boardWithStep()
    postStepUpdate(doc, ISSUE, 's1', { ...entry(), id: 'u1' })
    const writes = planWrites(doc, (copy) =>
      boardCommands(copy).removeStepUpdate(ISSUE, 's1', 'u1'),
    )
    expect(writes).toHaveLength(1)
    expect(rules.reviewUpdate(writes, participant, doc)?.code).toBe('facilitators-only')
    expect(rules.reviewUpdate(writes, observer, doc)?.code).toBe('read-only')
    expect(rules.reviewUpdate(writes, facilitator, doc)).toBeNull()
    // Removing a step leaves its history, so a participant may remove a step that has one.
    const removal = planWrites(doc, (copy) => removeStep(copy, ISSUE, 's1'))
    expect(removal.some((w) => w.key.startsWith('action/updates/'))).toBe(false)
    expect(rules.reviewUpdate(removal, participant, doc)).toBeNull()
  })

  it('refuses the update past the most a step keeps, counting those in the same update', () => {
    const doc = boardWithStep()
    for (let i = 0; i < MAX_UPDATES_PER_STEP - 2; i++)
      postStepUpdate(doc, ISSUE, 's1', { ...entry({ status: 'not-started' }), id: `old${i}` })
    const fresh = (id: string) =>
      write(stepUpdateKey(ISSUE, 's1', id), entry({ status: 'not-started' }))
    expect(rules.reviewUpdate([fresh('a'), fresh('b')], participant, doc)).toBeNull()
    expect(rules.reviewUpdate([fresh('a'), fresh('b'), fresh('c')], participant, doc)?.code).toBe(
      'invalid',
    )
  })

  it('counts updates per step in one pass, with the update applied', () => {
    const count = countUpdatesAfter(
      [
        'action/updates/shape:a/s1/u1',
        'action/updates/shape:a/s1/u2',
        'action/steps/shape:a/s1/what',
      ],
      [
        { key: 'action/updates/shape:a/s1/u2', after: undefined },
        { key: 'action/updates/shape:a/s1/u3', after: {} },
        { key: 'action/updates/shape:a/s2/u1', after: {} },
      ],
    )
    expect(count('shape:a', 's1')).toBe(2)
    expect(count('shape:a', 's2')).toBe(1)
    expect(count('shape:a', 's3')).toBe(0)
  })
})

describe('the history in the derived plan', () => {
  it('lists every update newest first, the newest as the last update', () => {
    const doc = boardWithStep()
    const post = (id: string, at: number, status: 'in-progress' | 'done', note = '') =>
      postStepUpdate(doc, ISSUE, 's1', { id, at, status, note, by: 'Ana' })
    post('b', 2000, 'in-progress', 'Asked the church')
    post('a', 1000, 'in-progress', 'Called the school')
    post('c', 2000, 'done', 'Booked')
    const [step] = derivePlan(doc).actionPlan[0]?.steps ?? []
    expect(step?.history.map((update) => update.id)).toEqual(['c', 'b', 'a'])
    expect(step?.lastUpdate).toEqual({
      id: 'c',
      at: 2000,
      status: 'done',
      note: 'Booked',
      by: 'Ana',
    })
    expect(step?.status).toBe('done')
    expect(derivePlan(doc).problems).toEqual([])
  })

  it('has no history before the first update', () => {
    const [step] = derivePlan(boardWithStep()).actionPlan[0]?.steps ?? []
    expect(step?.history).toEqual([])
    expect(step?.lastUpdate).toBeNull()
  })

  it('keeps both updates two people post at the same moment', () => {
    const ana = boardWithStep()
    const ben = new Y.Doc()
    Y.applyUpdate(ben, Y.encodeStateAsUpdate(ana))
    postStepUpdate(ana, ISSUE, 's1', { ...entry({ status: 'in-progress', note: 'Ana’s' }), at: 1 })
    postStepUpdate(ben, ISSUE, 's1', { ...entry({ status: 'blocked', note: 'Ben’s' }), at: 2 })
    Y.applyUpdate(ana, Y.encodeStateAsUpdate(ben))
    Y.applyUpdate(ben, Y.encodeStateAsUpdate(ana))
    const history = (doc: Y.Doc) => derivePlan(doc).actionPlan[0]?.steps[0]?.history ?? []
    expect(history(ana).map((update) => update.note)).toEqual(['Ben’s', 'Ana’s'])
    expect(history(ben)).toEqual(history(ana))
  })

  it('comes back with a step put back after its removal, and leaves it otherwise', () => {
    const doc = boardWithStep()
    postStepUpdate(doc, ISSUE, 's1', { ...entry(), id: 'u1' })
    const removed = removeStep(doc, ISSUE, 's1')
    expect(derivePlan(doc).actionPlan[0]?.steps).toEqual([])
    expect(derivePlan(doc).problems).toEqual([])
    if (!removed) throw new Error('the step was whole')
    restoreStep(doc, ISSUE, removed)
    expect(derivePlan(doc).actionPlan[0]?.steps[0]?.history.map((u) => u.id)).toEqual(['u1'])
  })
})
