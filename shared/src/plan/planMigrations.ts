/**
 * Versions of the plan data (the `plan` map, see planData.ts). `meta.planSchemaVersion` says
 * which version a board's entries were written with. Each step migrates the entries of one
 * version to the next; readers (`derivePlan`) migrate in memory, writers migrate the doc itself
 * (`migratePlanDoc`) before they write. A board written by a newer app is refused, never guessed.
 *
 * To change the shape of an entry: bump `PLAN_SCHEMA_VERSION` (boardDoc.ts), append a step to
 * `PLAN_MIGRATIONS` whose `version` is the new number, and test it from every earlier version.
 */
import type * as Y from 'yjs'
import { META, PLAN_SCHEMA_VERSION } from '../board/boardDoc.ts'
import { PLAN, readPlanEntries } from './planData.ts'

export interface PlanMigration {
  /** The version this step produces (the first step produces 2). */
  version: number
  description: string
  /** Rewrites the entries of `version - 1` into those of `version`, in place. */
  up(entries: Map<string, unknown>): void
}

/** Version 1 is the first. */
export const PLAN_MIGRATIONS: readonly PlanMigration[] = [
  {
    version: 2,
    description: 'indicators gain organization, unit, baseline, target and frequency',
    up(entries) {
      for (const [key, value] of entries) {
        if (!/^evaluation\/indicators\/[^/]+$/.test(key)) continue
        if (typeof value !== 'object' || value === null || Array.isArray(value)) continue
        // Fields an entry already has are kept (a later validator decides whether they are good).
        entries.set(key, { ...INDICATOR_ADDITIONS_V2, ...value })
      }
    },
  },
]

/** What version 2 added to an indicator: nothing decided. */
const INDICATOR_ADDITIONS_V2 = {
  organization: null,
  unit: '',
  baseline: null,
  target: null,
  frequency: null,
} as const

export type PlanMigrationResult =
  | { ok: true; entries: Map<string, unknown>; version: number; applied: number }
  | { ok: false; reason: 'newer' | 'invalid' | 'failed'; message: string }

/**
 * The entries migrated from `fromVersion` to `target`. Pure: the input map is not changed.
 * `migrations` and `target` are parameters for tests; the app uses the defaults.
 */
export function migratePlanEntries(
  entries: ReadonlyMap<string, unknown>,
  fromVersion: unknown,
  migrations: readonly PlanMigration[] = PLAN_MIGRATIONS,
  target: number = PLAN_SCHEMA_VERSION,
): PlanMigrationResult {
  if (typeof fromVersion !== 'number' || !Number.isInteger(fromVersion) || fromVersion < 1) {
    return {
      ok: false,
      reason: 'invalid',
      message: `The plan data has no valid version (${String(fromVersion)}).`,
    }
  }
  if (fromVersion > target) {
    return {
      ok: false,
      reason: 'newer',
      message: `The plan data was written by a newer version of the app (plan version ${fromVersion}; this app knows up to ${target}).`,
    }
  }
  const copy = new Map<string, unknown>()
  for (const [key, value] of entries) copy.set(key, structuredClone(value))
  let version = fromVersion
  let applied = 0
  while (version < target) {
    const step = migrations.find((migration) => migration.version === version + 1)
    if (!step) {
      return {
        ok: false,
        reason: 'failed',
        message: `No migration from plan version ${version} to ${version + 1}.`,
      }
    }
    try {
      step.up(copy)
    } catch (error) {
      return {
        ok: false,
        reason: 'failed',
        message: `Migrating the plan data to version ${step.version} (${step.description}) failed: ${(error as Error).message}`,
      }
    }
    version = step.version
    applied++
  }
  return { ok: true, entries: copy, version, applied }
}

/**
 * Brings a doc's plan data up to this app's version, writing the changed entries and the new
 * version in one transaction. Does nothing when the doc is current; returns the result.
 */
export function migratePlanDoc(
  doc: Y.Doc,
  migrations: readonly PlanMigration[] = PLAN_MIGRATIONS,
  target: number = PLAN_SCHEMA_VERSION,
  origin?: unknown,
): PlanMigrationResult {
  const meta = doc.getMap<unknown>(META)
  const stored = readPlanEntries(doc)
  const result = migratePlanEntries(stored, meta.get('planSchemaVersion') ?? 1, migrations, target)
  if (!result.ok || result.applied === 0) return result
  const plan = doc.getMap<unknown>(PLAN)
  doc.transact(() => {
    for (const key of stored.keys()) if (!result.entries.has(key)) plan.delete(key)
    for (const [key, value] of result.entries) {
      if (JSON.stringify(stored.get(key)) !== JSON.stringify(value)) plan.set(key, value)
    }
    meta.set('planSchemaVersion', result.version)
  }, origin)
  return result
}
