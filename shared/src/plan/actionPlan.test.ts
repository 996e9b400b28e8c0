import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  ACTION_PLAN_PATTERNS,
  actionPlanItemValidator,
  commitmentKey,
  isBlankStep,
  isIsoDate,
  samePerson,
  stepKey,
  stepsFor,
} from './actionPlan.ts'
import {
  addStep,
  moveStep,
  orderAfter,
  orderForMove,
  removeActionIssue,
  removeStep,
  restoreStep,
  setActionIssue,
  setCommitment,
  setStepField,
} from './actionPlanEdits.ts'
import { derivePlan } from './derivePlan.ts'
import { boardWith, organizationCard } from './fixtures.ts'
import { partnershipPlanValidator } from './partnershipPlan.ts'
import { checkPlanEntry, PLAN, PlanDataError, planEntryValidator } from './planData.ts'

const ISSUE = 'shape:issue1'
const ORG_A = 'shape:orgA'
const ORG_B = 'shape:orgB'

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
}

function boardPair() {
  const a = boardWith([
    organizationCard('orgB', { name: 'Bakery Co-op' }),
    organizationCard('orgA', { name: 'Aldea Housing' }),
  ])
  const b = new Y.Doc()
  sync(a, b)
  return [a, b] as const
}

describe('action plan keys', () => {
  it('knows its keys and validates each field', () => {
    expect(planEntryValidator(`action/issues/${ISSUE}`)).not.toBeNull()
    expect(planEntryValidator(commitmentKey(ISSUE, ORG_A, 'fromParent'))).not.toBeNull()
    expect(planEntryValidator(stepKey(ISSUE, 's1', 'due'))).not.toBeNull()
    expect(planEntryValidator('action/issues/not-a-shape')).toBeNull()
    expect(planEntryValidator(`action/commitments/${ISSUE}/${ORG_A}/wishes`)).toBeNull()
    expect(planEntryValidator(`action/steps/${ISSUE}/bad id/what`)).toBeNull()
    expect(planEntryValidator(`action/steps/${ISSUE}/s1/colour`)).toBeNull()
    expect(planEntryValidator(`action/steps/${ISSUE}/s1/what/extra`)).toBeNull()
    expect(ACTION_PLAN_PATTERNS.length).toBe(11)

    expect(checkPlanEntry(stepKey(ISSUE, 's1', 'due'), '2026-02-28').ok).toBe(true)
    expect(checkPlanEntry(stepKey(ISSUE, 's1', 'due'), '2026-02-30').ok).toBe(false)
    expect(checkPlanEntry(stepKey(ISSUE, 's1', 'due'), '28/02/2026').ok).toBe(false)
    expect(checkPlanEntry(stepKey(ISSUE, 's1', 'status'), 'finished').ok).toBe(false)
    expect(checkPlanEntry(stepKey(ISSUE, 's1', 'organization'), 'Aldea').ok).toBe(false)
    expect(checkPlanEntry(stepKey(ISSUE, 's1', 'order'), 'not an index!').ok).toBe(false)
    expect(
      checkPlanEntry(`action/issues/${ISSUE}`, { title: 'x', rank: 0, sessionId: null }).ok,
    ).toBe(false)
    const longText = checkPlanEntry(commitmentKey(ISSUE, ORG_A, 'takesOn'), 'x'.repeat(4001))
    expect(longText.ok).toBe(false)
    expect(!longText.ok && longText.message).toContain(commitmentKey(ISSUE, ORG_A, 'takesOn'))
  })

  it('checks calendar dates', () => {
    expect(isIsoDate('2028-02-29')).toBe(true)
    expect(isIsoDate('2027-02-29')).toBe(false)
    expect(isIsoDate('2027-13-01')).toBe(false)
    expect(isIsoDate('2027-1-01')).toBe(false)
  })
})

describe('deriving the action plan', () => {
  it('lists issues by rank with commitments in organization order and steps in order', () => {
    const [doc] = boardPair()
    setActionIssue(doc, 'shape:second', { title: 'Transport', rank: 2, sessionId: 'v1' })
    setActionIssue(doc, ISSUE, { title: 'Childcare', rank: 1, sessionId: 'v1' })
    setCommitment(doc, ISSUE, ORG_B, 'takesOn', 'Evening pickup')
    setCommitment(doc, ISSUE, ORG_A, 'fromParent', 'Board approval')
    const first = addStep(doc, ISSUE, { what: 'Survey parents', order: 'a1', person: 'Rosa' })
    const second = addStep(doc, ISSUE, {
      what: 'Find a room',
      order: 'a0',
      organization: ORG_A,
      due: '2026-09-01',
      status: 'in-progress',
    })
    const plan = derivePlan(doc)
    expect(partnershipPlanValidator.isValid(plan)).toBe(true)
    expect(plan.actionPlan.map((item) => item.title)).toEqual(['Childcare', 'Transport'])
    const [item] = plan.actionPlan
    expect(item?.commitments).toEqual([
      { organization: ORG_A, takesOn: '', fromPartners: '', fromParent: 'Board approval' },
      { organization: ORG_B, takesOn: 'Evening pickup', fromPartners: '', fromParent: '' },
    ])
    expect(item?.steps).toEqual([
      {
        id: second,
        what: 'Find a room',
        person: '',
        organization: ORG_A,
        due: '2026-09-01',
        status: 'in-progress',
        order: 'a0',
        history: [],
        lastUpdate: null,
      },
      {
        id: first,
        what: 'Survey parents',
        person: 'Rosa',
        organization: null,
        due: null,
        status: 'not-started',
        order: 'a1',
        history: [],
        lastUpdate: null,
      },
    ])
    expect(plan.problems).toEqual([])
    for (const entry of plan.actionPlan) expect(actionPlanItemValidator.isValid(entry)).toBe(true)
  })

  it('ignores steps and commitments of an issue not in the plan, and leftovers of removed steps', () => {
    const [doc] = boardPair()
    setCommitment(doc, 'shape:gone', ORG_A, 'takesOn', 'x')
    setActionIssue(doc, ISSUE, { title: 'Childcare', rank: 1, sessionId: null })
    // A field written by someone who had not yet seen the step removed.
    doc.getMap(PLAN).set(stepKey(ISSUE, 'orphan', 'what'), 'left over')
    expect(derivePlan(doc).actionPlan).toEqual([
      { issue: ISSUE, title: 'Childcare', rank: 1, sessionId: null, commitments: [], steps: [] },
    ])
  })

  it('reports an invalid stored field and leaves it out', () => {
    const [doc] = boardPair()
    setActionIssue(doc, ISSUE, { title: 'Childcare', rank: 1, sessionId: null })
    addStep(doc, ISSUE, { id: 's1', order: 'a1', what: 'ok' })
    doc.getMap(PLAN).set(stepKey(ISSUE, 's1', 'status'), 'finished')
    const plan = derivePlan(doc)
    expect(plan.actionPlan[0]?.steps[0]?.status).toBe('not-started')
    expect(plan.problems).toEqual([
      { where: stepKey(ISSUE, 's1', 'status'), message: expect.stringContaining('status') },
    ])
  })

  it('refuses invalid writes without writing anything', () => {
    const [doc] = boardPair()
    expect(() =>
      addStep(doc, ISSUE, { order: 'a1', what: 'x', due: '2026-02-30' as string }),
    ).toThrow(PlanDataError)
    expect(doc.getMap(PLAN).size).toBe(0)
  })
})

describe('editing together', () => {
  it('two people typing into different fields of one step both keep their typing', () => {
    const [a, b] = boardPair()
    setActionIssue(a, ISSUE, { title: 'Childcare', rank: 1, sessionId: null })
    addStep(a, ISSUE, { id: 's1', order: 'a1' })
    sync(a, b)
    setStepField(a, ISSUE, 's1', 'what', 'Book the hall')
    setStepField(b, ISSUE, 's1', 'person', 'Tomás')
    setStepField(b, ISSUE, 's1', 'due', '2026-10-15')
    setCommitment(a, ISSUE, ORG_A, 'takesOn', 'Staff')
    setCommitment(b, ISSUE, ORG_A, 'fromPartners', 'Space')
    sync(a, b)
    for (const doc of [a, b]) {
      const [item] = derivePlan(doc).actionPlan
      expect(item?.steps[0]).toMatchObject({
        what: 'Book the hall',
        person: 'Tomás',
        due: '2026-10-15',
      })
      expect(item?.commitments[0]).toMatchObject({ takesOn: 'Staff', fromPartners: 'Space' })
    }
  })

  it('two people adding steps at once both keep theirs', () => {
    const [a, b] = boardPair()
    setActionIssue(a, ISSUE, { title: 'Childcare', rank: 1, sessionId: null })
    sync(a, b)
    addStep(a, ISSUE, { order: orderAfter([]), what: 'From A' })
    addStep(b, ISSUE, { order: orderAfter([]), what: 'From B' })
    sync(a, b)
    const texts = derivePlan(a).actionPlan[0]?.steps.map((step) => step.what)
    expect(texts?.sort()).toEqual(['From A', 'From B'])
    expect(derivePlan(b).actionPlan).toEqual(derivePlan(a).actionPlan)
  })

  it('moving a step rewrites only its order', () => {
    const [doc] = boardPair()
    setActionIssue(doc, ISSUE, { title: 'Childcare', rank: 1, sessionId: null })
    for (const [id, order] of [
      ['s1', 'a1'],
      ['s2', 'a2'],
      ['s3', 'a3'],
    ] as const)
      addStep(doc, ISSUE, { id, order, what: id })
    const changed: string[] = []
    doc.getMap(PLAN).observe((event) => changed.push(...event.keysChanged))
    const item = derivePlan(doc).actionPlan[0]
    if (!item) throw new Error('no item')
    expect(moveStep(doc, item, 's3', -1)).toBe(true)
    expect(changed).toEqual([stepKey(ISSUE, 's3', 'order')])
    expect(derivePlan(doc).actionPlan[0]?.steps.map((s) => s.id)).toEqual(['s1', 's3', 's2'])
    const moved = derivePlan(doc).actionPlan[0]
    if (!moved) throw new Error('no item')
    expect(moveStep(doc, moved, 's1', -1)).toBe(false)
    expect(moveStep(doc, moved, 's1', 1)).toBe(true)
    expect(derivePlan(doc).actionPlan[0]?.steps.map((s) => s.id)).toEqual(['s3', 's1', 's2'])
  })

  it('moves past a step that shares its order key', () => {
    const steps = [{ order: 'a1' }, { order: 'a1' }, { order: 'a2' }]
    const up = orderForMove(steps, 2, -1)
    expect(up !== null && up < 'a1').toBe(true)
    expect(orderForMove(steps, 0, -1)).toBeNull()
  })

  it('removing a step or an issue deletes every key written for it', () => {
    const [doc] = boardPair()
    setActionIssue(doc, ISSUE, { title: 'Childcare', rank: 1, sessionId: null })
    addStep(doc, ISSUE, { id: 's1', order: 'a1', what: 'one' })
    addStep(doc, ISSUE, { id: 's2', order: 'a2', what: 'two' })
    setCommitment(doc, ISSUE, ORG_A, 'takesOn', 'Staff')
    removeStep(doc, ISSUE, 's1')
    expect(derivePlan(doc).actionPlan[0]?.steps.map((s) => s.id)).toEqual(['s2'])
    removeActionIssue(doc, ISSUE)
    expect(doc.getMap(PLAN).size).toBe(0)
  })

  it('a removed step comes back whole, in its place, with "undo"', () => {
    const [doc, other] = boardPair()
    setActionIssue(doc, ISSUE, { title: 'Childcare', rank: 1, sessionId: null })
    addStep(doc, ISSUE, { id: 's1', order: 'a1', what: 'one' })
    addStep(doc, ISSUE, { id: 's2', order: 'a2', what: 'two', person: 'Ana', due: '2027-01-15' })
    addStep(doc, ISSUE, { id: 's3', order: 'a3', what: 'three' })
    const before = derivePlan(doc).actionPlan[0]?.steps
    const removed = removeStep(doc, ISSUE, 's2')
    expect(removed).toMatchObject({ id: 's2', what: 'two', person: 'Ana', due: '2027-01-15' })
    sync(doc, other)
    expect(derivePlan(other).actionPlan[0]?.steps.map((s) => s.id)).toEqual(['s1', 's3'])
    restoreStep(doc, ISSUE, removed as NonNullable<typeof removed>)
    sync(doc, other)
    expect(derivePlan(other).actionPlan[0]?.steps).toEqual(before)
    // A step with nothing left to give back (already removed elsewhere) returns null.
    removeStep(other, ISSUE, 's3')
    sync(other, doc)
    expect(removeStep(doc, ISSUE, 's3')).toBeNull()
  })
})

describe('my steps', () => {
  it('finds steps by person (any case, trimmed) or organization, soonest first', () => {
    const [doc] = boardPair()
    setActionIssue(doc, ISSUE, { title: 'Childcare', rank: 1, sessionId: null })
    addStep(doc, ISSUE, { id: 's1', order: 'a1', person: 'María José', due: '2026-12-01' })
    addStep(doc, ISSUE, { id: 's2', order: 'a2', organization: ORG_B, due: '2026-10-01' })
    addStep(doc, ISSUE, { id: 's3', order: 'a3', person: 'Someone else' })
    addStep(doc, ISSUE, { id: 's4', order: 'a4', person: ' maría josé ' })
    const plan = derivePlan(doc)
    const mine = stepsFor(plan.actionPlan, { person: 'MARÍA JOSÉ', organization: ORG_B })
    expect(mine.map(({ step }) => step.id)).toEqual(['s2', 's1', 's4'])
    expect(stepsFor(plan.actionPlan, { person: '  ' })).toEqual([])
  })

  it('finds a step for "Priya" for someone who joined as "Priya (Library)", and the reverse', () => {
    const [doc] = boardPair()
    setActionIssue(doc, ISSUE, { title: 'Childcare', rank: 1, sessionId: null })
    addStep(doc, ISSUE, { id: 's1', order: 'a1', person: 'Priya' })
    addStep(doc, ISSUE, { id: 's2', order: 'a2', person: 'Rosa from the housing authority' })
    addStep(doc, ISSUE, { id: 's3', order: 'a3', person: 'Priyanka' })
    const plan = derivePlan(doc)
    const ids = (person: string) => stepsFor(plan.actionPlan, { person }).map(({ step }) => step.id)
    expect(ids('Priya (Library)')).toEqual(['s1'])
    expect(ids('Rosa')).toEqual(['s2'])
    expect(ids('rosa FROM the housing authority')).toEqual(['s2'])
  })
})

describe('samePerson', () => {
  it('matches word for word, or when one name begins the other', () => {
    expect(samePerson('Priya', 'Priya (Library)')).toBe(true)
    expect(samePerson('Rosa from the housing authority', 'rosa')).toBe(true)
    expect(samePerson('María José', 'MARIA JOSE')).toBe(true)
    expect(samePerson('  Ben  ', 'ben')).toBe(true)
  })

  it('keeps different people apart, and matches nobody to an empty name', () => {
    expect(samePerson('Priya', 'Priyanka')).toBe(false)
    expect(samePerson('Ana López', 'Ana Ruiz')).toBe(false)
    expect(samePerson('Rosa', 'Ben from Rosa Street')).toBe(false)
    expect(samePerson('', 'Ana')).toBe(false)
    expect(samePerson(' (…) ', 'Ana')).toBe(false)
  })
})

describe('isBlankStep', () => {
  const step = {
    id: 's1',
    what: '  ',
    person: '',
    organization: null,
    due: null,
    status: 'not-started' as const,
    order: 'a1',
  }
  it('is true only while nothing is written in the step', () => {
    expect(isBlankStep(step)).toBe(true)
    expect(isBlankStep({ ...step, what: 'Call the school' })).toBe(false)
    expect(isBlankStep({ ...step, person: 'Ana' })).toBe(false)
    expect(isBlankStep({ ...step, due: '2027-01-31' })).toBe(false)
  })
})
