/**
 * The agreement drafts over HTTP: `GET /api/boards/:id/agreement.docx?kind=mou|dsa&lang=en|es`
 * of a board written by a Node Yjs client, opened with a real .docx reader (mammoth) to check
 * the text holds what the plan holds; the key rules of the other exports; specific 400s; and the
 * server's write review of the agreement-only fields.
 */
import { boardCommands } from '@common-ground/shared/board'
import { organizationCard, putRecords } from '@common-ground/shared/fixtures'
import { blankIndicatorEntry, PLAN } from '@common-ground/shared/plan'
import mammoth from 'mammoth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CreatedBoard, createBoard, type LinkKind, participantOf } from '../support/boards.ts'
import { type RunningServer, removeDataDir, startServer } from '../support/server.ts'
import { connectClient, waitFor, type YClient } from '../support/yclient.ts'

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
const ISSUE = 'shape:childcare'

let server: RunningServer
let board: CreatedBoard
const clients: YClient[] = []

beforeAll(async () => {
  server = await startServer()
  board = await createBoard(server, { title: 'Retreat «Unión» 2026', template: 'retreat' })
  const client = connect('facilitate')
  await client.whenSynced()
  putRecords(client.doc, [
    organizationCard('aldea', { name: 'Aldea Niños', offers: 'Evening rooms' }),
    organizationCard('works', { name: 'WorkSource Board' }, { x: 400 }),
  ])
  const run = boardCommands(client.doc)
  run.setActionIssue(ISSUE, { title: 'Childcare during classes', rank: 1, sessionId: null })
  run.setCommitment(ISSUE, 'shape:aldea', 'takesOn', 'Run the evening room')
  run.setCommitment(ISSUE, 'shape:works', 'fromParent', 'Approval of the budget')
  run.addStep(ISSUE, { order: 'a1', what: 'Book the hall', person: 'Ana', due: '2026-09-15' })
  run.setPlanEntry('evaluation/indicators/i1', {
    ...blankIndicatorEntry(),
    name: 'Parents finishing the course',
    kind: 'quantitative',
    dataSource: 'Class rosters',
  })
  run.setAgreementDate('2026-10-01')
  run.setAgreementPerson('signatories', 's1', {
    name: 'Rosa Díaz',
    title: 'Director',
    organization: 'shape:aldea',
  })
  // Everything is stored once the server's copy shows it to a second client.
  const reader = connect('view')
  await reader.whenSynced()
  await waitFor(() => reader.doc.getMap(PLAN).get('agreement/signatories/s1'), {
    what: 'the agreement fields on the server',
  })
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.stop()
  if (server) await removeDataDir(server.dataDir)
})

function connect(kind: LinkKind, reloadOnRefusal = true): YClient {
  const client = connectClient(server.wsUrl, board.id, {
    params: participantOf(board.id, kind).params,
    reloadOnRefusal,
  })
  clients.push(client)
  return client
}

function agreementUrl(query: string, token: string | null = board.tokens.facilitate): string {
  const base = `${server.url}/api/boards/${board.id}/agreement.docx?${query}`
  return token ? `${base}&token=${token}` : base
}

async function docxText(response: Response): Promise<{ text: string; html: string }> {
  const buffer = Buffer.from(await response.arrayBuffer())
  const [{ value: text }, { value: html }] = await Promise.all([
    mammoth.extractRawText({ buffer }),
    mammoth.convertToHtml({ buffer }),
  ])
  return { text, html }
}

describe('agreement.docx', () => {
  it('is a Word draft of the memorandum holding what the plan holds', async () => {
    const response = await fetch(agreementUrl('kind=mou&lang=en'))
    expect(response.status, await response.clone().text()).toBe(200)
    expect(response.headers.get('content-type')).toBe(DOCX)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const disposition = response.headers.get('content-disposition') ?? ''
    expect(disposition).toMatch(/^attachment; filename="[A-Za-z0-9._-]+\.docx"; filename\*=UTF-8''/)
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toBe(
      'Retreat «Unión» 2026 - Memorandum of understanding.docx',
    )
    const { text, html } = await docxText(response)
    for (const expected of [
      'Memorandum of understanding',
      'Prepared from the board “Retreat «Unión» 2026”',
      'Aldea Niños',
      'WorkSource Board',
      'Evening rooms',
      'Run the evening room',
      'Approval of the budget',
      'Book the hall',
      'Ana',
      'September 15, 2026',
      'October 1, 2026',
      'Rosa Díaz',
      '[To fill in: the partnership’s shared vision, in a sentence or two]',
    ]) {
      expect(text).toContain(expected)
    }
    // mammoth turns Word's heading styles into h1/h2 and the action plan into a table.
    expect(html).toContain('<h1>Roles and commitments of each partner</h1>')
    expect(html).toContain('<h2>Aldea Niños</h2>')
    expect(html).toContain('<h2>Priority 1: Childcare during classes</h2>')
    expect(html).toMatch(
      /<tr><td><p>1<\/p><\/td><td><p>Book the hall<\/p><\/td><td><p>Ana<\/p><\/td><td><p>September 15, 2026<\/p><\/td><\/tr>/,
    )
  })

  it('drafts the data-sharing agreement, in Spanish too', async () => {
    const english = await docxText(await fetch(agreementUrl('kind=dsa')))
    expect(english.text).toContain('Data-sharing agreement')
    expect(english.text).toContain('Parents finishing the course')
    expect(english.text).toContain('Class rosters')
    expect(english.html).toContain('<h1>Data to be shared</h1>')

    for (const kind of ['mou', 'dsa'] as const) {
      const response = await fetch(agreementUrl(`kind=${kind}&lang=es`))
      expect(response.status).toBe(200)
      const { text } = await docxText(response)
      expect(text).toContain(
        kind === 'mou' ? 'Memorando de entendimiento' : 'Acuerdo para compartir datos',
      )
      expect(text).toContain('Aldea Niños')
      expect(text).toContain('[Por completar: ')
      expect(text).not.toContain('To fill in')
    }
    expect((await docxText(await fetch(agreementUrl('kind=mou&lang=es')))).text).toContain(
      '15 de septiembre de 2026',
    )
  })

  it('keeps the key rules of the other exports', async () => {
    // Every link of the board may read it, as plan.json.
    expect((await fetch(agreementUrl('kind=mou', board.tokens.view))).status).toBe(200)
    expect((await fetch(agreementUrl('kind=mou', board.tokens.edit))).status).toBe(200)
    const bearer = await fetch(agreementUrl('kind=dsa', null), {
      headers: { authorization: `Bearer ${board.tokens.facilitate}` },
    })
    expect(bearer.status).toBe(200)

    const none = await fetch(agreementUrl('kind=mou', null))
    expect(none.status).toBe(401)
    expect(await none.json()).toMatchObject({ error: { code: 'link_required' } })
    const wrong = await fetch(agreementUrl('kind=mou', 'x'.repeat(32)))
    expect(wrong.status).toBe(403)
    expect(await wrong.json()).toMatchObject({ error: { code: 'invalid_link' } })
    // The calendar key opens the calendar feed only.
    const calendar = board.tokens.calendar
    expect(calendar).toBeTruthy()
    expect((await fetch(agreementUrl('kind=mou', calendar ?? null))).status).toBe(403)
    // An unknown board.
    const unknown = await fetch(
      `${server.url}/api/boards/NoSuchBoard123/agreement.docx?kind=mou&token=${board.tokens.facilitate}`,
    )
    expect(unknown.status).toBe(404)
  })

  it('refuses a bad kind or language with a specific 400', async () => {
    for (const query of ['', 'kind=', 'kind=contract', 'kind=MOU', 'kind=mou&kind=dsa']) {
      const response = await fetch(agreementUrl(query))
      expect(response.status, query).toBe(400)
      expect(await response.json(), query).toMatchObject({
        error: {
          code: 'invalid_agreement_kind',
          message: 'The kind parameter must be mou or dsa.',
        },
      })
    }
    for (const query of ['kind=mou&lang=fr', 'kind=dsa&lang=']) {
      const response = await fetch(agreementUrl(query))
      expect(response.status, query).toBe(400)
      expect(await response.json(), query).toMatchObject({ error: { code: 'invalid_language' } })
    }
  })
})

describe('agreement details in plan.json', () => {
  it('are exported, and an import carries them to the new board and its drafts', async () => {
    const exported = (await (
      await fetch(`${server.url}/api/boards/${board.id}/plan.json?token=${board.tokens.facilitate}`)
    ).json()) as { agreement: unknown; organizations: { id: string; name: string }[] }
    const aldea = exported.organizations.find((org) => org.name === 'Aldea Niños')?.id
    expect(exported.agreement).toEqual({
      effectiveDate: '2026-10-01',
      term: '',
      signatories: [{ id: 's1', name: 'Rosa Díaz', title: 'Director', organization: aldea }],
      contacts: [],
    })
    const created = await fetch(`${server.url}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ plan: exported }),
    })
    expect(created.status).toBe(201)
    const copy = (await created.json()) as { id: string; tokens: { facilitate: string } }
    const again = await fetch(
      `${server.url}/api/boards/${copy.id}/plan.json?token=${copy.tokens.facilitate}`,
    )
    expect(((await again.json()) as { agreement: unknown }).agreement).toEqual(exported.agreement)
    const draft = await fetch(
      `${server.url}/api/boards/${copy.id}/agreement.docx?kind=mou&token=${copy.tokens.facilitate}`,
    )
    const { text } = await docxText(draft)
    expect(text).toContain('Rosa Díaz')
    expect(text).toContain('October 1, 2026')
  })
})

describe('agreement fields in the write review', () => {
  it('stores valid ones and refuses malformed ones', async () => {
    const writer = connect('edit', false)
    await writer.whenSynced()
    const plan = writer.doc.getMap<unknown>(PLAN)
    // Valid, written straight into the map as any client could: kept.
    plan.set('agreement/term', 'Two years, renewable')
    // Stored once a fresh reader of the board sees it.
    const reader = connect('view')
    await reader.whenSynced()
    await waitFor(() => reader.doc.getMap(PLAN).get('agreement/term'), { what: 'the term stored' })
    expect((await docxText(await fetch(agreementUrl('kind=mou')))).text).toContain(
      'Two years, renewable',
    )
    // Malformed (a signatory for an organization that is not a card id): refused.
    plan.set('agreement/signatories/s9', {
      name: 'Zebediah Quill',
      title: '',
      organization: 'Aldea',
    })
    await waitFor(
      () => writer.notices.find((n) => (n as { kind?: string }).kind === 'write-refused'),
      { what: 'the refusal' },
    )
    expect(writer.notices).toContainEqual(
      expect.objectContaining({ kind: 'write-refused', code: 'invalid' }),
    )
    const { text } = await docxText(await fetch(agreementUrl('kind=mou')))
    expect(text).not.toContain('Zebediah')
  })
})
