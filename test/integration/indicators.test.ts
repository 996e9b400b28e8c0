/**
 * Indicator values over the wire (issue 19, indicators over time): raw Node Yjs clients against a
 * real server process. A participant enters a value, which every client, `plan.json` and a
 * restarted server then hold; the server refuses a malformed value, one of the wrong type, one
 * from a view link, one past the most an indicator keeps, a changed value, a participant's
 * deletion of a value or of an indicator that has values, and a change of its kind. Indicators
 * and their values go through plan.json into a new board unchanged.
 *
 * A client whose change was refused is used for nothing else (see progress.test.ts).
 */
import {
  blankIndicatorEntry,
  derivePlan,
  type IndicatorEntry,
  type IndicatorValuePost,
  indicatorKey,
  indicatorValueKey,
  MAX_VALUES_PER_INDICATOR,
  type PartnershipPlan,
  PLAN,
  postIndicatorValue,
  setPlanEntry,
} from '@common-ground/shared/plan'
import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { openAttacker, syncUpdateFrame, updateFrom } from '../support/attack.ts'
import { type CreatedBoard, createBoard, participantOf, withToken } from '../support/boards.ts'
import type { RunningServer } from '../support/server.ts'
import { useRestartableServers } from '../support/session.ts'
import { waitFor, type YClient } from '../support/yclient.ts'

const servers = useRestartableServers()

const families: IndicatorEntry = {
  ...blankIndicatorEntry(),
  name: 'Families enrolled',
  unit: 'families',
  baseline: 40,
  target: 120,
  frequency: 'monthly',
}

let shared: RunningServer | null = null
async function server(): Promise<RunningServer> {
  shared ??= await servers.start()
  return shared
}

/** A board with a quantitative indicator `n` and a qualitative one `q`, set by its facilitator. */
async function boardWithIndicators(on?: RunningServer) {
  const running = on ?? (await server())
  const board = await createBoard(running, { title: 'Eastside partnership' })
  const facilitator = servers.client(running, board.id)
  await facilitator.whenSynced()
  setPlanEntry(facilitator.doc, indicatorKey('n'), families)
  setPlanEntry(facilitator.doc, indicatorKey('q'), {
    ...blankIndicatorEntry('qualitative'),
    name: 'What parents say',
  })
  return { running, board, facilitator }
}

async function join(
  running: RunningServer,
  board: CreatedBoard,
  kind: 'edit' | 'view' | 'facilitate' = 'edit',
): Promise<YClient> {
  const person = participantOf(board.id, kind)
  const client = servers.client(running, board.id, {
    params: person.params,
    reloadOnRefusal: false,
  })
  await client.whenSynced()
  await waitFor(() => client.doc.getMap(PLAN).get(indicatorKey('q')), {
    what: 'the indicators at the new client',
  })
  return client
}

const refusals = (client: YClient) =>
  client.notices.filter((notice) => (notice as { kind?: string }).kind === 'write-refused') as {
    code: string
    message?: string
  }[]

async function refusedCode(client: YClient, before = 0): Promise<string> {
  const notice = await waitFor(() => refusals(client)[before], { what: 'a write-refused notice' })
  return notice.code
}

const value = (over: Partial<IndicatorValuePost> = {}): IndicatorValuePost => ({
  date: '2026-03-01',
  value: 52,
  note: 'From the intake sheet',
  group: 'Income under $25k',
  by: 'Ana',
  at: Date.now(),
  ...over,
})

async function planJson(running: RunningServer, boardId: string): Promise<PartnershipPlan> {
  const response = await fetch(withToken(`${running.url}/api/boards/${boardId}/plan.json`, boardId))
  expect(response.status).toBe(200)
  return (await response.json()) as PartnershipPlan
}

/** plan.json once `ready` holds (the server persists and derives a moment after a write). */
async function planJsonWhen(
  running: RunningServer,
  boardId: string,
  ready: (plan: PartnershipPlan) => boolean,
): Promise<PartnershipPlan> {
  let plan = await planJson(running, boardId)
  for (let i = 0; i < 50 && !ready(plan); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    plan = await planJson(running, boardId)
  }
  return plan
}

describe('indicator values', () => {
  it('a participant enters a value: everyone holds it, plan.json too, and it survives a restart', async () => {
    const running = await servers.start()
    const { board, facilitator } = await boardWithIndicators(running)
    const ana = await join(running, board)
    const id = postIndicatorValue(ana.doc, 'n', value())
    const key = indicatorValueKey('n', id)
    await waitFor(() => facilitator.doc.getMap(PLAN).get(key), { what: 'the value' })
    const indicator = derivePlan(facilitator.doc).evaluation.indicators.find((i) => i.id === 'n')
    expect(indicator?.values).toEqual([{ id, ...value(), at: indicator?.values[0]?.at }])
    expect(refusals(ana)).toEqual([])
    const before = await planJsonWhen(running, board.id, (plan) =>
      plan.evaluation.indicators.some((i) => i.values.length === 1),
    )
    expect(before.evaluation.indicators.find((i) => i.id === 'n')?.values.map((v) => v.id)).toEqual(
      [id],
    )

    await running.stop()
    const restarted = await servers.start({ dataDir: running.dataDir })
    const fresh = servers.client(restarted, board.id)
    await fresh.whenSynced()
    expect(fresh.doc.getMap(PLAN).get(key)).toMatchObject({ value: 52, group: 'Income under $25k' })
    const after = await planJson(restarted, board.id)
    expect(after.evaluation).toEqual(before.evaluation)
    await restarted.stop()
  })

  it('refuses a malformed value, one of the wrong type, and one of no indicator', async () => {
    const { running, board } = await boardWithIndicators()
    const attempts: [string, (plan: ReturnType<YClient['doc']['getMap']>) => void][] = [
      [
        'a date that does not exist',
        (plan) => plan.set(indicatorValueKey('n', 'a'), { ...value(), date: '2026-02-30' }),
      ],
      [
        'an extra field',
        (plan) => plan.set(indicatorValueKey('n', 'b'), { ...value(), html: '<b>' }),
      ],
      [
        'a missing field',
        (plan) => plan.set(indicatorValueKey('n', 'c'), { date: '2026-03-01', value: 1 }),
      ],
      [
        'a text on a quantitative indicator',
        (plan) => plan.set(indicatorValueKey('n', 'd'), value({ value: 'many' })),
      ],
      [
        'a number on a qualitative indicator',
        (plan) => plan.set(indicatorValueKey('q', 'e'), value({ value: 3 })),
      ],
      ['a value of no indicator', (plan) => plan.set(indicatorValueKey('gone', 'f'), value())],
      [
        'a back-dated entry',
        (plan) => plan.set(indicatorValueKey('n', 'g'), value({ at: Date.now() - 3_600_000 })),
      ],
      ['a key of no shape', (plan) => plan.set('evaluation/values/n', value())],
    ]
    for (const [what, change] of attempts) {
      const client = await join(running, board)
      change(client.doc.getMap(PLAN))
      expect(await refusedCode(client), what).toBe('invalid')
    }
    // Nothing of it reached the board.
    const plan = await planJson(running, board.id)
    expect(plan.evaluation.indicators.flatMap((i) => i.values)).toEqual([])
  })

  it('a view link enters nothing; values are never changed, and only a facilitator deletes one', async () => {
    const { running, board, facilitator } = await boardWithIndicators()
    const viewer = await join(running, board, 'view')
    viewer.doc.getMap(PLAN).set(indicatorValueKey('n', 'v'), value())
    expect(await refusedCode(viewer)).toBe('read-only')

    const ana = await join(running, board)
    const id = postIndicatorValue(ana.doc, 'n', value())
    const key = indicatorValueKey('n', id)
    await waitFor(() => facilitator.doc.getMap(PLAN).get(key), { what: 'the value' })

    const editor = await join(running, board)
    await waitFor(() => editor.doc.getMap(PLAN).get(key), { what: 'the value at the editor' })
    editor.doc.getMap(PLAN).set(key, { ...value(), value: 99 })
    expect(await refusedCode(editor)).toBe('invalid')

    const deleter = await join(running, board)
    await waitFor(() => deleter.doc.getMap(PLAN).get(key), { what: 'the value at the deleter' })
    deleter.doc.getMap(PLAN).delete(key)
    expect(await refusedCode(deleter)).toBe('facilitators-only')

    const remover = await join(running, board)
    await waitFor(() => remover.doc.getMap(PLAN).get(key), { what: 'the value at the remover' })
    remover.doc.getMap(PLAN).delete(indicatorKey('n'))
    expect(await refusedCode(remover)).toBe('facilitators-only')

    const switcher = await join(running, board)
    await waitFor(() => switcher.doc.getMap(PLAN).get(key), { what: 'the value at the switcher' })
    switcher.doc.getMap(PLAN).set(indicatorKey('n'), { ...families, kind: 'qualitative' })
    expect(await refusedCode(switcher)).toBe('invalid')

    // The facilitator may delete it; the value is gone for everyone.
    facilitator.doc.getMap(PLAN).delete(key)
    await waitFor(() => ana.doc.getMap(PLAN).get(key) === undefined, { what: 'the deletion' })
    expect(refusals(facilitator)).toEqual([])
    expect(refusals(ana)).toEqual([])
  })

  it(`refuses the value past ${MAX_VALUES_PER_INDICATOR} on one indicator`, async () => {
    const { running, board, facilitator } = await boardWithIndicators()
    const plan = facilitator.doc.getMap(PLAN)
    // Written in chunks, as many people entering values over the years would.
    for (let chunk = 0; chunk < MAX_VALUES_PER_INDICATOR; chunk += 100) {
      facilitator.doc.transact(() => {
        for (let i = chunk; i < chunk + 100; i++)
          plan.set(indicatorValueKey('n', `v${i}`), value({ at: Date.now() }))
      })
    }
    const last = indicatorValueKey('n', `v${MAX_VALUES_PER_INDICATOR - 1}`)
    const late = await join(running, board)
    await waitFor(() => late.doc.getMap(PLAN).get(last), { what: 'every value at the new client' })
    expect(refusals(facilitator)).toEqual([])
    late.doc.getMap(PLAN).set(indicatorValueKey('n', 'one-too-many'), value())
    expect(await refusedCode(late)).toBe('invalid')
    // Another indicator still takes values.
    const other = await join(running, board)
    postIndicatorValue(other.doc, 'q', value({ value: 'Easier forms' }))
    const json = await planJsonWhen(running, board.id, (p) =>
      p.evaluation.indicators.some((i) => i.id === 'q' && i.values.length === 1),
    )
    expect(json.evaluation.indicators.find((i) => i.id === 'q')?.values).toHaveLength(1)
    expect(json.evaluation.indicators.find((i) => i.id === 'n')?.values).toHaveLength(
      MAX_VALUES_PER_INDICATOR,
    )
    expect(refusals(other)).toEqual([])
  })

  it('carries indicators and their values through plan.json into a new board, unchanged', async () => {
    const { running, board } = await boardWithIndicators()
    const ana = await join(running, board)
    postIndicatorValue(ana.doc, 'n', value({ date: '2026-01-01', value: 40, group: '' }))
    postIndicatorValue(ana.doc, 'n', value({ date: '2026-02-01', value: 47.5 }))
    postIndicatorValue(
      ana.doc,
      'q',
      value({ value: 'Forms are easier — “Salón Unión” 💜', group: '' }),
    )
    const plan = await planJsonWhen(
      running,
      board.id,
      (p) => p.evaluation.indicators.reduce((sum, i) => sum + i.values.length, 0) === 3,
    )
    expect(plan.evaluation.indicators.reduce((sum, i) => sum + i.values.length, 0)).toBe(3)
    const created = await fetch(`${running.url}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ plan }),
    })
    expect(created.status).toBe(201)
    const copy = (await created.json()) as { id: string; tokens: { facilitate: string } }
    const response = await fetch(
      `${running.url}/api/boards/${copy.id}/plan.json?token=${copy.tokens.facilitate}`,
    )
    const again = (await response.json()) as PartnershipPlan
    expect(again.evaluation).toEqual(plan.evaluation)
  })

  it('refuses forged values sent as raw Yjs frames: a view link, a wrong shape, one update past the limit', async () => {
    const { running, board, facilitator } = await boardWithIndicators()
    const attackerOn = async (kind: 'view' | 'edit') => {
      const query = new URLSearchParams(participantOf(board.id, kind).params)
      const attacker = await openAttacker(`${running.wsUrl}/sync/${board.id}?${query}`)
      await attacker.roundTrip()
      await attacker.until(
        () => attacker.doc.getMap(PLAN).has(indicatorKey('q')),
        15_000,
        'the board',
      )
      return attacker
    }
    const forge = (
      attacker: Awaited<ReturnType<typeof attackerOn>>,
      change: (plan: Y.Map<unknown>) => void,
    ) =>
      attacker.sendAndWait(
        syncUpdateFrame(updateFrom(attacker.doc, (doc) => change(doc.getMap(PLAN)))),
      )

    const viewer = await attackerOn('view')
    const read = await forge(viewer, (plan) => plan.set(indicatorValueKey('n', 'x'), value()))
    expect(read.refusals.map((r) => r.code)).toEqual(['read-only'])
    viewer.close()

    const shape = await attackerOn('edit')
    const wrong = await forge(shape, (plan) =>
      plan.set(indicatorValueKey('n', 'x'), { ...value(), value: Number.MAX_VALUE * 10 }),
    )
    expect(wrong.refusals.map((r) => r.code)).toEqual(['invalid'])
    shape.close()

    const flood = await attackerOn('edit')
    const many = await forge(flood, (plan) => {
      for (let i = 0; i <= MAX_VALUES_PER_INDICATOR; i++)
        plan.set(indicatorValueKey('n', `f${i}`), value())
    })
    expect(many.refusals.map((r) => r.code)).toEqual(['invalid'])
    flood.close()

    // None of it reached anyone.
    const plan = facilitator.doc.getMap(PLAN)
    expect([...plan.keys()].filter((key) => key.startsWith('evaluation/values/'))).toEqual([])
  })
})
