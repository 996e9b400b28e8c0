import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  checkPlanEntry,
  PLAN,
  PlanDataError,
  planEntryValidator,
  readPlanEntry,
  setPlanEntry,
  updatePlanEntry,
} from './planData.ts'

describe('plan data entries', () => {
  it('knows single fields and list items, and nothing else', () => {
    expect(planEntryValidator('community/needs')).not.toBeNull()
    expect(planEntryValidator('structure/roles/r-1')).not.toBeNull()
    expect(planEntryValidator('readiness/leadership')).not.toBeNull()
    expect(planEntryValidator('community/colour')).toBeNull()
    expect(planEntryValidator('structure/roles')).toBeNull()
    expect(planEntryValidator('structure/roles/bad id!')).toBeNull()
    expect(planEntryValidator('votes/x')).toBeNull()
    expect(planEntryValidator('')).toBeNull()
  })

  it('checks values with a message naming the field', () => {
    expect(checkPlanEntry('capacity/leadershipDiverse', 'unsure')).toEqual({
      ok: true,
      value: 'unsure',
    })
    const bad = checkPlanEntry('capacity/leadershipDiverse', 'perhaps')
    expect(bad.ok).toBe(false)
    expect(!bad.ok && bad.message).toContain('capacity/leadershipDiverse')
    expect(checkPlanEntry('nope', 1)).toEqual({ ok: false, message: 'unknown plan field "nope"' })
  })

  it('writes valid entries, deletes with undefined, refuses the rest without writing', () => {
    const doc = new Y.Doc()
    const plan = doc.getMap(PLAN)
    setPlanEntry(doc, 'community/needs', 'Childcare')
    expect(plan.get('community/needs')).toBe('Childcare')
    expect(() => setPlanEntry(doc, 'community/needs', 3)).toThrow(PlanDataError)
    expect(() => setPlanEntry(doc, 'community/colour', 'blue')).toThrow(/unknown plan field/)
    expect(plan.get('community/needs')).toBe('Childcare')
    setPlanEntry(doc, 'community/needs', undefined)
    expect(plan.has('community/needs')).toBe(false)
  })

  it('two people filling different fields of one section both keep their answer', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    setPlanEntry(a, 'community/needs', 'Childcare')
    setPlanEntry(b, 'community/trends', 'Rents rising')
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    for (const doc of [a, b]) {
      expect(doc.getMap(PLAN).toJSON()).toEqual({
        'community/needs': 'Childcare',
        'community/trends': 'Rents rising',
      })
    }
  })

  it('updates one field of an item from the doc as it is now, keeping the other fields', () => {
    const doc = new Y.Doc()
    setPlanEntry(doc, 'structure/roles/r1', { role: 'outreach', holder: '', note: '' })
    updatePlanEntry(doc, 'structure/roles/r1', { role: 'data' })
    updatePlanEntry(doc, 'structure/roles/r1', { holder: 'Rosa' })
    expect(readPlanEntry(doc, 'structure/roles/r1')).toEqual({
      role: 'data',
      holder: 'Rosa',
      note: '',
    })
  })

  it('starts an absent item from its initial value and still validates', () => {
    const doc = new Y.Doc()
    updatePlanEntry(
      doc,
      'readiness/funding',
      { answer: 'yes' },
      { question: '', answer: null, note: '' },
    )
    expect(readPlanEntry(doc, 'readiness/funding')).toEqual({
      question: '',
      answer: 'yes',
      note: '',
    })
    expect(() => updatePlanEntry(doc, 'readiness/funding', { answer: 'maybe' })).toThrow(
      PlanDataError,
    )
    expect(readPlanEntry(doc, 'readiness/funding')).toEqual({
      question: '',
      answer: 'yes',
      note: '',
    })
  })
})
