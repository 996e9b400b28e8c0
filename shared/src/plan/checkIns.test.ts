import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { boardCommands } from '../board/commands.ts'
import { BoardRules, type BoardWrite, type Writer } from '../board/writeRules.ts'
import { addStep, setActionIssue } from './actionPlanEdits.ts'
import {
  finishCheckIn,
  moveCheckIn,
  removeCheckIn,
  scheduleCheckIns,
  setCheckInRecord,
  startCheckIn,
} from './checkInEdits.ts'
import {
  addDays,
  CHECK_IN_SECTIONS,
  type CheckIn,
  checkInFieldValidators,
  checkInKey,
  checkInState,
  checkInUpdates,
  checkInValues,
  dueCheckIn,
  MAX_ATTENDEES,
  MAX_CHECK_INS,
  parseCheckInKey,
  presetDates,
} from './checkIns.ts'
import { derivePlan } from './derivePlan.ts'
import { blankIndicatorEntry } from './evaluation.ts'
import { boardWith, planWrites } from './fixtures.ts'
import { postIndicatorValue } from './indicatorTracking.ts'
import { checkPlanEntry, PLAN, PlanDataError } from './planData.ts'
import { localDate } from './progress.ts'
import { MAX_UPDATE_AGE_MS, MAX_UPDATE_LEAD_MS, postStepUpdate } from './stepUpdates.ts'

const ISSUE = 'shape:issue1'
const rules = new BoardRules()
const participant: Writer = { role: 'participant', participantId: null, personId: null }
const facilitator: Writer = { role: 'facilitator', participantId: null, personId: null }
const observer: Writer = { role: 'observer', participantId: null, personId: null }
const write = (key: string, after: unknown, before?: unknown): BoardWrite => ({
  root: PLAN,
  key,
  before,
  after,
})

describe('scheduling dates', () => {
  it('adds calendar days across months, leap days and DST changes', () => {
    expect(addDays('2026-01-31', 30)).toBe('2026-03-02')
    expect(addDays('2028-02-01', 30)).toBe('2028-03-02')
    // Madrid and New York change clocks in March; a plain date does not care.
    expect(addDays('2026-03-01', 30)).toBe('2026-03-31')
    expect(addDays('2026-12-15', 30)).toBe('2027-01-14')
    expect(presetDates('2026-05-04')).toEqual(['2026-06-03', '2026-07-03', '2026-08-02'])
    expect(presetDates('2026-05-04', [7])).toEqual(['2026-05-11'])
  })

  it('counts from the retreat’s date in the facilitator’s time zone', () => {
    // A board made at 23:30 UTC on 9 March: the 10th in Madrid, still the 9th in Los Angeles.
    const createdAt = Date.UTC(2026, 2, 9, 23, 30)
    expect(presetDates(localDate(createdAt, 'Europe/Madrid'))).toEqual([
      '2026-04-09',
      '2026-05-09',
      '2026-06-08',
    ])
    expect(presetDates(localDate(createdAt, 'America/Los_Angeles'))).toEqual([
      '2026-04-08',
      '2026-05-08',
      '2026-06-07',
    ])
    // Kiritimati (UTC+14) is a day ahead of UTC by early afternoon.
    expect(presetDates(localDate(Date.UTC(2026, 0, 1, 11), 'Pacific/Kiritimati'))[0]).toBe(
      '2026-02-01',
    )
  })
})

describe('check-in keys and values', () => {
  it('have one key per field, known to the plan map', () => {
    const key = checkInKey('c1', 'date')
    expect(key).toBe('followUp/checkIns/c1/date')
    expect(parseCheckInKey(key)).toEqual({ id: 'c1', field: 'date' })
    expect(parseCheckInKey('followUp/checkIns/c1/notes')).toBeNull()
    expect(parseCheckInKey('followUp/checkIns/c 1/date')).toBeNull()
    expect(checkPlanEntry(key, '2026-06-03').ok).toBe(true)
    expect(checkPlanEntry(key, '2026-02-30').ok).toBe(false)
    expect(checkPlanEntry('followUp/checkIns/c1/extra', 'x').ok).toBe(false)
  })

  it('validate each field', () => {
    const valid: [keyof typeof checkInFieldValidators, unknown][] = [
      ['title', ''],
      ['title', '30-day check-in'],
      ['startedAt', 1_700_000_000_000],
      ['attended', ['Ana', 'Luis']],
      ['attended', []],
      ['blockers', 'x'.repeat(4000)],
    ]
    for (const [field, value] of valid)
      expect(checkInFieldValidators[field].isValid(value)).toBe(true)
    const invalid: [keyof typeof checkInFieldValidators, unknown][] = [
      ['title', 'two\nlines'],
      ['title', 'x'.repeat(201)],
      ['date', '3 June'],
      ['startedAt', 1.5],
      ['startedAt', -1],
      ['finishedAt', '2026-06-03'],
      ['attended', ['Ana', ' ']],
      ['attended', ['Ana', 'Ana']],
      ['attended', [' Ana']],
      ['attended', 'Ana'],
      ['attended', Array.from({ length: MAX_ATTENDEES + 1 }, (_, i) => `P${i}`)],
      ['decisions', 'x'.repeat(4001)],
    ]
    for (const [field, value] of invalid)
      expect(checkInFieldValidators[field].isValid(value), `${field} ${value}`).toBe(false)
  })

  it('puts the indicators after the steps in the agenda, in one list', () => {
    expect(CHECK_IN_SECTIONS).toEqual([
      'attendance',
      'steps',
      'indicators',
      'blockers',
      'decisions',
    ])
  })
})

/** A board with one issue, one step `s1` and the three preset check-ins (c30, c60, c90). */
function boardWithCheckIns(): Y.Doc {
  const doc = boardWith([])
  setActionIssue(doc, ISSUE, { title: 'Safe housing', rank: 1, sessionId: null })
  addStep(doc, ISSUE, { id: 's1', what: 'Book the hall', person: 'Ana', order: 'a1' })
  addStep(doc, ISSUE, { id: 's2', what: 'Call the school', person: 'Luis', order: 'a2' })
  const dates = presetDates('2026-05-04')
  scheduleCheckIns(
    doc,
    [30, 60, 90].map((days, i) => ({
      id: `c${days}`,
      date: dates[i] as string,
      title: `${days}-day check-in`,
    })),
  )
  return doc
}

describe('running a check-in', () => {
  it('is derived into the plan by date, with its record and the updates posted while it ran', () => {
    const doc = boardWithCheckIns()
    const commands = boardCommands(doc)
    commands.moveCheckIn('c30', '2026-06-01')
    commands.renameCheckIn('c90', 'Summer review')
    postStepUpdate(doc, ISSUE, 's1', { status: 'in-progress', note: 'Before', by: 'Ana', at: 900 })
    commands.startCheckIn('c30', 1000)
    commands.setCheckInRecord('c30', 'attended', [' Ana ', 'Luis', 'Ana', ''])
    postStepUpdate(doc, ISSUE, 's1', {
      status: 'blocked',
      note: 'Hall closed',
      by: 'Ana',
      at: 1100,
    })
    commands.setCheckInRecord('c30', 'blockers', 'The hall is closed in June')
    commands.setCheckInRecord('c30', 'decisions', 'Ask the library')
    commands.finishCheckIn('c30', 1200)
    postStepUpdate(doc, ISSUE, 's2', { status: 'done', note: 'After', by: 'Luis', at: 1300 })

    const plan = derivePlan(doc)
    expect(plan.problems).toEqual([])
    expect(plan.checkIns).toEqual([
      {
        id: 'c30',
        title: '30-day check-in',
        date: '2026-06-01',
        startedAt: 1000,
        finishedAt: 1200,
        attended: ['Ana', 'Luis'],
        blockers: 'The hall is closed in June',
        decisions: 'Ask the library',
      },
      expect.objectContaining({ id: 'c60', date: '2026-07-03', startedAt: null }),
      expect.objectContaining({ id: 'c90', title: 'Summer review', date: '2026-08-02' }),
    ])
    const [held, next] = plan.checkIns
    expect(checkInState(held as CheckIn)).toBe('finished')
    expect(checkInState(next as CheckIn)).toBe('scheduled')
    expect(dueCheckIn(plan.checkIns)?.id).toBe('c60')
    const updates = checkInUpdates(plan.actionPlan, held as CheckIn)
    expect(updates.map(({ step, update }) => [step.id, update.note])).toEqual([
      ['s1', 'Hall closed'],
    ])
    // While one runs, its updates are those up to now.
    commands.startCheckIn('c60', 2000)
    postStepUpdate(doc, ISSUE, 's2', { status: 'done', note: 'Now', by: 'Luis', at: 2100 })
    const live = derivePlan(doc)
    expect(dueCheckIn(live.checkIns)?.id).toBe('c60')
    expect(checkInState(live.checkIns[1] as CheckIn)).toBe('running')
    expect(
      checkInUpdates(live.actionPlan, live.checkIns[1] as CheckIn, 2200).map((u) => u.update.note),
    ).toEqual(['Now'])
    expect(checkInUpdates(live.actionPlan, live.checkIns[2] as CheckIn)).toEqual([])
  })

  it('keeps with a check-in the indicator values entered while it ran, whatever day they describe', () => {
    const doc = boardWithCheckIns()
    const commands = boardCommands(doc)
    doc.getMap<unknown>(PLAN).set('evaluation/indicators/families', {
      ...blankIndicatorEntry(),
      name: 'Families enrolled',
      unit: 'families',
    })
    const value = (id: string, at: number, date: string) =>
      postIndicatorValue(doc, 'families', {
        id,
        date,
        value: at / 10,
        note: '',
        group: '',
        by: 'Ana',
        at,
      })
    value('before', 900, '2026-05-31')
    commands.startCheckIn('c30', 1000)
    value('during', 1100, '2026-04-30')
    commands.finishCheckIn('c30', 1200)
    value('after', 1300, '2026-06-02')
    const plan = derivePlan(doc)
    const [held, next] = plan.checkIns
    expect(
      checkInValues(plan.evaluation.indicators, held as CheckIn).map(({ indicator, value }) => [
        indicator.id,
        value.id,
      ]),
    ).toEqual([['families', 'during']])
    expect(checkInValues(plan.evaluation.indicators, next as CheckIn)).toEqual([])
  })

  it('leaves out, and reports, what does not validate; ignores fields of a check-in with no date', () => {
    const doc = boardWithCheckIns()
    const plan = doc.getMap<unknown>(PLAN)
    plan.set(checkInKey('c60', 'attended'), 'Ana')
    plan.set(checkInKey('ghost', 'title'), 'Left over from a removal')
    const derived = derivePlan(doc)
    expect(derived.problems.map((problem) => problem.where)).toEqual([
      checkInKey('c60', 'attended'),
    ])
    expect(derived.checkIns.map((c) => [c.id, c.attended])).toEqual([
      ['c30', []],
      ['c60', []],
      ['c90', []],
    ])
  })

  it('throws, writing nothing, for what the server would refuse', () => {
    const doc = boardWithCheckIns()
    const size = () => doc.getMap(PLAN).size
    const start = size()
    expect(() => scheduleCheckIns(doc, [{ date: '2026-13-01', title: '' }])).toThrow(PlanDataError)
    expect(() => scheduleCheckIns(doc, [{ id: 'c30', date: '2026-06-01', title: '' }])).toThrow(
      /exists/,
    )
    expect(() => setCheckInRecord(doc, 'c30', 'blockers', 'x')).toThrow(/not started/)
    expect(() => finishCheckIn(doc, 'c30', 5)).toThrow(/not started/)
    expect(() => startCheckIn(doc, 'ghost', 5)).toThrow(/no check-in/)
    expect(size()).toBe(start)
    startCheckIn(doc, 'c30', 10)
    expect(() => startCheckIn(doc, 'c30', 11)).toThrow(/has started/)
    expect(() => moveCheckIn(doc, 'c30', '2026-07-01')).toThrow(/keeps its date/)
    const many = Array.from({ length: MAX_CHECK_INS - 2 }, (_, i) => ({
      date: addDays('2026-06-01', i),
      title: '',
    }))
    expect(() => scheduleCheckIns(doc, many)).toThrow(/at most 50/)
    scheduleCheckIns(doc, many.slice(1))
    expect(derivePlan(doc).checkIns).toHaveLength(MAX_CHECK_INS)
    removeCheckIn(doc, 'c30')
    expect(derivePlan(doc).checkIns.some((c) => c.id === 'c30')).toBe(false)
    expect([...doc.getMap(PLAN).keys()].some((key) => key.includes('/c30/'))).toBe(false)
  })
})

describe('the server review of check-ins', () => {
  const now = Date.now()

  it('accepts a facilitator scheduling, running and removing one', () => {
    const doc = boardWithCheckIns()
    const steps: ((copy: Y.Doc) => void)[] = [
      (copy) =>
        scheduleCheckIns(
          copy,
          presetDates('2026-09-01').map((date) => ({ date, title: '' })),
        ),
      (copy) => startCheckIn(copy, 'c30', now),
      (copy) => moveCheckIn(copy, 'c60', '2026-07-10'),
      (copy) => removeCheckIn(copy, 'c90'),
    ]
    for (const step of steps) {
      const writes = planWrites(doc, step)
      expect(writes.length).toBeGreaterThan(0)
      expect(rules.reviewUpdate(writes, facilitator, doc)).toBeNull()
      step(doc)
    }
    for (const step of [
      (copy: Y.Doc) => setCheckInRecord(copy, 'c30', 'attended', ['Ana']),
      (copy: Y.Doc) => setCheckInRecord(copy, 'c30', 'decisions', 'Ask the library'),
      (copy: Y.Doc) => finishCheckIn(copy, 'c30', now + 1000),
      // The record may be corrected after it is finished.
      (copy: Y.Doc) => setCheckInRecord(copy, 'c30', 'blockers', 'None'),
    ]) {
      const writes = planWrites(doc, step)
      expect(rules.reviewUpdate(writes, facilitator, doc)).toBeNull()
      step(doc)
    }
  })

  it('refuses participants and view links whatever they send', () => {
    const doc = boardWithCheckIns()
    const forged = [
      planWrites(doc, (copy) => scheduleCheckIns(copy, [{ date: '2026-09-01', title: 'Mine' }])),
      planWrites(doc, (copy) => startCheckIn(copy, 'c30', now)),
      planWrites(doc, (copy) => moveCheckIn(copy, 'c30', '2026-09-01')),
      planWrites(doc, (copy) => removeCheckIn(copy, 'c30')),
    ]
    for (const writes of forged) {
      expect(rules.reviewUpdate(writes, participant, doc)?.code).toBe('facilitators-only')
      expect(rules.reviewUpdate(writes, observer, doc)?.code).toBe('read-only')
    }
  })

  it('refuses malformed values, unknown fields and fields of a check-in that has no date', () => {
    const doc = boardWithCheckIns()
    const refused: BoardWrite[][] = [
      [write(checkInKey('c30', 'date'), '2026-02-30', '2026-06-03')],
      [write(checkInKey('c30', 'title'), { text: 'x' }, '30-day check-in')],
      [write('followUp/checkIns/c30/notes', 'x')],
      [write('followUp/checkIns/c30/date/x', '2026-06-01')],
      [write(checkInKey('ghost', 'title'), 'A check-in with no date')],
      [write(checkInKey('c30', 'startedAt'), now), write(checkInKey('c30', 'attended'), 'Ana')],
      // The date removed in the same update: the title would be left without a check-in.
      [
        write(checkInKey('c30', 'date'), undefined, '2026-06-03'),
        write(checkInKey('c30', 'title'), 'x', '30-day check-in'),
      ],
    ]
    for (const writes of refused)
      expect(rules.reviewUpdate(writes, facilitator, doc)?.code, JSON.stringify(writes)).toBe(
        'invalid',
      )
  })

  it('refuses more than 50 check-ins', () => {
    const doc = boardWith([])
    const dates = Array.from({ length: MAX_CHECK_INS }, (_, i) => ({
      date: addDays('2026-06-01', i),
      title: '',
    }))
    const fifty = planWrites(doc, (copy) => scheduleCheckIns(copy, dates))
    expect(rules.reviewUpdate(fifty, facilitator, doc)).toBeNull()
    scheduleCheckIns(doc, dates)
    expect(
      rules.reviewUpdate([write(checkInKey('one-more', 'date'), '2026-12-01')], facilitator, doc)
        ?.code,
    ).toBe('invalid')
    // Moving one of the fifty is no new check-in.
    const first = derivePlan(doc).checkIns[0] as CheckIn
    expect(
      rules.reviewUpdate(
        [write(checkInKey(first.id, 'date'), '2027-01-01', first.date)],
        facilitator,
        doc,
      ),
    ).toBeNull()
  })

  it('holds starts and finishes to the server’s clock, once each, in order', () => {
    const doc = boardWithCheckIns()
    const started = checkInKey('c30', 'startedAt')
    const finished = checkInKey('c30', 'finishedAt')
    const review = (writes: BoardWrite[]) => rules.reviewUpdate(writes, facilitator, doc)?.code
    expect(review([write(started, now - MAX_UPDATE_AGE_MS - 60_000)])).toBe('invalid')
    expect(review([write(started, now + MAX_UPDATE_LEAD_MS + 60_000)])).toBe('invalid')
    expect(review([write(finished, now)])).toBe('invalid')
    expect(review([write(started, now), write(finished, now - 1)])).toBe('invalid')
    expect(review([write(started, now), write(finished, now)])).toBeUndefined()
    startCheckIn(doc, 'c30', now)
    expect(review([write(started, now + 5, now)])).toBe('invalid')
    expect(review([write(checkInKey('c30', 'date'), '2026-06-20', '2026-06-03')])).toBe('invalid')
    finishCheckIn(doc, 'c30', now + 10)
    expect(review([write(finished, now + 20, now + 10)])).toBe('invalid')
    // Its start and finish go only with the check-in itself.
    expect(review([write(started, undefined, now)])).toBe('invalid')
    expect(review([write(finished, undefined, now + 10)])).toBe('invalid')
    expect(review(planWrites(doc, (copy) => removeCheckIn(copy, 'c30')))).toBeUndefined()
  })
})
