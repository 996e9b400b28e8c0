import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { META, PLAN_SCHEMA_VERSION } from '../board/boardDoc.ts'
import { checkPlanEntry, PLAN } from './planData.ts'
import {
  migratePlanDoc,
  migratePlanEntries,
  PLAN_MIGRATIONS,
  type PlanMigration,
} from './planMigrations.ts'

// A made-up history: v2 renamed a key, v3 turned a yes/no boolean into an answer.
const history: PlanMigration[] = [
  {
    version: 2,
    description: 'rename community/served to community/whoWeServe',
    up(entries) {
      if (entries.has('community/served')) {
        entries.set('community/whoWeServe', entries.get('community/served'))
        entries.delete('community/served')
      }
    },
  },
  {
    version: 3,
    description: 'leadershipDiverse becomes an answer',
    up(entries) {
      const value = entries.get('capacity/leadershipDiverse')
      if (typeof value === 'boolean')
        entries.set('capacity/leadershipDiverse', value ? 'yes' : 'no')
    },
  },
]

const v1 = new Map<string, unknown>([
  ['community/served', 'Young parents'],
  ['capacity/leadershipDiverse', true],
  ['community/needs', 'Childcare'],
])

describe('plan data migrations', () => {
  it('the app’s own steps end at PLAN_SCHEMA_VERSION, one version each', () => {
    expect(PLAN_MIGRATIONS.map((step) => step.version)).toEqual(
      Array.from({ length: PLAN_SCHEMA_VERSION - 1 }, (_, i) => i + 2),
    )
  })

  it('migrates up from every earlier version', () => {
    const expected = new Map<string, unknown>([
      ['community/whoWeServe', 'Young parents'],
      ['capacity/leadershipDiverse', 'yes'],
      ['community/needs', 'Childcare'],
    ])
    const fromV1 = migratePlanEntries(v1, 1, history, 3)
    expect(fromV1).toMatchObject({ ok: true, version: 3, applied: 2 })
    expect(fromV1.ok && Object.fromEntries(fromV1.entries)).toEqual(Object.fromEntries(expected))

    const v2 = new Map(v1)
    v2.set('community/whoWeServe', v2.get('community/served'))
    v2.delete('community/served')
    const fromV2 = migratePlanEntries(v2, 2, history, 3)
    expect(fromV2).toMatchObject({ ok: true, version: 3, applied: 1 })
    expect(fromV2.ok && Object.fromEntries(fromV2.entries)).toEqual(Object.fromEntries(expected))

    const current = migratePlanEntries(expected, 3, history, 3)
    expect(current).toMatchObject({ ok: true, applied: 0 })
  })

  it('never changes its input', () => {
    const input = new Map(v1)
    migratePlanEntries(input, 1, history, 3)
    expect(input).toEqual(v1)
  })

  it('refuses a newer, a missing or a nonsense version with a clear message', () => {
    expect(migratePlanEntries(v1, 4, history, 3)).toMatchObject({
      ok: false,
      reason: 'newer',
      message: expect.stringContaining('newer version of the app'),
    })
    for (const version of [0, -1, 1.5, '2', null, undefined]) {
      expect(migratePlanEntries(v1, version, history, 3)).toMatchObject({
        ok: false,
        reason: 'invalid',
      })
    }
  })

  it('reports a missing or failing step instead of half migrating', () => {
    expect(migratePlanEntries(v1, 1, [history[1] as PlanMigration], 3)).toMatchObject({
      ok: false,
      reason: 'failed',
      message: expect.stringContaining('No migration from plan version 1 to 2'),
    })
    const broken: PlanMigration = {
      version: 2,
      description: 'explodes',
      up() {
        throw new Error('boom')
      },
    }
    expect(migratePlanEntries(v1, 1, [broken], 2)).toMatchObject({
      ok: false,
      message: expect.stringContaining('boom'),
    })
  })

  it('migrates a doc in one transaction and records the new version', () => {
    const doc = new Y.Doc()
    doc.getMap(META).set('planSchemaVersion', 1)
    for (const [key, value] of v1) doc.getMap(PLAN).set(key, value)
    let updates = 0
    doc.on('update', () => updates++)
    const result = migratePlanDoc(doc, history, 3)
    expect(result).toMatchObject({ ok: true, version: 3 })
    expect(updates).toBe(1)
    expect(doc.getMap(META).get('planSchemaVersion')).toBe(3)
    expect(doc.getMap(PLAN).toJSON()).toEqual({
      'community/whoWeServe': 'Young parents',
      'capacity/leadershipDiverse': 'yes',
      'community/needs': 'Childcare',
    })
    expect(migratePlanDoc(doc, history, 3)).toMatchObject({ ok: true, applied: 0 })
    expect(updates).toBe(1)
  })

  it('leaves a doc written by a newer app untouched', () => {
    const doc = new Y.Doc()
    doc.getMap(META).set('planSchemaVersion', PLAN_SCHEMA_VERSION + 1)
    let updates = 0
    doc.on('update', () => updates++)
    expect(migratePlanDoc(doc)).toMatchObject({ ok: false, reason: 'newer' })
    expect(updates).toBe(0)
  })
})

describe('the app’s plan migrations', () => {
  const indicatorV1 = { name: 'Families enrolled', kind: 'quantitative', dataSource: 'Intake' }

  it('version 2: indicators gain organization, unit, baseline, target and frequency, none decided', () => {
    const v1Board = new Map<string, unknown>([
      ['evaluation/indicators/i1', indicatorV1],
      ['evaluation/indicators/i2', { ...indicatorV1, kind: 'qualitative' }],
      ['evaluation/reviewCadence', 'quarterly'],
      ['community/needs', 'Childcare'],
    ])
    const result = migratePlanEntries(v1Board, 1)
    expect(result).toMatchObject({ ok: true, version: PLAN_SCHEMA_VERSION })
    if (!result.ok) return
    const migrated = result.entries.get('evaluation/indicators/i1')
    expect(migrated).toEqual({
      ...indicatorV1,
      organization: null,
      unit: '',
      baseline: null,
      target: null,
      frequency: null,
    })
    expect(checkPlanEntry('evaluation/indicators/i1', migrated).ok).toBe(true)
    expect(
      checkPlanEntry('evaluation/indicators/i2', result.entries.get('evaluation/indicators/i2')).ok,
    ).toBe(true)
    expect(result.entries.get('evaluation/reviewCadence')).toBe('quarterly')
    expect(result.entries.get('community/needs')).toBe('Childcare')
    // The v1 entry itself does not validate any more: without the migration it would be lost.
    expect(checkPlanEntry('evaluation/indicators/i1', indicatorV1).ok).toBe(false)
  })

  it('version 2 on a doc: a board from before derives its indicators, and is written migrated', () => {
    const doc = new Y.Doc()
    doc.getMap(META).set('planSchemaVersion', 1)
    doc.getMap(PLAN).set('evaluation/indicators/i1', indicatorV1)
    const result = migratePlanDoc(doc)
    expect(result).toMatchObject({ ok: true, version: 2, applied: 1 })
    expect(doc.getMap(META).get('planSchemaVersion')).toBe(2)
    expect(doc.getMap(PLAN).get('evaluation/indicators/i1')).toMatchObject({
      ...indicatorV1,
      unit: '',
      baseline: null,
    })
  })
})
