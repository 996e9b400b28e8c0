/**
 * "Start the next retreat from this plan" over HTTP: `POST /api/boards/:id/next-retreat` on a
 * board written by a Node Yjs client. Only a facilitate link starts one (participant, view,
 * calendar and wrong keys are refused, before the address's creation budget is spent); the new
 * board holds the partners, the open steps with their history and the evaluation plan, and
 * nothing else; both boards name each other in `meta`, live for whoever is connected; one next
 * retreat per board; bad bodies get specific errors; the per-address creation limit applies.
 */
import { boardCommands, NEXT_RETREAT, PREVIOUS_RETREAT } from '@common-ground/shared/board'
import { organizationCard, putRecords } from '@common-ground/shared/fixtures'
import type { PartnershipPlan } from '@common-ground/shared/plan'
import { PLAN } from '@common-ground/shared/plan'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CreatedBoard, createBoard, type LinkKind, participantOf } from '../support/boards.ts'
import { type RunningServer, removeDataDir, startServer, withServer } from '../support/server.ts'
import { connectClient, waitFor, type YClient } from '../support/yclient.ts'

const ISSUE = 'shape:childcare'
const DONE_ISSUE = 'shape:transit'

let server: RunningServer
let board: CreatedBoard
const clients: YClient[] = []
let watcher: YClient

beforeAll(async () => {
  server = await startServer({ env: { MAX_BOARDS_PER_HOUR_PER_IP: '0' } })
  board = await createBoard(server, { title: 'Retreat 2026', template: 'retreat' })
  const client = connect(board, 'facilitate')
  await client.whenSynced()
  putRecords(client.doc, [
    organizationCard('aldea', { name: 'Aldea Niños', offers: 'Evening rooms' }),
    organizationCard('works', { name: 'WorkSource Board' }, { x: 400 }),
  ])
  const run = boardCommands(client.doc)
  run.setActionIssue(ISSUE, { title: 'Childcare during classes', rank: 1, sessionId: 'vote1' })
  run.setActionIssue(DONE_ISSUE, { title: 'Bus passes', rank: 2, sessionId: 'vote1' })
  run.setCommitment(ISSUE, 'shape:aldea', 'takesOn', 'Run the evening room')
  run.addStep(ISSUE, {
    id: 'hall',
    order: 'a1',
    what: 'Book the hall',
    person: 'Ana',
    organization: 'shape:aldea',
    due: '2026-09-15',
  })
  run.addStep(ISSUE, { id: 'hire', order: 'a2', what: 'Hire caregivers', person: 'Luis' })
  run.addStep(ISSUE, { id: 'flyer', order: 'a3', what: 'Print the flyer' })
  run.addStep(DONE_ISSUE, { id: 'passes', order: 'a1', what: 'Buy passes' })
  const at = Date.now()
  run.postStepUpdate(ISSUE, 'hall', { status: 'in-progress', note: 'Asked', by: 'Ana', at })
  run.postStepUpdate(ISSUE, 'hall', { status: 'blocked', note: 'Closed', by: 'Ana', at: at + 1 })
  run.postStepUpdate(ISSUE, 'flyer', { status: 'done', note: 'Printed', by: 'Mia', at })
  run.postStepUpdate(DONE_ISSUE, 'passes', { status: 'done', note: '', by: 'Mia', at })
  run.setPlanEntry('evaluation/indicators/i1', {
    name: 'Parents finishing the course',
    kind: 'quantitative',
    dataSource: 'Class rosters',
    organization: 'shape:aldea',
    unit: 'parents',
    baseline: 10,
    target: 40,
    frequency: 'quarterly',
  })
  run.postIndicatorValue('i1', {
    id: 'v1',
    date: '2026-08-31',
    value: 14,
    note: 'Summer class',
    group: '',
    by: 'Mia',
    at,
  })
  run.setPlanEntry('evaluation/reviewCadence', 'quarterly')
  run.setPlanEntry('community/needs', 'Childcare')
  run.setAgreementDate('2026-10-01')
  // Everything is stored once a second client sees it; it stays to see the link arrive live.
  watcher = connect(board, 'view')
  await watcher.whenSynced()
  await waitFor(() => watcher.doc.getMap(PLAN).get('agreement/effectiveDate'), {
    what: 'the plan on the server',
  })
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.stop()
  if (server) await removeDataDir(server.dataDir)
})

function connect(on: CreatedBoard, kind: LinkKind): YClient {
  const client = connectClient(server.wsUrl, on.id, { params: participantOf(on.id, kind).params })
  clients.push(client)
  return client
}

function start(
  on: CreatedBoard | string,
  token: string | null,
  body?: string,
  type = 'application/json',
  base = server,
) {
  const id = typeof on === 'string' ? on : on.id
  return fetch(`${base.url}/api/boards/${id}/next-retreat`, {
    method: 'POST',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': type }),
    },
    ...(body === undefined ? {} : { body }),
  })
}

async function errorOf(response: Response): Promise<{ status: number; code: string }> {
  const body = (await response.json()) as { error?: { code?: string } }
  return { status: response.status, code: body.error?.code ?? '' }
}

describe('POST /api/boards/:id/next-retreat', () => {
  it('refuses every key but the facilitate link, and bad bodies, creating nothing', async () => {
    const refusals = [
      [board.tokens.edit, 403, 'facilitators_only'],
      [board.tokens.view, 403, 'facilitators_only'],
      [board.tokens.calendar as string, 403],
      ['A'.repeat(32), 403],
      [null, 401],
    ] as const
    for (const [token, status, code] of refusals) {
      const answer = await errorOf(await start(board, token))
      expect(answer.status, String(token)).toBe(status)
      if (code) expect(answer.code).toBe(code)
    }
    const facilitate = board.tokens.facilitate
    expect(await errorOf(await start('nosuchboard1', facilitate))).toMatchObject({ status: 404 })
    expect(await errorOf(await start(board, facilitate, '{"title": 7}'))).toEqual({
      status: 400,
      code: 'invalid_title',
    })
    expect(await errorOf(await start(board, facilitate, '{"locale": "xx"}'))).toEqual({
      status: 400,
      code: 'invalid_locale',
    })
    expect(await errorOf(await start(board, facilitate, '[1]'))).toEqual({
      status: 400,
      code: 'invalid_json',
    })
    expect(await errorOf(await start(board, facilitate, 'title=x', 'text/plain'))).toEqual({
      status: 415,
      code: 'unsupported_media_type',
    })
    const huge = JSON.stringify({ title: 'x', pad: 'y'.repeat(20_000) })
    expect(await errorOf(await start(board, facilitate, huge))).toMatchObject({ status: 413 })
    // Nothing was linked.
    expect(watcher.doc.getMap('meta').get(NEXT_RETREAT)).toBeUndefined()
  })

  it('makes a board with the partners, the open steps and the evaluation plan, linked both ways', async () => {
    const response = await start(board, board.tokens.facilitate, '{"locale": "es"}')
    expect(response.status, await response.clone().text()).toBe(201)
    const next = (await response.json()) as {
      id: string
      title: string
      role: string
      tokens: Record<LinkKind, string>
      links: Record<LinkKind, string>
      previousRetreat: { id: string; title: string; createdAt: number }
    }
    expect(next.id).not.toBe(board.id)
    expect(next.title).toBe('Retreat 2026 (próximo retiro)')
    expect(next.role).toBe('facilitator')
    expect(next.links.facilitate).toContain(`/b/${next.id}#key=${next.tokens.facilitate}`)
    expect(next.previousRetreat).toMatchObject({ id: board.id, title: 'Retreat 2026' })

    const planResponse = await fetch(
      `${server.url}/api/boards/${next.id}/plan.json?token=${next.tokens.facilitate}`,
    )
    const plan = (await planResponse.json()) as PartnershipPlan
    expect(plan.problems).toEqual([])
    expect(plan.organizations.map((org) => [org.name, org.offers])).toEqual([
      ['Aldea Niños', 'Evening rooms'],
      ['WorkSource Board', ''],
    ])
    const aldea = plan.organizations[0]?.id
    expect(aldea).toMatch(/^shape:/)
    expect(aldea).not.toBe('shape:aldea')
    // One priority (the other's only step is done), its open steps, their history.
    expect(plan.actionPlan).toHaveLength(1)
    const [item] = plan.actionPlan
    expect(item).toMatchObject({ title: 'Childcare during classes', rank: 1, sessionId: null })
    expect(item?.commitments).toEqual([
      { organization: aldea, takesOn: 'Run the evening room', fromPartners: '', fromParent: '' },
    ])
    expect(item?.steps.map((step) => [step.id, step.what, step.person, step.status])).toEqual([
      ['hall', 'Book the hall', 'Ana', 'blocked'],
      ['hire', 'Hire caregivers', 'Luis', 'not-started'],
    ])
    expect(item?.steps[0]?.organization).toBe(aldea)
    expect(item?.steps[0]?.due).toBe('2026-09-15')
    expect(item?.steps[0]?.history.map((update) => update.note)).toEqual(['Closed', 'Asked'])
    expect(plan.evaluation).toEqual({
      indicators: [
        {
          id: 'i1',
          name: 'Parents finishing the course',
          kind: 'quantitative',
          dataSource: 'Class rosters',
          // The partner's card on the new board, and the indicator's history with it.
          organization: aldea,
          unit: 'parents',
          baseline: 10,
          target: 40,
          frequency: 'quarterly',
          values: [
            {
              id: 'v1',
              date: '2026-08-31',
              value: 14,
              note: 'Summer class',
              group: '',
              by: 'Mia',
              at: expect.any(Number),
            },
          ],
        },
      ],
      dataSharing: '',
      reviewCadence: 'quarterly',
      sustain: '',
    })
    // What the next retreat asks again stays behind.
    expect(plan.community.needs).toBe('')
    expect(plan.agreement.effectiveDate).toBeNull()

    // Both boards name each other: the old one live, for whoever is connected.
    await waitFor(() => watcher.doc.getMap('meta').get(NEXT_RETREAT), {
      what: 'the next retreat named on the old board',
    })
    expect(watcher.doc.getMap('meta').get(NEXT_RETREAT)).toMatchObject({
      id: next.id,
      title: next.title,
    })
    const newcomer = connectClient(server.wsUrl, next.id, {
      params: { ...participantOf(board.id).params, token: next.tokens.view },
    })
    clients.push(newcomer)
    await newcomer.whenSynced()
    expect(newcomer.doc.getMap('meta').get(PREVIOUS_RETREAT)).toEqual(next.previousRetreat)

    // One next retreat per board.
    expect(await errorOf(await start(board, board.tokens.facilitate))).toEqual({
      status: 409,
      code: 'next_retreat_exists',
    })
  })

  it('spends the address’s board creation budget, after the key is checked', async () => {
    await withServer(
      async (limited) => {
        const first = await createBoard(limited, { template: 'retreat' })
        await createBoard(limited, { template: 'retreat' })
        // A view key is told it is not a facilitator, not that the budget is spent.
        expect(
          await errorOf(await start(first, first.tokens.view, undefined, '', limited)),
        ).toEqual({
          status: 403,
          code: 'facilitators_only',
        })
        const refused = await start(first, first.tokens.facilitate, undefined, '', limited)
        expect(refused.headers.get('retry-after')).toMatch(/^\d+$/)
        expect(await errorOf(refused)).toEqual({ status: 429, code: 'rate_limited' })
      },
      { env: { MAX_BOARDS_PER_HOUR_PER_IP: '2' } },
    )
  })
})
