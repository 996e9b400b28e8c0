/**
 * Step updates over the wire (issue 19, progress): raw Node Yjs clients against a real server.
 * A participant posts an update of a step, which every client and `plan.json` then hold; the
 * server refuses an update edited or deleted by a participant, one stamped far from its clock,
 * one for a step that does not exist and one whose status is not the step's; a facilitator may
 * delete one; a view link posts nothing. The history goes through plan.json into a new board.
 *
 * A client whose change was refused is used for nothing else: the server never applied that
 * change, so what the client writes after it would depend on something the server does not have.
 */
import {
  addStep,
  derivePlan,
  type PartnershipPlan,
  PLAN,
  postStepUpdate,
  type StepUpdatePost,
  setActionIssue,
  stepKey,
  stepUpdateKey,
} from '@common-ground/shared/plan'
import { describe, expect, it } from 'vitest'
import { type CreatedBoard, createBoard, participantOf, withToken } from '../support/boards.ts'
import { useServer } from '../support/session.ts'
import { waitFor, type YClient } from '../support/yclient.ts'

const running = useServer()
const ISSUE = 'shape:issueHousing'

/** A board with one issue and one step `s1` (Ana's), seeded by its facilitator. */
async function boardWithStep(): Promise<{ board: CreatedBoard; facilitator: YClient }> {
  const board = await createBoard(running.server, { title: 'Eastside partnership' })
  const facilitator = running.client(board.id)
  await facilitator.whenSynced()
  setActionIssue(facilitator.doc, ISSUE, { title: 'Safe housing', rank: 1, sessionId: null })
  addStep(facilitator.doc, ISSUE, {
    id: 's1',
    what: 'Book the hall',
    person: 'Ana',
    due: '2026-09-01',
    order: 'a1',
  })
  return { board, facilitator }
}

async function join(board: CreatedBoard, kind: 'edit' | 'view' | 'facilitate' = 'edit') {
  const person = participantOf(board.id, kind)
  // Keeps its refused change, so the test sees what the server did and not a reload.
  const client = running.client(board.id, { params: person.params, reloadOnRefusal: false })
  await client.whenSynced()
  await waitFor(
    () => typeof client.doc.getMap(PLAN).get(stepKey(ISSUE, 's1', 'order')) === 'string',
    {
      what: 'the step at the new client',
    },
  )
  return client
}

const refusals = (client: YClient) =>
  client.notices.filter((notice) => (notice as { kind?: string }).kind === 'write-refused') as {
    code: string
  }[]

/** Waits for the server's refusal of the client's last change, returns its code. */
async function refusedCode(client: YClient, before: number): Promise<string> {
  const notice = await waitFor(() => refusals(client)[before], { what: 'a write-refused notice' })
  return notice.code
}

/** A change a new client of `kind` makes and that the server must refuse: its code. */
async function attempt(
  board: CreatedBoard,
  change: (plan: ReturnType<YClient['doc']['getMap']>, client: YClient) => void,
  kind: 'edit' | 'view' = 'edit',
): Promise<string> {
  const client = await join(board, kind)
  change(client.doc.getMap(PLAN), client)
  return refusedCode(client, 0)
}

const entry = (over: Partial<StepUpdatePost> = {}): StepUpdatePost => ({
  status: 'in-progress',
  note: 'Called the church',
  at: Date.now(),
  by: 'Ana',
  ...over,
})

async function planJson(boardId: string): Promise<PartnershipPlan> {
  const response = await fetch(
    withToken(`${running.server.url}/api/boards/${boardId}/plan.json`, boardId),
  )
  expect(response.status).toBe(200)
  return (await response.json()) as PartnershipPlan
}

describe('step updates', () => {
  it('a participant posts an update: everyone holds it and the step’s status, plan.json too', async () => {
    const { board, facilitator } = await boardWithStep()
    const ana = await join(board)
    const id = postStepUpdate(ana.doc, ISSUE, 's1', {
      status: 'in-progress',
      note: 'Asked the church for the hall',
      by: 'Ana',
      at: Date.now(),
    })
    const key = stepUpdateKey(ISSUE, 's1', id)
    await waitFor(() => facilitator.doc.getMap(PLAN).get(key), { what: 'the update' })
    const step = derivePlan(facilitator.doc).actionPlan[0]?.steps[0]
    expect(step?.status).toBe('in-progress')
    expect(step?.lastUpdate).toMatchObject({ id, note: 'Asked the church for the hall', by: 'Ana' })
    expect(refusals(ana)).toEqual([])
    const plan = await planJson(board.id)
    expect(plan.actionPlan[0]?.steps[0]?.history.map((update) => update.id)).toEqual([id])
  })

  it('refuses a participant’s edit or deletion of an update, and keeps it as written', async () => {
    const { board, facilitator } = await boardWithStep()
    const ana = await join(board)
    postStepUpdate(ana.doc, ISSUE, 's1', entry({ id: 'u1' }))
    const key = stepUpdateKey(ISSUE, 's1', 'u1')
    await waitFor(() => facilitator.doc.getMap(PLAN).get(key), { what: 'the update' })
    const written = JSON.stringify(facilitator.doc.getMap(PLAN).get(key))
    await waitFor(() => refusals(ana).length === 0 && ana.provider.synced, { what: 'Ana synced' })

    // Someone rewrites Ana's note, Ana rewrites her own: no participant edits an update.
    expect(await attempt(board, (plan) => plan.set(key, entry({ note: 'Ben was here' })))).toBe(
      'invalid',
    )
    expect(
      await attempt(board, (plan) => plan.set(key, { ...JSON.parse(written), note: 'Never mind' })),
    ).toBe('invalid')
    // Nor deletes one.
    expect(await attempt(board, (plan) => plan.delete(key))).toBe('facilitators-only')

    // A new client sees the update exactly as it was written.
    const later = await join(board)
    await waitFor(() => later.doc.getMap(PLAN).get(key), { what: 'the update at a new client' })
    expect(JSON.stringify(later.doc.getMap(PLAN).get(key))).toBe(written)
    expect(JSON.stringify(facilitator.doc.getMap(PLAN).get(key))).toBe(written)
  })

  it('refuses a back-dated or forward-dated update, one of no step, and one whose status is not the step’s', async () => {
    const { board, facilitator } = await boardWithStep()
    const withStatus =
      (key: string, value: StepUpdatePost) => (plan: ReturnType<YClient['doc']['getMap']>) =>
        plan.doc?.transact(() => {
          plan.set(key, value)
          plan.set(stepKey(ISSUE, 's1', 'status'), value.status)
        })
    const day = 24 * 3_600_000
    const key = (id: string) => stepUpdateKey(ISSUE, 's1', id)
    expect(await attempt(board, withStatus(key('old'), entry({ at: Date.now() - day })))).toBe(
      'invalid',
    )
    expect(await attempt(board, withStatus(key('soon'), entry({ at: Date.now() + day })))).toBe(
      'invalid',
    )
    expect(
      await attempt(board, (plan) =>
        plan.set(stepUpdateKey(ISSUE, 'ghost', 'u1'), entry({ status: 'not-started' })),
      ),
    ).toBe('invalid')
    // The entry says done, the step stays as it is.
    expect(await attempt(board, (plan) => plan.set(key('liar'), entry({ status: 'done' })))).toBe(
      'invalid',
    )
    expect(await attempt(board, withStatus(key('long'), entry({ note: 'x'.repeat(281) })))).toBe(
      'invalid',
    )
    // Within the server's leeway it is an update like any other.
    const ben = await join(board)
    withStatus(key('recent'), entry({ at: Date.now() - 60_000 }))(ben.doc.getMap(PLAN))
    await waitFor(() => facilitator.doc.getMap(PLAN).get(key('recent')), {
      what: 'a recent update',
    })
    facilitator.doc.getMap(PLAN).delete(key('recent'))
    await waitFor(() => ben.doc.getMap(PLAN).get(key('recent')) === undefined, {
      what: 'its deletion',
    })
    expect(refusals(ben)).toEqual([])

    // None of it reached anyone: the facilitator's board has no update, the step is as it was.
    const fresh = await join(board)
    const keys = [...fresh.doc.getMap(PLAN).keys()].filter((key) =>
      key.startsWith('action/updates/'),
    )
    expect(keys).toEqual([])
    expect(derivePlan(facilitator.doc).actionPlan[0]?.steps[0]?.history).toEqual([])
  })

  it('lets a facilitator delete an update; a view link posts nothing', async () => {
    const { board, facilitator } = await boardWithStep()
    const ana = await join(board)
    postStepUpdate(ana.doc, ISSUE, 's1', entry({ id: 'u1' }))
    const key = stepUpdateKey(ISSUE, 's1', 'u1')
    await waitFor(() => facilitator.doc.getMap(PLAN).get(key), { what: 'the update' })

    expect(
      await attempt(
        board,
        (_plan, observer) => postStepUpdate(observer.doc, ISSUE, 's1', entry({ id: 'u2' })),
        'view',
      ),
    ).toBe('read-only')

    facilitator.doc.getMap(PLAN).delete(key)
    await waitFor(() => ana.doc.getMap(PLAN).get(key) === undefined, {
      what: 'the deletion at Ana',
    })
    expect(refusals(facilitator)).toEqual([])
    expect(derivePlan(ana.doc).actionPlan[0]?.steps[0]?.history).toEqual([])
    // The step keeps the status the update set: deleting history does not rewrite the present.
    expect(derivePlan(ana.doc).actionPlan[0]?.steps[0]?.status).toBe('in-progress')
  })

  it('carries the history through plan.json into a new board, unchanged', async () => {
    const { board } = await boardWithStep()
    const ana = await join(board)
    const first = postStepUpdate(ana.doc, ISSUE, 's1', {
      status: 'in-progress',
      note: 'Called',
      by: 'Ana',
      at: Date.now() - 1000,
    })
    const second = postStepUpdate(ana.doc, ISSUE, 's1', {
      status: 'done',
      note: 'Booked — “Salón Unión” 💜',
      by: 'Ana',
      at: Date.now(),
    })
    let plan = await planJson(board.id)
    for (let i = 0; i < 50 && plan.actionPlan[0]?.steps[0]?.history.length !== 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      plan = await planJson(board.id)
    }
    expect(plan.actionPlan[0]?.steps[0]?.history.map((update) => update.id)).toEqual([
      second,
      first,
    ])
    const created = await fetch(`${running.server.url}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ plan }),
    })
    expect(created.status).toBe(201)
    const copy = (await created.json()) as { id: string; tokens: { facilitate: string } }
    const response = await fetch(
      `${running.server.url}/api/boards/${copy.id}/plan.json?token=${copy.tokens.facilitate}`,
    )
    const again = (await response.json()) as PartnershipPlan
    expect(again.actionPlan).toEqual(plan.actionPlan)
  })
})
