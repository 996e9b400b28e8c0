import { XMLParser } from 'fast-xml-parser'
import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { boardCommands } from '../board/commands.ts'
import { BoardRules, type BoardWrite } from '../board/writeRules.ts'
import { en as CATALOGUE_EN } from '../i18n/en.ts'
import { translate } from '../i18n/index.ts'
import { derivePlan } from '../plan/derivePlan.ts'
import { blankIndicatorEntry } from '../plan/evaluation.ts'
import { boardWith, boundArrow, intersectionCard, organizationCard } from '../plan/fixtures.ts'
import { PLAN } from '../plan/planData.ts'
import { readAgreementFields } from './commands.ts'
import { agreementToDocx } from './docx.ts'
import { agreementFieldsFrom, emptyAgreementFields } from './fields.ts'
import {
  type AgreementDocument,
  type AgreementSection,
  agreementTexts,
  buildAgreement,
  placeholdersIn,
  placeholderText,
} from './model.ts'

const CHILDCARE = 'shape:childcare'
const TRANSIT = 'shape:transit'

/**
 * A board after a retreat: three partners (one with no kind, no offers and no commitments),
 * one intersection, two ranked issues with commitments and steps, part of the structure and
 * evaluation answered, and part of the agreement's own fields.
 */
function retreatBoard(): Y.Doc {
  const doc = boardWith([
    organizationCard('aldea', { name: 'Aldea Niños', kind: 'community', offers: 'Evening rooms' }),
    organizationCard('bank', { name: 'First Harbor Bank', kind: 'business' }),
    organizationCard('works', { name: 'WorkSource Board' }),
    intersectionCard('jobs', { title: 'Jobs for parents', ideal: 'One intake for both programs' }),
    ...boundArrow('a1', 'aldea', 'jobs'),
    ...boundArrow('a2', 'works', 'jobs'),
  ])
  const run = boardCommands(doc)
  run.setActionIssue(CHILDCARE, { title: 'Childcare during classes', rank: 1, sessionId: null })
  run.setActionIssue(TRANSIT, { title: 'Bus passes', rank: 2, sessionId: null })
  run.setCommitment(CHILDCARE, 'shape:aldea', 'takesOn', 'Run the evening room')
  run.setCommitment(CHILDCARE, 'shape:aldea', 'fromPartners', 'Referrals from the board')
  run.setCommitment(CHILDCARE, 'shape:bank', 'takesOn', 'Fund two caregivers')
  run.setCommitment(CHILDCARE, 'shape:bank', 'fromParent', 'Approval of the grant')
  run.setCommitment(TRANSIT, 'shape:aldea', 'fromParent', 'A van on Tuesdays')
  run.addStep(CHILDCARE, {
    order: 'a1',
    what: 'Book the hall',
    person: 'Ana',
    organization: 'shape:aldea',
    due: '2026-09-15',
  })
  run.addStep(CHILDCARE, { order: 'a2', what: 'Hire caregivers', organization: 'shape:bank' })
  run.addStep(TRANSIT, { order: 'a1', what: 'Ask the transit agency', person: 'Luis' })
  run.setPlanEntry('structure/backbone', 'WorkSource Board')
  run.setPlanEntry('structure/roles/r1', { role: 'data', holder: 'Mia, Aldea Niños', note: '' })
  run.setPlanEntry('community/needs', 'Parents miss classes for lack of childcare')
  run.setPlanEntry('evaluation/reviewCadence', 'quarterly')
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
  run.setAgreementPerson('contacts', 'c1', {
    name: 'Tom Reed',
    organization: 'shape:works',
    email: 'tom@example.org',
  })
  return doc
}

function draft(kind: 'mou' | 'dsa', locale: 'en' | 'es' = 'en', doc = retreatBoard()) {
  return buildAgreement(derivePlan(doc, { locale }), readAgreementFields(doc), {
    kind,
    locale,
    date: '2026-06-20',
  })
}

const fills = (document: AgreementDocument) =>
  placeholdersIn(document).map((mark) => mark.placeholder)

const en = (key: Parameters<typeof translate>[1], params?: Record<string, string>) =>
  translate('en', key, params)

function sectionNamed(document: AgreementDocument, heading: string): AgreementSection {
  const found = document.sections.find((section) => section.heading === heading)
  if (!found) throw new Error(`no section "${heading}"`)
  return found
}

describe('the memorandum of understanding', () => {
  it('names every partner, commitment and step, in numbered sections', () => {
    const mou = draft('mou')
    expect(mou.title).toBe('Memorandum of understanding')
    expect(mou.boardTitle).toBe('Fixture board')
    expect(mou.dateText).toBe('June 20, 2026')
    expect(mou.parties.map((party) => party.name)).toEqual([
      'Aldea Niños',
      'First Harbor Bank',
      'WorkSource Board',
    ])
    expect(mou.sections.map((section) => section.number)).toEqual(
      Array.from({ length: 11 }, (_, i) => String(i + 1)),
    )
    expect(mou.sections.map((section) => section.heading)).toEqual([
      en('agreement.parties'),
      en('agreement.purpose'),
      en('agreement.background'),
      en('agreement.commitments'),
      en('agreement.governance'),
      en('agreement.actionPlan'),
      en('agreement.communication'),
      en('agreement.resources'),
      en('agreement.dataSharing'),
      en('agreement.term'),
      en('agreement.signatures'),
    ])
    // Each partner has its own subsection of commitments, and a signature block.
    const commitments = sectionNamed(mou, en('agreement.commitments'))
    expect(commitments.subsections.map((sub) => `${sub.number} ${sub.heading}`)).toEqual([
      '4.1 Aldea Niños',
      '4.2 First Harbor Bank',
      '4.3 WorkSource Board',
    ])
    const aldea = commitments.subsections[0]
    expect(aldea?.blocks).toContainEqual({
      type: 'table',
      head: [
        en('action.issue'),
        en('action.takesOn'),
        en('action.fromPartners'),
        en('action.fromParent'),
      ],
      rows: [
        [
          'Childcare during classes',
          'Run the evening room',
          'Referrals from the board',
          { placeholder: en('agreement.fill.fromParent') },
        ],
        [
          'Bus passes',
          { placeholder: en('agreement.fill.takesOn') },
          { placeholder: en('agreement.fill.fromPartners') },
          'A van on Tuesdays',
        ],
      ],
    })
    // The role whose holder names the organization.
    expect(aldea?.blocks).toContainEqual({
      type: 'field',
      label: en('agreement.commitments.roles'),
      value: 'Data lead',
    })
    const texts = agreementTexts(mou)
    for (const text of [
      'Run the evening room',
      'Referrals from the board',
      'Fund two caregivers',
      'Approval of the grant',
      'A van on Tuesdays',
      'One intake for both programs',
      'Evening rooms',
      'WorkSource Board',
    ]) {
      expect(texts).toContain(text)
    }
    // The action plan: a table per priority, step, owner, due date.
    const action = sectionNamed(mou, en('agreement.actionPlan'))
    expect(action.subsections.map((sub) => sub.heading)).toEqual([
      'Priority 1: Childcare during classes',
      'Priority 2: Bus passes',
    ])
    expect(action.subsections[0]?.blocks[0]).toEqual({
      type: 'table',
      head: ['#', en('action.step'), en('agreement.table.owner'), en('action.due')],
      widths: [6, 40, 30, 24],
      rows: [
        ['1', 'Book the hall', 'Ana (Aldea Niños)', 'September 15, 2026'],
        ['2', 'Hire caregivers', 'First Harbor Bank', { placeholder: en('agreement.fill.due') }],
      ],
    })
    expect(action.subsections[1]?.blocks[0]).toMatchObject({
      rows: [['1', 'Ask the transit agency', 'Luis', { placeholder: en('agreement.fill.due') }]],
    })
    // Signatures: the named signatory for Aldea, placeholders for the two without one.
    const signatures = sectionNamed(mou, en('agreement.signatures'))
    expect(signatures.blocks[1]).toEqual({
      type: 'signatures',
      blocks: [
        { party: 'Aldea Niños', name: 'Rosa Díaz', title: 'Director' },
        ...['First Harbor Bank', 'WorkSource Board'].map((party) => ({
          party,
          name: { placeholder: en('agreement.fill.signatoryName') },
          title: { placeholder: en('agreement.fill.signatoryTitle') },
        })),
      ],
    })
    // The agreement's own fields: effective date and contacts.
    const term = sectionNamed(mou, en('agreement.term'))
    expect(term.blocks[0]).toEqual({
      type: 'field',
      label: en('agreement.term.effective'),
      value: 'October 1, 2026',
    })
    expect(texts).toContain('tom@example.org')
  })

  it('leaves a placeholder exactly where the plan is silent', () => {
    const fill = (key: Parameters<typeof translate>[1], params?: Record<string, string>) =>
      en(key, params)
    expect(fills(draft('mou'))).toEqual([
      // Parties: the bank's offers, WorkSource's kind and offers.
      fill('agreement.fill.offers'),
      fill('agreement.fill.kind'),
      fill('agreement.fill.offers'),
      // Purpose: the vision is never on the board; who we serve was not answered.
      fill('agreement.fill.vision'),
      fill('agreement.fill.whoWeServe'),
      // Commitments: Aldea's empty cells, the bank's, and WorkSource, which wrote none.
      fill('agreement.fill.fromParent'),
      fill('agreement.fill.takesOn'),
      fill('agreement.fill.fromPartners'),
      fill('agreement.fill.fromPartners'),
      fill('agreement.fill.commitments', { organization: 'WorkSource Board' }),
      // Governance: the backbone is named, the bodies and how decisions are made are not.
      fill('agreement.fill.bodies'),
      fill('agreement.fill.decisions'),
      // Two steps without a due date.
      fill('agreement.fill.due'),
      fill('agreement.fill.due'),
      // Communication: reviews are quarterly; conflicts not settled.
      fill('agreement.fill.conflict'),
      // Resources.
      fill('agreement.fill.staffHours'),
      fill('agreement.fill.funding'),
      fill('agreement.fill.sustain'),
      // Data sharing.
      fill('agreement.fill.dataSharing'),
      // Term: the date is set, the length is not; changes and ending are for the partners.
      fill('agreement.fill.term'),
      fill('agreement.fill.amend'),
      fill('agreement.fill.end'),
      // Signature blocks of the two partners without a signatory.
      fill('agreement.fill.signatoryName'),
      fill('agreement.fill.signatoryTitle'),
      fill('agreement.fill.signatoryName'),
      fill('agreement.fill.signatoryTitle'),
    ])
    // Answering one removes its placeholder, and the answer is in the text instead.
    const doc = retreatBoard()
    boardCommands(doc).setAgreementTerm('Two years, renewable')
    const answered = draft('mou', 'en', doc)
    expect(fills(answered)).not.toContain(en('agreement.fill.term'))
    expect(agreementTexts(answered)).toContain('Two years, renewable')
  })

  it('is all placeholders on an empty board, never invented text', () => {
    const empty = boardWith([])
    const mou = buildAgreement(derivePlan(empty), emptyAgreementFields(), {
      kind: 'mou',
      locale: 'en',
      date: '2026-06-20',
    })
    const open = fills(mou)
    for (const key of [
      'agreement.fill.parties',
      'agreement.fill.priorities',
      'agreement.fill.intersections',
      'agreement.fill.backbone',
      'agreement.fill.roles',
      'agreement.fill.actionPlan',
      'agreement.fill.contacts',
      'agreement.fill.effectiveDate',
      'agreement.fill.review',
    ] as const) {
      expect(open).toContain(en(key))
    }
    // What is not a placeholder is the catalogue's: headings, labels and fixed sentences.
    const catalogue = new Set(Object.values(CATALOGUE_EN))
    for (const section of mou.sections) {
      for (const block of section.blocks) {
        if (block.type === 'paragraph') {
          for (const part of block.parts)
            if (typeof part === 'string') expect(catalogue).toContain(part)
        }
        if (block.type === 'field' && typeof block.value === 'string') {
          throw new Error(`"${block.label}" has a value on an empty board: ${block.value}`)
        }
      }
    }
  })

  it('is written in Spanish', () => {
    const mou = draft('mou', 'es')
    expect(mou.title).toBe('Memorando de entendimiento')
    expect(mou.dateText).toBe('20 de junio de 2026')
    expect(mou.sections[0]?.heading).toBe('Las organizaciones aliadas')
    expect(sectionNamed(mou, 'Plan de acción').subsections[0]?.heading).toBe(
      'Prioridad 1: Childcare during classes',
    )
    const texts = agreementTexts(mou)
    expect(texts).toContain('15 de septiembre de 2026')
    expect(texts).toContain(
      '[Por completar: la visión compartida de la alianza, en una o dos oraciones]',
    )
    expect(texts).toContain('Cada tres meses')
    // Board text stays as typed.
    expect(texts).toContain('Run the evening room')
    expect(texts.join('\n')).not.toContain('To fill in')
  })
})

describe('the data-sharing agreement', () => {
  it('lists the data elements with who receives them and how often', () => {
    const dsa = draft('dsa')
    expect(dsa.title).toBe('Data-sharing agreement')
    const elements = sectionNamed(dsa, en('agreement.dsa.elements'))
    expect(elements.blocks[1]).toEqual({
      type: 'table',
      head: [
        en('agreement.table.element'),
        en('agreement.table.kind'),
        en('agreement.table.source'),
        en('agreement.table.provider'),
        en('agreement.table.receiver'),
        en('agreement.table.frequency'),
      ],
      widths: [20, 14, 15, 19, 14, 18],
      rows: [
        [
          'Parents finishing the course',
          en('evaluation.kind.quantitative'),
          'Class rosters',
          { placeholder: en('agreement.fill.provider') },
          'Mia, Aldea Niños',
          'Every three months',
        ],
      ],
    })
    const open = fills(dsa)
    // Breakdowns (by income and race), protection, consent and retention are for the partners.
    for (const key of [
      'agreement.fill.breakdowns',
      'agreement.fill.protection',
      'agreement.fill.consent',
      'agreement.fill.retention',
      'agreement.fill.dataSharing',
    ] as const) {
      expect(open).toContain(en(key))
    }
    expect(en('agreement.fill.breakdowns')).toMatch(/income.*race/)
    expect(dsa.parties).toHaveLength(3)
    expect(sectionNamed(dsa, en('agreement.signatures')).blocks[1]).toMatchObject({
      type: 'signatures',
      blocks: [
        { party: 'Aldea Niños' },
        { party: 'First Harbor Bank' },
        { party: 'WorkSource Board' },
      ],
    })
    expect(draft('dsa', 'es').sections.map((section) => section.heading)).toContain(
      'Datos que se comparten',
    )
  })
})

describe('agreement fields on the board', () => {
  const rules = new BoardRules()
  const facilitator = { role: 'facilitator' as const, participantId: null, personId: null }
  const write = (key: string, after: unknown): BoardWrite => ({
    root: PLAN,
    key,
    before: undefined,
    after,
  })
  const review = (key: string, after: unknown) =>
    rules.reviewUpdate([write(key, after)], facilitator, boardWith([]))

  it('the write review accepts valid ones', () => {
    expect(review('agreement/effectiveDate', '2026-10-01')).toBeNull()
    expect(review('agreement/effectiveDate', null)).toBeNull()
    expect(review('agreement/term', 'Two years')).toBeNull()
    expect(
      review('agreement/signatories/s1', {
        name: 'Rosa',
        title: 'Director',
        organization: 'shape:aldea',
      }),
    ).toBeNull()
    expect(
      review('agreement/contacts/c1', {
        name: 'Tom',
        organization: null,
        email: 'a@b.c',
        phone: '',
      }),
    ).toBeNull()
    expect(review('agreement/contacts/c1', undefined)).toBeNull()
  })

  it('the write review refuses malformed ones', () => {
    for (const [key, value] of [
      ['agreement/effectiveDate', '2026-02-30'],
      ['agreement/effectiveDate', 20261001],
      ['agreement/term', 'x'.repeat(201)],
      ['agreement/signatories/s1', { name: 'Rosa', title: 'Director' }],
      ['agreement/signatories/s1', { name: 'Rosa', title: '', organization: 'Aldea' }],
      ['agreement/signatories/s1', { name: 'Rosa', title: '', organization: null, extra: 1 }],
      ['agreement/contacts/c1', { name: 'Tom', organization: null, email: 3, phone: '' }],
      ['agreement/signatories/bad id!', { name: 'Rosa', title: '', organization: null }],
      ['agreement/witnesses/w1', { name: 'Rosa' }],
    ] as const) {
      expect(review(key, value), key).toMatchObject({ code: 'invalid' })
    }
  })

  it('commands validate before writing; the plan reports no problem; readers skip bad data', () => {
    const doc = retreatBoard()
    const run = boardCommands(doc)
    expect(() => run.setAgreementDate('2026-13-01')).toThrow(/yyyy-mm-dd/)
    expect(() =>
      run.setAgreementPerson('signatories', 's2', { organization: 'not a shape' }),
    ).toThrow()
    expect(derivePlan(doc).problems).toEqual([])
    expect(readAgreementFields(doc)).toEqual({
      effectiveDate: '2026-10-01',
      term: '',
      signatories: [
        { id: 's1', name: 'Rosa Díaz', title: 'Director', organization: 'shape:aldea' },
      ],
      contacts: [
        {
          id: 'c1',
          name: 'Tom Reed',
          organization: 'shape:works',
          email: 'tom@example.org',
          phone: '',
        },
      ],
    })
    run.setAgreementPerson('signatories', 's1', null)
    expect(readAgreementFields(doc).signatories).toEqual([])
    // Stored data that does not validate (an older or hostile writer) is left out.
    expect(
      agreementFieldsFrom(
        new Map<string, unknown>([
          ['agreement/effectiveDate', 'soon'],
          ['agreement/signatories/s1', { name: 7 }],
          ['agreement/contacts/c1', { name: 'Ok', organization: null, email: '', phone: '' }],
        ]),
      ),
    ).toEqual({
      effectiveDate: null,
      term: '',
      signatories: [],
      contacts: [{ id: 'c1', name: 'Ok', organization: null, email: '', phone: '' }],
    })
  })
})

// ——— The Word file, opened back ———

type XmlNode = Record<string, unknown>
const parser = new XMLParser({ ignoreAttributes: false, preserveOrder: true, trimValues: false })

/** Every element named `name` under `nodes`, depth first (preserveOrder's shape). */
function findAll(nodes: unknown, name: string, out: XmlNode[] = []): XmlNode[] {
  if (!Array.isArray(nodes)) return out
  for (const node of nodes as XmlNode[]) {
    if (name in node) out.push(node)
    for (const [key, value] of Object.entries(node)) if (key !== ':@') findAll(value, name, out)
  }
  return out
}

function textOf(node: XmlNode): string {
  return findAll([node], 'w:t')
    .map((t) => ((t['w:t'] as XmlNode[])[0]?.['#text'] as string | number | undefined) ?? '')
    .join('')
}

function styleOf(paragraph: XmlNode): string | undefined {
  const style = findAll([paragraph], 'w:pStyle')[0]
  return (style?.[':@'] as Record<string, string> | undefined)?.['@_w:val']
}

async function openDocx(bytes: Uint8Array) {
  const zip = await JSZip.loadAsync(bytes)
  const read = async (path: string) => {
    const file = zip.file(path)
    if (!file) throw new Error(`${path} missing`)
    return parser.parse(await file.async('string')) as unknown[]
  }
  const footers = await Promise.all(
    Object.keys(zip.files)
      .filter((path) => /^word\/footer\d*\.xml$/.test(path))
      .map((path) => read(path)),
  )
  return {
    document: await read('word/document.xml'),
    styles: await read('word/styles.xml'),
    footers,
  }
}

describe('agreementToDocx', () => {
  it('opens as Word headings, numbered, with tables, signature blocks and page numbers', async () => {
    const mou = draft('mou')
    const file = await openDocx(await agreementToDocx(mou))
    const body = findAll(file.document, 'w:body')[0]
    const paragraphs = findAll(body?.['w:body'], 'w:p')
    const headings = (style: string) =>
      paragraphs.filter((p) => styleOf(p) === style).map((p) => textOf(p))
    expect(headings('Title')).toEqual(['Memorandum of understanding'])
    expect(headings('Heading1')).toEqual(mou.sections.map((section) => section.heading))
    expect(headings('Heading2')).toEqual(
      mou.sections.flatMap((section) => section.subsections.map((sub) => sub.heading)),
    )
    // Word numbers the headings (numPr on each), level 0 for sections and 1 for subsections.
    for (const p of paragraphs.filter((p) => styleOf(p)?.startsWith('Heading'))) {
      const level = findAll([p], 'w:ilvl')[0]?.[':@'] as Record<string, string> | undefined
      expect(level?.['@_w:val']).toBe(styleOf(p) === 'Heading1' ? '0' : '1')
    }
    // The heading styles carry outline levels, so navigators show an outline.
    const styles = findAll(file.styles, 'w:style')
    for (const [id, level] of [
      ['Heading1', '0'],
      ['Heading2', '1'],
    ]) {
      const style = styles.find((s) => (s[':@'] as Record<string, string>)['@_w:styleId'] === id)
      expect(style, id).toBeDefined()
      const outline = findAll([style as XmlNode], 'w:outlineLvl')[0]?.[':@'] as Record<
        string,
        string
      >
      expect(outline?.['@_w:val']).toBe(level)
    }
    // The cover: the board's title and the date.
    const all = paragraphs.map((p) => textOf(p))
    expect(all).toContain('Prepared from the board “Fixture board”')
    expect(all).toContain('Draft of June 20, 2026')
    // The action plan's tables, row by row.
    const rows = findAll(body?.['w:body'], 'w:tr').map((row) =>
      findAll([row], 'w:tc').map((cell) => textOf(cell)),
    )
    expect(rows).toContainEqual(['#', 'Step', 'Responsible', 'Due date'])
    expect(rows).toContainEqual(['1', 'Book the hall', 'Ana (Aldea Niños)', 'September 15, 2026'])
    expect(rows).toContainEqual([
      '2',
      'Hire caregivers',
      'First Harbor Bank',
      placeholderText('en', { placeholder: en('agreement.fill.due') }),
    ])
    // Fixed column widths: the action plan's "#" column is narrow, the step takes the room.
    const grids = findAll(body?.['w:body'], 'w:tblGrid').map((grid) =>
      findAll([grid], 'w:gridCol').map((col) =>
        Number((col[':@'] as Record<string, string>)['@_w:w']),
      ),
    )
    const stepsGrid = grids.find((grid) => grid.length === 4 && (grid[0] ?? 0) < 1000)
    expect(stepsGrid).toBeDefined()
    expect(stepsGrid?.[1]).toBeGreaterThan(5 * (stepsGrid?.[0] ?? 0))
    // Placeholders are highlighted runs.
    const highlighted = findAll(body?.['w:body'], 'w:r').filter(
      (run) => findAll([run], 'w:highlight').length > 0,
    )
    expect(highlighted.map((run) => textOf(run))).toHaveLength(placeholdersIn(mou).length)
    // Signature blocks for every partner.
    for (const party of ['Aldea Niños', 'First Harbor Bank', 'WorkSource Board']) {
      expect(all.filter((text) => text === party).length).toBeGreaterThan(0)
    }
    expect(all).toContain('Name: Rosa Díaz')
    expect(all.filter((text) => text.startsWith('Signature: ___'))).toHaveLength(3)
    // Page numbers: PAGE and NUMPAGES fields in a footer.
    const instructions = file.footers.flatMap((footer) =>
      findAll(footer, 'w:instrText').map((node) => textOf({ 'w:t': node['w:instrText'] })),
    )
    expect(instructions.map((text) => text.trim())).toEqual(
      expect.arrayContaining(['PAGE', 'NUMPAGES']),
    )
  })

  it('writes the Spanish draft in Spanish', async () => {
    const file = await openDocx(await agreementToDocx(draft('dsa', 'es')))
    const paragraphs = findAll(file.document, 'w:p')
    const texts = paragraphs.map((p) => textOf(p))
    expect(texts).toContain('Acuerdo para compartir datos')
    expect(paragraphs.filter((p) => styleOf(p) === 'Heading1').map((p) => textOf(p))).toContain(
      'Protección y acceso',
    )
    expect(texts.some((text) => text.startsWith('[Por completar: '))).toBe(true)
  })
})
