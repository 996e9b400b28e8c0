import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readLinkedBoards, repairBoardMeta } from '../board/boardMeta.ts'
import { derivePlan } from '../plan/derivePlan.ts'
import { boardWith, note, sampleRetreatBoard } from '../plan/fixtures.ts'
import { PLAN, readPlanEntries } from '../plan/planData.ts'
import { PARKING_LOT_FRAME_ID } from '../themes/parkingLot.ts'
import { nextRetreatOf } from './nextRetreat.ts'
import { seedBoardFromPlan } from './seedPlan.ts'

function lastRetreat(): Y.Doc {
  const doc = sampleRetreatBoard({
    organizations: 4,
    intersections: 2,
    issues: 6,
    steps: 12,
    actionIssues: 4,
    updates: 3,
  })
  // An evaluation entry that names a card (free text that happens to be its id) and one the
  // write review would refuse: the first comes along renamed, the second stays behind.
  doc.transact(() => {
    const plan = doc.getMap<unknown>(PLAN)
    plan.set('evaluation/indicators/i2', {
      name: 'Referrals from partner 1',
      kind: 'qualitative',
      dataSource: 'shape:org1',
      organization: 'shape:org1',
      unit: '',
      baseline: null,
      target: null,
      frequency: 'quarterly',
    })
    // Its history comes along too.
    plan.set('evaluation/values/i2/v1', {
      date: '2026-09-30',
      value: 'Three families referred',
      note: '',
      group: '',
      by: 'Ana',
      at: 1_790_000_000_000,
    })
    plan.set('evaluation/indicators/bad', { name: 'No kind' })
    plan.set('evaluation/sustain', 'A shared coordinator')
  })
  return doc
}

const counter = () => {
  let n = 0
  return () => `shape:new${++n}`
}

describe('nextRetreatOf', () => {
  it('keeps the partners and the open steps, with ids renamed consistently', () => {
    const doc = lastRetreat()
    const old = derivePlan(doc)
    const { plan } = nextRetreatOf(doc, { title: 'Retreat 2027', newShapeId: counter() })

    expect(plan.title).toBe('Retreat 2027')
    expect(plan.template).toBe(old.template)
    // Every partner, under a new id.
    expect(plan.organizations.map((org) => org.name)).toEqual(old.organizations.map((o) => o.name))
    const oldIds = new Set(old.organizations.map((org) => org.id))
    for (const org of plan.organizations) expect(oldIds.has(org.id)).toBe(false)
    const newIdOf = new Map(old.organizations.map((org, i) => [org.id, plan.organizations[i]?.id]))

    // Only steps not done, each as it was but for its organization's new id.
    const open = old.actionPlan.flatMap((item) =>
      item.steps.filter((step) => step.status !== 'done').map((step) => ({ item, step })),
    )
    const done = old.actionPlan.flatMap((item) => item.steps).filter((s) => s.status === 'done')
    expect(done.length).toBeGreaterThan(0)
    const carried = plan.actionPlan.flatMap((item) => item.steps.map((step) => ({ item, step })))
    expect(carried.map(({ step }) => step.id).sort()).toEqual(
      open.map(({ step }) => step.id).sort(),
    )
    for (const { item, step } of carried) {
      const before = open.find(
        (entry) => entry.step.id === step.id && entry.item.title === item.title,
      )
      expect(before).toBeDefined()
      expect(step).toEqual({
        ...before?.step,
        organization: before?.step.organization ? newIdOf.get(before.step.organization) : null,
      })
      expect(item.rank).toBe(before?.item.rank)
      expect(item.sessionId).toBeNull()
    }
    expect(carried.some(({ step }) => step.history.length > 1)).toBe(true)
    // Priorities under new ids; commitments follow their organization.
    for (const item of plan.actionPlan) {
      expect(old.actionPlan.some((before) => before.issue === item.issue)).toBe(false)
      const before = old.actionPlan.find((entry) => entry.title === item.title)
      expect(item.commitments).toEqual(
        before?.commitments.map((row) => ({ ...row, organization: newIdOf.get(row.organization) })),
      )
    }
    // What the new retreat asks again is not carried.
    expect(plan.intersections).toEqual([])
    expect(plan.issues).toEqual([])
    expect(plan.votes).toEqual([])
    expect(plan.community.needs).toBe('')
    expect(plan.structure.roles).toEqual([])
  })

  it('carries every valid evaluation entry, renaming the ids it names, and seeds a linked board', () => {
    const doc = lastRetreat()
    const old = derivePlan(doc)
    const next = nextRetreatOf(doc, { title: 'Retreat 2027', newShapeId: counter() })
    const org1 = next.plan.organizations[old.organizations.findIndex((o) => o.id === 'shape:org1')]
    const renamed = (id: string | null) =>
      id === null
        ? null
        : next.plan.organizations[old.organizations.findIndex((o) => o.id === id)]?.id
    expect(next.leftBehind).toEqual(['evaluation/indicators/bad'])
    const evaluationKeys = [...readPlanEntries(doc).keys()].filter(
      (key) => key.startsWith('evaluation/') && key !== 'evaluation/indicators/bad',
    )
    expect([...next.entries.keys()].sort()).toEqual(evaluationKeys.sort())
    expect(next.entries.get('evaluation/indicators/i2')).toMatchObject({
      name: 'Referrals from partner 1',
      kind: 'qualitative',
      dataSource: org1?.id,
      organization: org1?.id,
    })
    expect(next.entries.get('evaluation/values/i2/v1')).toMatchObject({ by: 'Ana' })

    const board = new Y.Doc()
    const previousRetreat = { id: 'oldBoard123', title: old.title, createdAt: 5 }
    seedBoardFromPlan(board, next.plan, { createdAt: 9, entries: next.entries, previousRetreat })
    const seeded = derivePlan(board)
    expect(seeded.problems).toEqual([])
    expect(seeded.organizations.map((org) => org.id)).toEqual(
      next.plan.organizations.map((org) => org.id),
    )
    expect(seeded.actionPlan).toEqual(next.plan.actionPlan)
    expect(seeded.evaluation).toEqual({
      ...old.evaluation,
      indicators: old.evaluation.indicators.map((indicator) =>
        // Every card an indicator names is the new board's card in its place.
        ({
          ...indicator,
          organization: renamed(indicator.organization),
          ...(indicator.id === 'i2' ? { dataSource: org1?.id } : {}),
        }),
      ),
    })
    expect(readLinkedBoards(board)).toEqual({ previous: previousRetreat, next: null })
    // The server's meta repair keeps a valid link and drops a forged one.
    const row = { title: 'Retreat 2027', createdAt: 9, template: old.template }
    expect(repairBoardMeta(board, row).repaired).toEqual([])
    board.getMap('meta').set('nextRetreat', { id: '../etc', title: 'x', createdAt: 1 })
    expect(repairBoardMeta(board, row).repaired).toEqual(['nextRetreat'])
    expect(readLinkedBoards(board).next).toBeNull()
  })

  it('takes the parking lot along: what was set aside last time waits in the new board’s lot', () => {
    const doc = boardWith([
      note('idea', 'An idea for the Issues stage'),
      note('p1', 'Lunch menu', { parentId: PARKING_LOT_FRAME_ID, x: 40, y: 120 }),
      note('p2', 'Transport vouchers', { parentId: PARKING_LOT_FRAME_ID, x: 40, y: 360 }, 'blue'),
    ])
    const next = nextRetreatOf(doc, { title: 'Retreat 2027', newShapeId: counter() })
    expect(next.plan.parkingLot).toEqual(derivePlan(doc).parkingLot)
    expect(next.plan.issues).toEqual([])
    const board = new Y.Doc()
    seedBoardFromPlan(board, next.plan, { createdAt: 9, entries: next.entries })
    expect(derivePlan(board).parkingLot.map((parked) => parked.text)).toEqual([
      'Lunch menu',
      'Transport vouchers',
    ])
  })
})
