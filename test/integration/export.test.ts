/**
 * The plan's exports over HTTP: Markdown and CSV of a board edited by Node Yjs clients, and
 * importing an exported plan (`POST /api/boards {"plan": …}`) into a new board that exports the
 * same plan. A hostile import is refused with the field that failed, and creates nothing.
 */
import { CSV_BOM, planToCsv, planToMarkdown } from '@common-ground/shared/export'
import { note, organizationCard, putRecords } from '@common-ground/shared/fixtures'
import {
  addStep,
  type PartnershipPlan,
  setActionIssue,
  setCommitment,
  stageFrameId,
} from '@common-ground/shared/plan'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningServer, removeDataDir, startServer } from '../support/server.ts'
import { connectClient, coversStateOf, waitFor, type YClient } from '../support/yclient.ts'

let server: RunningServer
const clients: YClient[] = []
/** Link keys of the boards made here, when the server hands them out. */
const tokens = new Map<string, string>()

beforeAll(async () => {
  server = await startServer()
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.stop()
  if (server) await removeDataDir(server.dataDir)
})

function url(boardId: string, path: string): string {
  const token = tokens.get(boardId)
  const base = `${server.url}/api/boards/${boardId}/${path}`
  return token ? `${base}${base.includes('?') ? '&' : '?'}token=${token}` : base
}

async function post(body: unknown): Promise<Response> {
  return fetch(`${server.url}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

async function created(response: Response): Promise<string> {
  expect(response.status, await response.clone().text()).toBe(201)
  const body = (await response.json()) as { id: string; tokens?: { facilitate: string } }
  if (body.tokens) tokens.set(body.id, body.tokens.facilitate)
  return body.id
}

async function connect(boardId: string): Promise<YClient> {
  const token = tokens.get(boardId)
  const client = connectClient(server.wsUrl, boardId, token ? { params: { token } } : {})
  clients.push(client)
  await client.whenSynced()
  return client
}

async function planOf(boardId: string, lang = 'en'): Promise<PartnershipPlan> {
  const response = await fetch(url(boardId, `plan.json?lang=${lang}`))
  expect(response.status).toBe(200)
  return (await response.json()) as PartnershipPlan
}

async function boardCount(): Promise<number> {
  // Every board created shows in the log as "board created".
  return server.logs.filter((line) => line.msg === 'board created').length
}

describe('plan.md and plan.csv', () => {
  it('export what two Node clients wrote, in the requested language', async () => {
    const id = await created(
      await post({ title: 'Café «Unión» 💜 / retreat', template: 'retreat' }),
    )
    const alice = await connect(id)
    const bob = await connect(id)
    const issue = 'shape:childcare'
    putRecords(alice.doc, [
      organizationCard('aldea', { name: 'Aldea Niños' }),
      organizationCard('shalom', { name: 'מרכז שלום' }, { x: 400 }),
      note('childcare', '=Childcare <b>now</b>', {
        parentId: stageFrameId('issues'),
        x: 40,
        y: 120,
      }),
    ])
    setActionIssue(alice.doc, issue, { title: '=Childcare <b>now</b>', rank: 1, sessionId: null })
    setCommitment(alice.doc, issue, 'shape:aldea', 'takesOn', 'Evening rooms')
    addStep(alice.doc, issue, { order: 'a1', what: 'Book the hall, "big" one', person: 'Ana' })
    addStep(bob.doc, issue, {
      order: 'a2',
      what: '@mention the board',
      organization: 'shape:shalom',
      due: '2026-11-30',
      status: 'in-progress',
    })
    await waitFor(() => coversStateOf(alice.doc, bob.doc) && coversStateOf(bob.doc, alice.doc), {
      what: 'alice and bob in step',
    })

    const plan = await planOf(id)
    expect(plan.actionPlan[0]?.steps.map((step) => step.what)).toEqual([
      'Book the hall, "big" one',
      '@mention the board',
    ])

    const csv = await fetch(url(id, 'plan.csv'))
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present')
    const disposition = csv.headers.get('content-disposition') ?? ''
    expect(disposition).toMatch(/^attachment; filename="[A-Za-z0-9._-]+\.csv"; filename\*=UTF-8''/)
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toBe(
      'Café «Unión» 💜 retreat.csv',
    )
    const bytes = new Uint8Array(await csv.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
    expect(text.startsWith(CSV_BOM)).toBe(true)
    expect(text).toBe(planToCsv(plan))
    expect(text).toContain(
      `'=Childcare <b>now</b>,1,"Book the hall, ""big"" one",Ana,,,Not started`,
    )
    expect(text).toContain(
      `'=Childcare <b>now</b>,1,'@mention the board,,מרכז שלום,2026-11-30,In progress`,
    )

    const md = await fetch(url(id, 'plan.md?lang=es'))
    expect(md.status).toBe(200)
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8')
    const body = await md.text()
    expect(body).toContain('## Plan de acción')
    expect(body).toContain('\\<b\\>now\\</b\\>')
    expect(body).not.toContain('<b>')
    // Same document as the pure function makes, but for the export date line.
    const spanish = await planOf(id, 'es')
    const withoutDate = (doc: string) => doc.replace(/^\*Exportado el .*\*$/m, '')
    expect(withoutDate(body)).toBe(withoutDate(planToMarkdown(spanish, 'es')))
  })

  it('answers 404 for an unknown board and 400 for an unknown language', async () => {
    expect((await fetch(`${server.url}/api/boards/NoSuchBoard123/plan.md`)).status).toBe(404)
    const id = await created(await post({ title: 'Plain' }))
    const bad = await fetch(url(id, 'plan.csv?lang=fr'))
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_language')
  })
})

describe('POST /api/boards with a plan', () => {
  it('import → export equals the input', async () => {
    const source = await created(await post({ title: 'Source', template: 'retreat' }))
    const client = await connect(source)
    putRecords(client.doc, [
      organizationCard('aldea', { name: 'Aldea Niños 🌱', offers: 'Rooms\nand "snacks"' }),
      note('transport', 'Rides to appointments', {
        parentId: stageFrameId('issues'),
        x: 40,
        y: 120,
      }),
    ])
    setActionIssue(client.doc, 'shape:transport', {
      title: 'Rides to appointments',
      rank: 1,
      sessionId: null,
    })
    addStep(client.doc, 'shape:transport', { order: 'a1', what: 'Map routes', person: 'Rosa' })
    // The store holds the step once the server has seen it: poll the export.
    const deadline = Date.now() + 10_000
    while ((await planOf(source)).actionPlan[0]?.steps.length !== 1) {
      if (Date.now() > deadline) throw new Error('the step never reached the store')
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const plan = await planOf(source)

    const id = await created(await post({ plan }))
    expect(id).not.toBe(source)
    expect(await planOf(id)).toEqual(plan)
    const csvA = await (await fetch(url(source, 'plan.csv'))).text()
    const csvB = await (await fetch(url(id, 'plan.csv'))).text()
    expect(csvB).toBe(csvA)
  })

  it('refuses a hostile or newer plan with the field path, and creates nothing', async () => {
    const source = await created(await post({ title: 'Base', template: 'retreat' }))
    const plan = await planOf(source)
    const before = await boardCount()
    const cases: [unknown, number, string, RegExp][] = [
      [{ ...plan, planSchemaVersion: 99 }, 422, 'newer_plan_version', /^plan\.planSchemaVersion:/],
      [{ ...plan, organizations: [{ id: 'x' }] }, 400, 'invalid_plan', /^plan\.organizations\[0\]/],
      [
        {
          ...plan,
          actionPlan: [
            {
              issue: 'shape:a',
              title: 't',
              rank: 1,
              sessionId: null,
              commitments: [],
              steps: [
                {
                  id: 's1',
                  what: '<script>',
                  person: '',
                  organization: null,
                  due: '2026-13-01',
                  status: 'done',
                  order: 'a1',
                },
              ],
            },
          ],
        },
        400,
        'invalid_plan',
        /^plan\.actionPlan\[0\]\.steps\[0\]\.due:/,
      ],
      ['not a plan', 400, 'invalid_plan', /^plan:/],
    ]
    for (const [bad, status, code, message] of cases) {
      const response = await post({ plan: bad })
      expect(response.status).toBe(status)
      const { error } = (await response.json()) as { error: { code: string; message: string } }
      expect(error.code).toBe(code)
      expect(error.message).toMatch(message)
    }
    // Too large: refused before it is parsed.
    const huge = await fetch(`${server.url}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ plan: { ...plan, title: 'x'.repeat(3 * 1024 * 1024) } }),
    })
    expect(huge.status).toBe(413)
    // A create request without a plan keeps the small limit.
    const padded = await post({ title: 'Padded', padding: 'x'.repeat(20 * 1024) })
    expect(padded.status).toBe(413)
    expect(await boardCount()).toBe(before)
  })
})
