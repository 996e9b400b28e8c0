import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createBoardSchema } from '../plan/boardSchema.ts'
import { seedBoard } from '../plan/seedBoard.ts'
import { openBoardDoc, PLAN_SCHEMA_VERSION } from './boardDoc.ts'
import { isBoardClosed, repairBoardMeta, setBoardClosed } from './boardMeta.ts'

const row = { title: 'Retreat', createdAt: 5, template: 'retreat' as const }

function seeded(): Y.Doc {
  const doc = new Y.Doc()
  seedBoard(doc, row)
  return doc
}

describe('the server keeping meta', () => {
  it('changes nothing on a board whose meta is as it should be', () => {
    const doc = seeded()
    const before = Y.encodeStateVector(doc)
    expect(repairBoardMeta(doc, row).repaired).toEqual([])
    expect(Y.encodeStateVector(doc)).toEqual(before)
  })

  it('repairs a schema a client damaged, and the row’s title, and drops unknown keys', () => {
    const doc = seeded()
    const meta = openBoardDoc(doc).meta
    meta.set('schema', { schemaVersion: 99 } as never)
    meta.set('title', 'Taken over')
    meta.set('planSchemaVersion', 1000)
    ;(meta as unknown as Y.Map<unknown>).set('sneaky', 1)
    const repair = repairBoardMeta(doc, row)
    expect(repair.repaired.sort()).toEqual(['planSchemaVersion', 'schema', 'sneaky', 'title'])
    expect(meta.get('schema')).toEqual(createBoardSchema().serialize())
    expect(meta.get('title')).toBe('Retreat')
    expect(meta.get('planSchemaVersion')).toBe(PLAN_SCHEMA_VERSION)
    expect(meta.has('sneaky' as never)).toBe(false)
  })

  it('migrates records written under an older tldraw schema', () => {
    const doc = seeded()
    const meta = openBoardDoc(doc).meta
    const older = structuredClone(createBoardSchema().serialize()) as {
      sequences: Record<string, number>
    }
    older.sequences['com.tldraw.shape.note'] = (older.sequences['com.tldraw.shape.note'] ?? 2) - 1
    meta.set('schema', older as never)
    const repair = repairBoardMeta(doc, row)
    expect(repair.repaired).toContain('schema')
    expect(repair.migrationError).toBeUndefined()
    expect(meta.get('schema')).toEqual(createBoardSchema().serialize())
  })

  it('closes and reopens a board', () => {
    const doc = seeded()
    setBoardClosed(doc, true)
    expect(isBoardClosed(doc)).toBe(true)
    setBoardClosed(doc, false)
    expect(isBoardClosed(doc)).toBe(false)
  })
})
