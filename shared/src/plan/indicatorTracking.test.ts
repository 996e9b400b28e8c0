import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { boardCommands } from '../board/commands.ts'
import { BoardRules, type BoardWrite, type Writer } from '../board/writeRules.ts'
import { derivePlan } from './derivePlan.ts'
import { blankIndicatorEntry, type IndicatorEntry } from './evaluation.ts'
import { boardWith } from './fixtures.ts'
import {
  countValuesAfter,
  MAX_VALUES_PER_INDICATOR,
  postIndicatorValue,
  removeIndicator,
  valueCount,
} from './indicatorTracking.ts'
import {
  type IndicatorValueEntry,
  indicatorKey,
  indicatorValueEntryValidator,
  indicatorValueKey,
  MAX_GROUP_LENGTH,
  MAX_VALUE_TEXT_LENGTH,
  parseIndicatorValueKey,
} from './indicatorValue.ts'
import { checkPlanEntry, PLAN, PlanDataError, setPlanEntry } from './planData.ts'
import { MAX_UPDATE_AGE_MS, MAX_UPDATE_LEAD_MS } from './stepUpdates.ts'

const rules = new BoardRules()
const participant: Writer = { role: 'participant', participantId: null, personId: null }
const facilitator: Writer = { role: 'facilitator', participantId: null, personId: null }
const observer: Writer = { role: 'observer', participantId: null, personId: null }

const families: IndicatorEntry = {
  ...blankIndicatorEntry(),
  name: 'Families enrolled',
  unit: 'families',
  baseline: 40,
  target: 120,
  frequency: 'monthly',
}
const stories: IndicatorEntry = { ...blankIndicatorEntry('qualitative'), name: 'What parents say' }

/** A board with a quantitative indicator `n` and a qualitative one `q`. */
function boardWithIndicators(): Y.Doc {
  const doc = boardWith([])
  setPlanEntry(doc, indicatorKey('n'), families)
  setPlanEntry(doc, indicatorKey('q'), stories)
  return doc
}

/** The plan writes `run` makes to a copy of `doc`, as the server's review lists them. */
function planWrites(doc: Y.Doc, run: (copy: Y.Doc) => void): BoardWrite[] {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  run(copy)
  const before = doc.getMap<unknown>(PLAN)
  const after = copy.getMap<unknown>(PLAN)
  const keys = new Set([...before.keys(), ...after.keys()])
  return [...keys]
    .filter((key) => JSON.stringify(before.get(key)) !== JSON.stringify(after.get(key)))
    .map((key) => ({ root: PLAN, key, before: before.get(key), after: after.get(key) }))
}

const value = (over: Partial<IndicatorValueEntry> = {}): IndicatorValueEntry => ({
  date: '2026-03-01',
  value: 52,
  note: 'From the intake sheet',
  group: '',
  by: 'Ana',
  at: Date.now(),
  ...over,
})

const write = (key: string, after: unknown, before?: unknown): BoardWrite => ({
  root: PLAN,
  key,
  before,
  after,
})

describe('indicator value entries', () => {
  it('are a date, a number or a short line, a note, a group, a name and a time', () => {
    expect(indicatorValueEntryValidator.isValid(value())).toBe(true)
    expect(indicatorValueEntryValidator.isValid(value({ value: -3.5, note: '' }))).toBe(true)
    expect(indicatorValueEntryValidator.isValid(value({ value: 'Easier forms' }))).toBe(true)
    expect(
      indicatorValueEntryValidator.isValid(value({ group: 'x'.repeat(MAX_GROUP_LENGTH) })),
    ).toBe(true)
    const invalid = [
      value({ date: '2026-02-30' }),
      value({ date: '1 March' }),
      value({ value: Number.NaN }),
      value({ value: Number.POSITIVE_INFINITY }),
      value({ value: '' }),
      value({ value: '   ' }),
      value({ value: 'x'.repeat(MAX_VALUE_TEXT_LENGTH + 1) }),
      value({ value: 'two\nlines' }),
      value({ note: 'two\nlines' }),
      value({ group: 'x'.repeat(MAX_GROUP_LENGTH + 1) }),
      value({ by: ' ' }),
      value({ at: 1.5 }),
      { ...value(), extra: true },
      { date: '2026-03-01', value: 1 },
      null,
    ]
    for (const entry of invalid) expect(indicatorValueEntryValidator.isValid(entry)).toBe(false)
  })

  it('have keys of their own under the indicator, known to the plan map', () => {
    const key = indicatorValueKey('n', 'v1')
    expect(key).toBe('evaluation/values/n/v1')
    expect(parseIndicatorValueKey(key)).toEqual({ indicator: 'n', value: 'v1' })
    expect(parseIndicatorValueKey('evaluation/values/n/v1/x')).toBeNull()
    expect(parseIndicatorValueKey('evaluation/values/n')).toBeNull()
    expect(checkPlanEntry(key, value()).ok).toBe(true)
    expect(checkPlanEntry('evaluation/values/n/bad id', value()).ok).toBe(false)
  })
})

describe('postIndicatorValue', () => {
  it('writes one value the server accepts, for a participant', () => {
    const doc = boardWithIndicators()
    const writes = planWrites(doc, (copy) =>
      boardCommands(copy).postIndicatorValue('n', { ...value(), id: 'v1' }),
    )
    expect(writes.map((w) => w.key)).toEqual(['evaluation/values/n/v1'])
    expect(rules.reviewUpdate(writes, participant, doc)).toBeNull()
    expect(rules.reviewUpdate(writes, observer, doc)).toMatchObject({ code: 'read-only' })
  })

  it('throws, writing nothing, for an invalid value, a missing indicator, the wrong type or a full list', () => {
    const doc = boardWithIndicators()
    const before = Y.encodeStateVector(doc)
    expect(() => postIndicatorValue(doc, 'n', value({ date: 'soon' }))).toThrow(PlanDataError)
    expect(() => postIndicatorValue(doc, 'gone', value())).toThrow(/no indicator/)
    expect(() => postIndicatorValue(doc, 'n', value({ value: 'many' }))).toThrow(/numbers/)
    expect(() => postIndicatorValue(doc, 'q', value({ value: 3 }))).toThrow(/text/)
    expect(Y.encodeStateVector(doc)).toEqual(before)
    const plan = doc.getMap<unknown>(PLAN)
    doc.transact(() => {
      for (let i = 0; i < MAX_VALUES_PER_INDICATOR; i++)
        plan.set(indicatorValueKey('n', `v${i}`), value())
    })
    expect(valueCount(doc, 'n')).toBe(MAX_VALUES_PER_INDICATOR)
    expect(() => postIndicatorValue(doc, 'n', value())).toThrow(/most it keeps/)
  })
})

describe('the write review of indicator values', () => {
  const doc = boardWithIndicators()
  const key = indicatorValueKey('n', 'v1')
  const review = (writes: BoardWrite[], writer: Writer = participant, on: Y.Doc = doc) =>
    rules.reviewUpdate(writes, writer, on)

  it('refuses a malformed value, naming the field', () => {
    const refusal = review([write(key, value({ date: '2026-13-01' }))])
    expect(refusal).toMatchObject({ code: 'invalid' })
    expect(refusal?.message).toContain('date')
    expect(review([write(key, { ...value(), script: '<b>' })])).toMatchObject({ code: 'invalid' })
    expect(review([write('evaluation/values/n', value())])).toMatchObject({ code: 'invalid' })
  })

  it('refuses a value of the wrong type for its indicator’s kind', () => {
    expect(review([write(key, value({ value: 'a lot' }))])?.message).toMatch(/number/)
    expect(review([write(indicatorValueKey('q', 'v1'), value({ value: 7 }))])?.message).toMatch(
      /text/,
    )
    expect(review([write(indicatorValueKey('q', 'v1'), value({ value: 'Easier' }))])).toBeNull()
  })

  it('refuses a value of an indicator that does not exist, or is removed in the same update', () => {
    expect(review([write(indicatorValueKey('gone', 'v1'), value())])?.message).toMatch(
      /no indicator/,
    )
    expect(
      review([write(key, value()), write(indicatorKey('n'), undefined, families)], facilitator)
        ?.message,
    ).toMatch(/no indicator/)
    // An indicator added in the same update takes a value at once.
    expect(
      review([write(indicatorKey('new'), families), write(indicatorValueKey('new', 'v'), value())]),
    ).toBeNull()
  })

  it('refuses a value stamped far from the server’s clock; the day measured may be any', () => {
    const now = Date.now()
    expect(review([write(key, value({ at: now - MAX_UPDATE_AGE_MS - 60_000 }))])).toMatchObject({
      code: 'invalid',
    })
    expect(review([write(key, value({ at: now + MAX_UPDATE_LEAD_MS + 60_000 }))])).toMatchObject({
      code: 'invalid',
    })
    expect(review([write(key, value({ date: '2019-01-31' }))])).toBeNull()
  })

  it('never lets anyone change a value once written', () => {
    const entry = value()
    expect(review([write(key, value({ value: 53 }), entry)], facilitator)).toMatchObject({
      code: 'invalid',
    })
  })

  it('lets a facilitator delete a value, and nobody else', () => {
    const entry = value()
    expect(review([write(key, undefined, entry)], facilitator)).toBeNull()
    expect(review([write(key, undefined, entry)], participant)).toMatchObject({
      code: 'facilitators-only',
    })
    expect(review([write(key, undefined, entry)], observer)).toMatchObject({ code: 'read-only' })
  })

  it('refuses the value past the most an indicator keeps, counting those in the same update', () => {
    const full = boardWithIndicators()
    const plan = full.getMap<unknown>(PLAN)
    full.transact(() => {
      for (let i = 0; i < MAX_VALUES_PER_INDICATOR - 1; i++)
        plan.set(indicatorValueKey('n', `v${i}`), value())
    })
    expect(review([write(indicatorValueKey('n', 'last'), value())], participant, full)).toBeNull()
    const two = [
      write(indicatorValueKey('n', 'a'), value()),
      write(indicatorValueKey('n', 'b'), value()),
    ]
    expect(review(two, participant, full)?.message).toMatch(/at most 500 values/)
    // Another indicator's list is its own.
    expect(
      review([write(indicatorValueKey('q', 'a'), value({ value: 'ok' }))], participant, full),
    ).toBeNull()
  })

  it('counts values per indicator in one pass, with the update applied', () => {
    const count = countValuesAfter(
      [
        'evaluation/values/n/a',
        'evaluation/values/n/b',
        'evaluation/values/q/a',
        'community/needs',
      ],
      [
        { key: 'evaluation/values/n/b', after: undefined },
        { key: 'evaluation/values/n/c', after: value() },
        { key: 'evaluation/values/q/b', after: value() },
      ],
    )
    expect(count('n')).toBe(2)
    expect(count('q')).toBe(2)
    expect(count('x')).toBe(0)
  })
})

describe('the write review of an indicator that has values', () => {
  function withValue(): Y.Doc {
    const doc = boardWithIndicators()
    postIndicatorValue(doc, 'n', value())
    return doc
  }

  it('keeps its kind', () => {
    const doc = withValue()
    const change = write(indicatorKey('n'), { ...families, kind: 'qualitative' }, families)
    expect(rules.reviewUpdate([change], facilitator, doc)?.message).toMatch(/keeps its kind/)
    // Every other field may change.
    const renamed = write(indicatorKey('n'), { ...families, target: 150, unit: 'homes' }, families)
    expect(rules.reviewUpdate([renamed], participant, doc)).toBeNull()
    // Without values, the kind is free.
    const free = write(indicatorKey('q'), { ...stories, kind: 'quantitative' }, stories)
    expect(rules.reviewUpdate([free], participant, doc)).toBeNull()
  })

  it('is removed by a facilitator only (without values, by anyone)', () => {
    const doc = withValue()
    const writes = planWrites(doc, (copy) => removeIndicator(copy, 'n'))
    const keys = writes.map((w) => w.key)
    expect(keys).toHaveLength(2)
    expect(keys).toContain(indicatorKey('n'))
    expect(keys.filter((key) => key.startsWith('evaluation/values/n/'))).toHaveLength(1)
    expect(rules.reviewUpdate(writes, facilitator, doc)).toBeNull()
    expect(rules.reviewUpdate(writes, participant, doc)).toMatchObject({
      code: 'facilitators-only',
    })
    const alone = write(indicatorKey('n'), undefined, families)
    expect(rules.reviewUpdate([alone], participant, doc)).toMatchObject({
      code: 'facilitators-only',
    })
    const empty = write(indicatorKey('q'), undefined, stories)
    expect(rules.reviewUpdate([empty], participant, doc)).toBeNull()
  })

  it('still refuses a malformed indicator', () => {
    const doc = withValue()
    const bad = write(indicatorKey('n'), { ...families, baseline: 'forty' }, families)
    expect(rules.reviewUpdate([bad], facilitator, doc)).toMatchObject({ code: 'invalid' })
    const old = write(indicatorKey('z'), { name: 'n', kind: 'quantitative', dataSource: '' })
    expect(rules.reviewUpdate([old], facilitator, doc)).toMatchObject({ code: 'invalid' })
  })
})

describe('derivePlan with indicator values', () => {
  it('lists each indicator’s values oldest first, ignoring those of removed indicators', () => {
    const doc = boardWithIndicators()
    const at = Date.now()
    postIndicatorValue(doc, 'n', { ...value({ date: '2026-05-01', value: 70, at }), id: 'b' })
    postIndicatorValue(doc, 'n', { ...value({ date: '2026-04-01', value: 60, at }), id: 'c' })
    postIndicatorValue(doc, 'n', {
      ...value({ date: '2026-05-01', value: 71, at: at + 1 }),
      id: 'a',
    })
    doc.getMap<unknown>(PLAN).set(indicatorValueKey('gone', 'x'), value())
    const plan = derivePlan(doc)
    const indicator = plan.evaluation.indicators.find((i) => i.id === 'n')
    expect(indicator?.values.map((v) => v.id)).toEqual(['c', 'b', 'a'])
    expect(indicator).toMatchObject({ unit: 'families', baseline: 40, target: 120 })
    expect(plan.evaluation.indicators.map((i) => i.id)).toEqual(['n', 'q'])
    expect(plan.problems).toEqual([])
  })
})
