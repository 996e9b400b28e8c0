/**
 * The partnership plan over the wire: a board created from the retreat template carries every
 * stage, and `plan.json` reports what Node Yjs clients wrote into a board.
 */
import { readRecords } from '@common-ground/shared/board'
import {
  boundArrow,
  intersectionCard,
  note,
  organizationCard,
  putRecords,
} from '@common-ground/shared/fixtures'
import { translate } from '@common-ground/shared/i18n'
import {
  createBoardSchema,
  derivePlan,
  type PartnershipPlan,
  partnershipPlanValidator,
  STAGE_IDS,
  setPlanEntry,
  stageFrameId,
  stagePromptId,
} from '@common-ground/shared/plan'
import { describe, expect, it } from 'vitest'
import { createBoard as createBoardOverHttp, withToken } from '../support/boards.ts'
import { useServer } from '../support/session.ts'
import { coversStateOf, waitFor, type YClient } from '../support/yclient.ts'

const running = useServer()

async function createBoard(body: Parameters<typeof createBoardOverHttp>[1]): Promise<string> {
  return (await createBoardOverHttp(running.server, body)).id
}

async function connect(boardId: string): Promise<YClient> {
  const client = running.client(boardId)
  await client.whenSynced()
  return client
}

async function planOf(boardId: string, query = ''): Promise<PartnershipPlan> {
  const response = await fetch(
    withToken(`${running.server.url}/api/boards/${boardId}/plan.json${query}`, boardId),
  )
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  return (await response.json()) as PartnershipPlan
}

describe('retreat template over HTTP', () => {
  it('a board created from the template contains every stage, laid out, with its prompt', async () => {
    const id = await createBoard({ title: 'Eastside retreat', template: 'retreat' })
    const client = await connect(id)
    const records = readRecords(client.doc)
    const schema = createBoardSchema()
    for (const stage of STAGE_IDS) {
      const frame = records.get(stageFrameId(stage))
      expect(frame, stage).toMatchObject({
        typeName: 'shape',
        type: 'frame',
        meta: { cgStage: stage },
        props: { name: expect.stringMatching(/\S/) },
      })
      expect(records.get(stagePromptId(stage)), stage).toMatchObject({
        type: 'text',
        parentId: stageFrameId(stage),
      })
    }
    for (const record of records.values()) {
      expect(() => schema.validateRecord(null as never, record, 'tests', null)).not.toThrow()
    }
    const plan = await planOf(id)
    expect(plan.template).toBe('retreat')
    expect(plan.readiness.map((item) => item.answer)).toEqual(plan.readiness.map(() => null))
    expect(plan.readiness.length).toBeGreaterThan(0)
  })

  it('words the stages in the requested language, and refuses an unknown one', async () => {
    const id = await createBoard({ title: 'Encuentro', template: 'retreat', locale: 'es' })
    const client = await connect(id)
    const frame = readRecords(client.doc).get(stageFrameId('issues')) as {
      props: { name: string }
    }
    expect(frame.props.name).toBe(translate('es', 'stage.issues.title'))
    const refused = await fetch(`${running.server.url}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ template: 'retreat', locale: 'fr' }),
    })
    expect(refused.status).toBe(400)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      'invalid_locale',
    )
  })

  it('a blank board has no stage frames', async () => {
    const id = await createBoard({ title: 'Blank' })
    const client = await connect(id)
    expect(readRecords(client.doc).has(stageFrameId('issues'))).toBe(false)
  })
})

describe('GET /api/boards/:id/plan.json', () => {
  it('reports what Node Yjs clients wrote', async () => {
    const id = await createBoard({ title: 'Plan board', template: 'retreat' })
    const alice = await connect(id)
    const bob = await connect(id)

    putRecords(alice.doc, [
      organizationCard('housing', {
        name: 'Housing Authority',
        kind: 'public',
        activities: [{ activity: 'Vouchers', measure: 'Families housed' }],
        performanceAffectsFunding: 'yes',
      }),
      organizationCard('church', { name: 'Grace Church', kind: 'faith' }, { x: 400 }),
      intersectionCard('referrals', { title: 'Referrals', ideal: 'One intake form' }, { x: 900 }),
      ...boundArrow('link1', 'housing', 'referrals'),
      ...boundArrow('link2', 'church', 'referrals'),
    ])
    putRecords(bob.doc, [
      note('idea1', 'Evening office hours', { parentId: stageFrameId('issues'), x: 80, y: 200 }),
      note('idea2', 'Not an issue: on the page', { x: -800 }),
    ])
    setPlanEntry(bob.doc, 'readiness/leadership', { question: '', answer: 'yes', note: '' })
    setPlanEntry(bob.doc, 'community/needs', 'Affordable childcare')
    setPlanEntry(bob.doc, 'structure/roles/r1', { role: 'data', holder: 'Ana', note: '' })

    // Each has seen the other's writes: the server broadcast them, so they are stored.
    await waitFor(() => coversStateOf(alice.doc, bob.doc) && coversStateOf(bob.doc, alice.doc), {
      what: 'alice and bob in step',
    })

    const plan = await planOf(id)
    expect(partnershipPlanValidator.isValid(plan)).toBe(true)
    expect(plan).toEqual(derivePlan(alice.doc))
    expect(plan.organizations.map((org) => org.name)).toEqual(['Grace Church', 'Housing Authority'])
    expect(plan.intersections).toEqual([
      {
        id: 'shape:referrals',
        title: 'Referrals',
        ideal: 'One intake form',
        result: '',
        evidence: '',
        organizations: ['shape:church', 'shape:housing'],
      },
    ])
    expect(plan.links).toHaveLength(2)
    expect(plan.issues.map((issue) => issue.text)).toEqual(['Evening office hours'])
    expect(plan.readiness[0]).toMatchObject({ id: 'leadership', answer: 'yes' })
    expect(plan.community.needs).toBe('Affordable childcare')
    expect(plan.structure.roles).toEqual([{ id: 'r1', role: 'data', holder: 'Ana', note: '' }])
    expect(plan.problems).toEqual([])

    const spanish = await planOf(id, '?lang=es')
    expect(spanish.readiness[1]?.question).toMatch(/¿/)
  })

  it('answers 404 for an unknown board and 400 for a bad id or language', async () => {
    const missing = await fetch(`${running.server.url}/api/boards/NoSuchBoard123/plan.json`)
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe(
      'board_not_found',
    )
    const bad = await fetch(`${running.server.url}/api/boards/bad!id/plan.json`)
    expect(bad.status).toBe(400)
    const id = await createBoard({})
    const badLang = await fetch(
      withToken(`${running.server.url}/api/boards/${id}/plan.json?lang=fr`, id),
    )
    expect(badLang.status).toBe(400)
    expect(((await badLang.json()) as { error: { code: string } }).error.code).toBe(
      'invalid_language',
    )
  })
})
