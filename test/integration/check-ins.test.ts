/**
 * Check-ins over the wire (issue 19): a facilitator's Node Yjs client schedules the 30/60/90-day
 * check-ins and runs one while an owner posts a step update; the record survives a server
 * restart and is in plan.json, plan.md, plan.csv and the calendar feed (read by ical.js), and an
 * exported plan imports into a new board with the same check-ins. Forged check-ins sent on a raw
 * WebSocket (lib0-encoded sync updates) are refused and never stored: a participant scheduling or
 * starting one, a malformed one, a 51st, and anything from a view link.
 */
import { checkInUid } from '@common-ground/shared/export'
import {
  addStep,
  CHECK_IN_FIELDS,
  checkInKey,
  derivePlan,
  finishCheckIn,
  MAX_CHECK_INS,
  type PartnershipPlan,
  PLAN,
  postStepUpdate,
  presetDates,
  scheduleCheckIns,
  setActionIssue,
  setCheckInRecord,
  startCheckIn,
} from '@common-ground/shared/plan'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { openAttacker, syncUpdateFrame, updateFrom } from '../support/attack.ts'
import {
  type CreatedBoard,
  createBoard,
  type LinkKind,
  participantOf,
  withToken,
} from '../support/boards.ts'
import { readCalendar } from '../support/ical.ts'
import type { RunningServer } from '../support/server.ts'
import { useRestartableServers } from '../support/session.ts'
import { connectClient, coversStateOf, waitFor, type YClient } from '../support/yclient.ts'

const servers = useRestartableServers()
let server: RunningServer
const ISSUE = 'shape:childcare'

beforeAll(async () => {
  server = await servers.start()
})

const opened: { destroy(): void }[] = []
afterEach(() => {
  for (const item of opened.splice(0)) item.destroy()
})

async function join(board: CreatedBoard, kind: LinkKind): Promise<YClient> {
  const client = connectClient(server.wsUrl, board.id, {
    params: participantOf(board.id, kind).params,
  })
  opened.push(client)
  await client.whenSynced()
  return client
}

async function get(board: CreatedBoard, file: string): Promise<Response> {
  const response = await fetch(withToken(`${server.url}/api/boards/${board.id}/${file}`, board.id))
  expect(response.status, file).toBe(200)
  return response
}

/** A board with one issue and two steps (Ana's and Ben's), written by its facilitator. */
async function boardWithSteps(title: string) {
  const board = await createBoard(server, { title })
  const facilitator = await join(board, 'facilitate')
  setActionIssue(facilitator.doc, ISSUE, { title: 'Childcare', rank: 1, sessionId: null })
  addStep(facilitator.doc, ISSUE, {
    id: 'hall',
    order: 'a1',
    what: 'Book the hall',
    person: 'Ana',
    due: '2026-09-15',
  })
  addStep(facilitator.doc, ISSUE, { id: 'grant', order: 'a2', what: 'Apply', person: 'Ben' })
  return { board, facilitator }
}

describe('running a check-in', () => {
  it('is kept across a restart and shows in plan.json, plan.md, plan.csv and the feed; import keeps it', async () => {
    const { board, facilitator } = await boardWithSteps('Eastside follow-up')
    const ana = await join(board, 'edit')
    const dates = presetDates('2026-05-04')
    scheduleCheckIns(
      facilitator.doc,
      [30, 60, 90].map((days, i) => ({
        id: `c${days}`,
        date: dates[i] as string,
        title: `${days}-day check-in`,
      })),
    )
    startCheckIn(facilitator.doc, 'c30', Date.now())
    setCheckInRecord(facilitator.doc, 'c30', 'attended', ['Ana', 'Luis Pérez'])
    await waitFor(() => ana.doc.getMap(PLAN).has(checkInKey('c30', 'startedAt')), {
      what: 'the start at Ana',
    })
    // Ana posts her step's line from her own device while the check-in runs.
    postStepUpdate(ana.doc, ISSUE, 'hall', {
      id: 'u1',
      status: 'blocked',
      note: 'The hall is closed in June',
      by: 'Ana',
      at: Date.now(),
    })
    await waitFor(() => coversStateOf(facilitator.doc, ana.doc), { what: 'Ana’s update' })
    setCheckInRecord(facilitator.doc, 'c30', 'blockers', 'No hall in June')
    setCheckInRecord(facilitator.doc, 'c30', 'decisions', 'Ask the library')
    finishCheckIn(facilitator.doc, 'c30', Date.now())
    await waitFor(() => coversStateOf(ana.doc, facilitator.doc), { what: 'the finish at Ana' })
    expect(ana.notices.filter((n) => (n as { kind?: string }).kind === 'write-refused')).toEqual([])
    const before = derivePlan(facilitator.doc).checkIns

    for (const item of opened.splice(0)) item.destroy()
    await server.stop()
    server = await servers.start({ dataDir: server.dataDir })

    const fresh = await join(board, 'view')
    const after = derivePlan(fresh.doc)
    expect(after.checkIns).toEqual(before)
    expect(after.checkIns[0]).toMatchObject({
      id: 'c30',
      date: '2026-06-03',
      attended: ['Ana', 'Luis Pérez'],
      blockers: 'No hall in June',
      decisions: 'Ask the library',
    })
    expect(after.checkIns[0]?.finishedAt).toBeGreaterThanOrEqual(
      after.checkIns[0]?.startedAt as number,
    )

    const plan = (await (await get(board, 'plan.json')).json()) as PartnershipPlan
    expect(plan.checkIns).toEqual(before)
    const md = await (await get(board, 'plan.md')).text()
    expect(md).toContain('## Check-ins')
    expect(md).toContain('**Who attended:** Ana, Luis Pérez')
    expect(md).toMatch(/- Book the hall: .*, Ana: Blocked — The hall is closed in June/)
    const csv = await (await get(board, 'plan.csv')).text()
    expect(csv.split('\r\n')[0]?.endsWith(',Check-ins')).toBe(true)
    expect(csv).toContain('30-day check-in (2026-06-03): ')

    const feed = readCalendar(await (await get(board, 'calendar.ics')).text())
    const checkIns = feed.events.filter((event) => event.uid.startsWith('checkin.'))
    expect(checkIns.map((event) => [event.uid, event.start, event.summary, event.allDay])).toEqual([
      [checkInUid(board.id, 'c30'), '2026-06-03', '30-day check-in', true],
      [checkInUid(board.id, 'c60'), '2026-07-03', '60-day check-in', true],
      [checkInUid(board.id, 'c90'), '2026-08-02', '90-day check-in', true],
    ])
    expect(checkIns[0]?.description).toContain('Who attended: Ana, Luis Pérez')
    // The step's own event is still there, beside them.
    expect(feed.events.some((event) => event.summary === 'Book the hall')).toBe(true)

    // Export, import into a new board, export again: the same check-ins and history.
    const created = await fetch(`${server.url}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ plan }),
    })
    expect(created.status).toBe(201)
    const copy = (await created.json()) as { id: string; tokens: { facilitate: string } }
    const again = await fetch(
      `${server.url}/api/boards/${copy.id}/plan.json?token=${copy.tokens.facilitate}`,
    )
    const imported = (await again.json()) as PartnershipPlan
    expect(imported.checkIns).toEqual(plan.checkIns)
    expect(imported.actionPlan).toEqual(plan.actionPlan)
  })
})

describe('forged check-ins on a raw socket', () => {
  /** Sends `change` as one sync update on a raw socket of `kind`: the codes it was refused with. */
  async function forge(
    board: CreatedBoard,
    kind: LinkKind,
    change: (plan: ReturnType<YClient['doc']['getMap']>) => void,
  ): Promise<string[]> {
    const query = new URLSearchParams(participantOf(board.id, kind).params)
    const attacker = await openAttacker(`${server.wsUrl}/sync/${board.id}?${query}`)
    opened.push({ destroy: () => attacker.close() })
    await attacker.roundTrip()
    const update = updateFrom(attacker.doc, (doc) => change(doc.getMap(PLAN)))
    const answer = await attacker.sendAndWait(syncUpdateFrame(update))
    return answer.refusals.map((notice) => String(notice.code))
  }

  it('refuses a participant scheduling, moving or starting one, malformed ones, a 51st and a view link', async () => {
    const { board, facilitator } = await boardWithSteps('Forged check-ins')
    scheduleCheckIns(facilitator.doc, [{ id: 'c30', date: '2026-06-03', title: '30 days' }])
    const watcher = await join(board, 'facilitate')
    await waitFor(() => watcher.doc.getMap(PLAN).has(checkInKey('c30', 'date')), {
      what: 'the check-in at the watcher',
    })

    const schedule = (id: string, date: unknown) => (plan: ReturnType<YClient['doc']['getMap']>) =>
      plan.doc?.transact(() => {
        plan.set(checkInKey(id, 'title'), 'Ours')
        plan.set(checkInKey(id, 'date'), date)
      })
    expect(await forge(board, 'edit', schedule('p1', '2026-07-01'))).toEqual(['facilitators-only'])
    expect(
      await forge(board, 'edit', (plan) => plan.set(checkInKey('c30', 'date'), '2026-12-24')),
    ).toEqual(['facilitators-only'])
    expect(
      await forge(board, 'edit', (plan) => plan.set(checkInKey('c30', 'startedAt'), Date.now())),
    ).toEqual(['facilitators-only'])
    expect(await forge(board, 'view', schedule('v1', '2026-07-01'))).toEqual(['read-only'])
    // Malformed, even from a facilitator's link.
    expect(await forge(board, 'facilitate', schedule('m1', '2026-02-30'))).toEqual(['invalid'])
    expect(
      await forge(board, 'facilitate', (plan) => plan.set(checkInKey('m2', 'title'), 'No date')),
    ).toEqual(['invalid'])
    expect(
      await forge(board, 'facilitate', (plan) =>
        plan.set(checkInKey('c30', 'startedAt'), Date.now() - 86_400_000),
      ),
    ).toEqual(['invalid'])
    expect(
      await forge(board, 'facilitate', (plan) => plan.set('followUp/checkIns/c30/secret', 'x')),
    ).toEqual(['invalid'])

    // Fifty are allowed; a fifty-first is not.
    scheduleCheckIns(
      facilitator.doc,
      Array.from({ length: MAX_CHECK_INS - 1 }, (_, i) => ({
        id: `n${i}`,
        date: `2027-01-${String((i % 28) + 1).padStart(2, '0')}`,
        title: '',
      })),
    )
    await waitFor(() => coversStateOf(watcher.doc, facilitator.doc), { what: 'fifty check-ins' })
    expect(derivePlan(watcher.doc).checkIns).toHaveLength(MAX_CHECK_INS)
    expect(await forge(board, 'facilitate', schedule('extra', '2027-02-01'))).toEqual(['invalid'])

    // None of it reached the board, nor survives a restart.
    for (const item of opened.splice(0)) item.destroy()
    await server.stop()
    server = await servers.start({ dataDir: server.dataDir })
    const fresh = await join(board, 'facilitate')
    const plan = derivePlan(fresh.doc)
    expect(plan.problems).toEqual([])
    expect(plan.checkIns).toHaveLength(MAX_CHECK_INS)
    expect(plan.checkIns.find((c) => c.id === 'c30')).toMatchObject({
      date: '2026-06-03',
      startedAt: null,
    })
    const forgedIds = ['p1', 'v1', 'm1', 'm2', 'extra']
    const keys = [...fresh.doc.getMap(PLAN).keys()]
    for (const id of forgedIds)
      for (const field of CHECK_IN_FIELDS)
        expect(keys.includes(checkInKey(id, field)), `${id} ${field}`).toBe(false)
    expect(keys.includes('followUp/checkIns/c30/secret')).toBe(false)
  })
})
