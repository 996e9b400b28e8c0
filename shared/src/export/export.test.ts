import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { setAgreementDate, setAgreementPerson, setAgreementTerm } from '../agreement/commands.ts'
import { PLAN_SCHEMA_VERSION, readRecords } from '../board/boardDoc.ts'
import { translate } from '../i18n/index.ts'
import type { StepUpdate } from '../plan/actionPlan.ts'
import { type CheckIn, checkInState, checkInUpdates } from '../plan/checkIns.ts'
import { derivePlan } from '../plan/derivePlan.ts'
import { sampleRetreatBoard } from '../plan/fixtures.ts'
import { type PartnershipPlan, partnershipPlanValidator } from '../plan/partnershipPlan.ts'
import { CSV_BOM, planToCsv } from './csv.ts'
import { csvField, escapeMarkdownLine, markdownInline } from './escape.ts'
import { checkImportedPlan, importPlan, MAX_PLAN_JSON_BYTES, planToJson } from './json.ts'
import { planToMarkdown } from './markdown.ts'
import { seedBoardFromPlan } from './seedPlan.ts'

const hostilePlan = () =>
  derivePlan(
    sampleRetreatBoard({
      organizations: 4,
      intersections: 3,
      issues: 8,
      steps: 14,
      hostile: true,
      updates: 3,
      checkIns: true,
      indicators: 4,
      indicatorValues: 6,
    }),
  )

/** RFC 4180 parser (quotes, doubled quotes, CRLF inside quotes), to read our CSV back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (char === '"') quoted = false
      else field += char
    } else if (char === '"') quoted = true
    else if (char === ',') {
      row.push(field)
      field = ''
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i++
    } else field += char
  }
  if (field || row.length) throw new Error('CSV does not end with CRLF')
  return rows
}

describe('escaping', () => {
  it('Markdown: no link, image, HTML, entity or block survives as markup', () => {
    expect(escapeMarkdownLine('[x](javascript:alert(1))')).toBe('\\[x\\](javascript:alert(1))')
    expect(escapeMarkdownLine('<script>')).toBe('\\<script\\>')
    expect(escapeMarkdownLine('&lt;')).toBe('\\&lt;')
    expect(escapeMarkdownLine('&#60;script&#x3E;')).toBe('\\&\\#60;script\\&\\#x3E;')
    expect(escapeMarkdownLine('Food & jobs, R&D')).toBe('Food & jobs, R&D')
    expect(escapeMarkdownLine('# title')).toBe('\\# title')
    expect(escapeMarkdownLine('- item')).toBe('\\- item')
    expect(escapeMarkdownLine('12. item')).toBe('12\\. item')
    expect(escapeMarkdownLine('    code')).toBe('code')
    expect(escapeMarkdownLine('a | b')).toBe('a \\| b')
    expect(markdownInline('one\r\ntwo\rthree')).toBe('one<br>two<br>three')
    expect(markdownInline('Ñandú 💜 מרכז')).toBe('Ñandú 💜 מרכז')
  })

  it('CSV: formula starts neutralised, quoting as RFC 4180', () => {
    expect(csvField('=1+2')).toBe("'=1+2")
    expect(csvField('+1')).toBe("'+1")
    expect(csvField('-1')).toBe("'-1")
    expect(csvField('@A1')).toBe("'@A1")
    expect(csvField('\tx')).toBe("'\tx")
    expect(csvField('\rx')).toBe('"\'\rx"')
    expect(csvField('a "b", c')).toBe('"a ""b"", c"')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField(3)).toBe('3')
    expect(csvField('plain')).toBe('plain')
  })
})

describe('planToMarkdown', () => {
  it('has every section, in the requested language, and no markup from user text', () => {
    const plan = hostilePlan()
    const md = planToMarkdown(plan, 'en', { date: '2026-05-04' })
    expect(md.startsWith('# Fixture board\n')).toBe(true)
    expect(md).toContain('Exported on May 4, 2026')
    for (const key of [
      'export.partners',
      'plan.map',
      'export.rankedIssues',
      'action.title',
      'plan.readiness',
      'plan.community',
      'plan.capacity',
      'plan.evaluation',
      'plan.structure',
    ] as const) {
      expect(md).toContain(`## ${translate('en', key)}\n`)
    }
    // No user text becomes a link, an image or HTML.
    expect(md).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/)
    expect(md).not.toMatch(/(?<!\\)<(?!br>)/)
    expect(md).not.toMatch(/^(?:#{1,6} )?(?:\d+\.|[-+>]) not a/m)
    // Accents, emoji and right-to-left text arrive whole.
    expect(md).toContain('Aldea Niños 🌱 0')
    expect(md).toContain('מרכז קהילתי')
    expect(md).toContain('acción, corazón 💜')
    expect(md).toContain('x'.repeat(3900))
    // The action plan: rank order, steps with owners and dates.
    expect(md).toContain('### 1. Issue 0')
    expect(md).toMatch(/\| 1 \| Step 0 .* \| שרה \| .* \| 2026-01-15 \| Not started \|/)

    const es = planToMarkdown(plan, 'es', { date: '2026-05-04' })
    expect(es).toContain(`## ${translate('es', 'action.title')}\n`)
    expect(es).toContain('4 de mayo de 2026')
    expect(es).toContain('Sin empezar')
  })

  it('says so when a section is empty', () => {
    const plan = derivePlan(
      sampleRetreatBoard({ organizations: 0, intersections: 0, issues: 0, steps: 0 }),
    )
    const md = planToMarkdown(plan, 'en', { date: '2026-01-01' })
    expect(md).toContain(
      `## ${translate('en', 'action.title')}\n\n*${translate('en', 'export.none')}*`,
    )
  })

  it('shows dots when the plan carries a vote ranking', () => {
    const plan = hostilePlan()
    const withVotes: PartnershipPlan = {
      ...plan,
      ranking: [
        {
          id: plan.issues[0]?.id as string,
          text: plan.issues[0]?.text as string,
          rank: 1,
          dots: 12,
          sessionId: 'v1',
        },
      ],
    }
    const md = planToMarkdown(withVotes, 'en', { date: '2026-01-01' })
    expect(md).toContain('| Rank | Issue | Dots |')
    expect(md).toMatch(/\| 1 \| Issue 0 .* \| 12 \|/)
  })
})

describe('step updates in the exports', () => {
  const plan = derivePlan(
    sampleRetreatBoard({ organizations: 2, intersections: 1, issues: 2, steps: 2, updates: 2 }),
  )
  // Step 1 has two updates (1 and 2 March 2026, 15:30 UTC), the newest with its status.
  const updated = plan.actionPlan.flatMap((item) => item.steps).find((step) => step.lastUpdate)

  it('Markdown: the last update in the steps table, then every update, newest first', () => {
    expect(updated?.history).toHaveLength(2)
    const md = planToMarkdown(plan, 'en', { date: '2026-05-04' })
    expect(md).toMatch(/\| # \| What \| .* \| Status \| Last update \|/)
    expect(md).toContain(
      '| 1 | Step 1 | María José | Partner 1 | 2026-02-15 | In progress | March 2, 2026, María José: In progress — Update 1 |',
    )
    expect(md).toContain(
      [
        '**Updates**',
        '',
        '- 1. Step 1',
        '  - March 2, 2026, María José: In progress — Update 1',
        '  - March 1, 2026, שרה: Not started — Update 0',
      ].join('\n'),
    )
    // Without updates, the steps table is as it always was.
    const other = planToMarkdown(
      derivePlan(sampleRetreatBoard({ organizations: 1, intersections: 0, issues: 1, steps: 1 })),
      'en',
    )
    expect(other).not.toContain('Last update')
    expect(other).not.toContain('**Updates**')
    const es = planToMarkdown(plan, 'es', { date: '2026-05-04' })
    expect(es).toContain('  - 2 de marzo de 2026, María José: En curso — Update 1')
  })

  it('gives the dates of updates in the time zone asked for', () => {
    // 15:30 UTC is already the next day in Kiritimati (UTC+14).
    const md = planToMarkdown(plan, 'en', { date: '2026-05-04', timeZone: 'Pacific/Kiritimati' })
    expect(md).toContain('  - March 3, 2026, María José: In progress — Update 1')
    const csv = parseCsv(planToCsv(plan, 'en', { timeZone: 'Pacific/Kiritimati' }).slice(1))
    expect(csv.find((row) => row[2] === 'Step 1')?.slice(-4, -1)).toEqual([
      'Update 1',
      '2026-03-03',
      'María José',
    ])
    expect(csv.find((row) => row[2] === 'Step 0')?.slice(-4, -1)).toEqual(['', '', ''])
  })
})

describe('planToMarkdown vote history', () => {
  it('lists every vote with its settings, turnout and results, and says when they are hidden', () => {
    const plan = hostilePlan()
    const settings = {
      dotsPerParticipant: 5,
      maxDotsPerItem: 3,
      anonymous: true,
      hiddenUntilReveal: true,
      endsAt: null,
    }
    const first = plan.issues[0]
    const withVotes: PartnershipPlan = {
      ...plan,
      votes: [
        {
          id: 'v1',
          title: 'Which issues first?',
          status: 'revealed',
          startedAt: Date.UTC(2026, 2, 14, 10),
          closedAt: Date.UTC(2026, 2, 14, 10, 20),
          revealedAt: Date.UTC(2026, 2, 14, 10, 21),
          runoffOf: null,
          settings,
          itemIds: [first?.id as string],
          voters: 12,
          results: [{ itemId: first?.id as string, text: 'Childcare', dots: 30, rank: 1 }],
        },
        {
          id: 'v2',
          title: 'Runoff',
          status: 'open',
          startedAt: Date.UTC(2026, 2, 14, 11),
          closedAt: null,
          revealedAt: null,
          runoffOf: 'v1',
          settings,
          itemIds: [],
          voters: 1,
          results: null,
        },
      ],
    }
    const md = planToMarkdown(withVotes, 'en', { date: '2026-03-14' })
    expect(md).toContain('### Votes held')
    expect(md).toContain('**Which issues first?** · March 14, 2026')
    expect(md).toContain('12 people voted; 5 dots each, at most 3 on one issue.')
    expect(md).toContain('| 1 | Childcare | 30 |')
    expect(md).toContain('1 person voted; 5 dots each')
    expect(md).toContain('*Results not revealed.*')
    const es = planToMarkdown(withVotes, 'es', { date: '2026-03-14' })
    expect(es).toContain('### Votaciones realizadas')
    expect(es).toContain('Votaron 12 personas; 5 puntos cada una, como máximo 3 por tema.')
  })
})

describe('planToCsv', () => {
  it('one row per step, rank order, BOM, CRLF, neutralised formulas, text intact', () => {
    const plan = hostilePlan()
    const csv = planToCsv(plan)
    expect(csv.startsWith(CSV_BOM)).toBe(true)
    const all = parseCsv(csv.slice(1))
    // The steps' table ends at the empty row before the indicator values' table.
    const rows = all.slice(
      0,
      all.findIndex((row) => row.length === 1 && row[0] === ''),
    )
    expect(rows[0]).toEqual([
      'Issue',
      'Rank',
      'Step',
      'Person responsible',
      'Organization responsible',
      'Due date',
      'Status',
      'Last update',
      'Last update on',
      'Last update by',
      'Check-ins',
    ])
    const steps = plan.actionPlan.flatMap((item) => item.steps.map((step) => ({ item, step })))
    expect(rows.length - 1).toBe(14)
    expect(steps).toHaveLength(14)
    const names = new Map(plan.organizations.map((org) => [org.id, org.name]))
    const neutral = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text)
    const reviewed = new Set(
      plan.checkIns.flatMap((checkIn) =>
        checkInUpdates(plan.actionPlan, checkIn).map(({ step }) => step),
      ),
    )
    expect(reviewed.size).toBeGreaterThan(0)
    steps.forEach(({ item, step }, i) => {
      expect(rows[i + 1]).toEqual([
        neutral(item.title),
        String(item.rank),
        neutral(step.what),
        neutral(step.person),
        neutral(step.organization ? (names.get(step.organization) ?? '') : ''),
        step.due ?? '',
        translate('en', `action.status.${step.status}`),
        neutral(step.lastUpdate?.note ?? ''),
        step.lastUpdate ? new Date(step.lastUpdate.at).toISOString().slice(0, 10) : '',
        neutral(step.lastUpdate?.by ?? ''),
        // The hostile plan's held check-in reviewed some steps (tested below).
        reviewed.has(step) ? expect.stringMatching(/^30-day check-in/) : '',
      ])
    })
    expect(steps.filter(({ step }) => step.lastUpdate).length).toBeGreaterThan(2)
    // No cell starts a formula.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/)
    expect(csv).toContain("'=Evil Corp 2")
    expect(csv).toContain('💜')
    expect(csv.match(/\r\n/g)?.length).toBeGreaterThanOrEqual(15)
    // No cell of the values' table starts a formula either.
    for (const row of all) for (const cell of row) expect(cell).not.toMatch(/^[=+@\t\r]/)
    expect(planToCsv(plan, 'es').slice(1).split('\r\n')[0]).toBe(
      'Tema,Lugar,Paso,Persona responsable,Organización responsable,Fecha límite,Estado,Última actualización,Fecha de la última actualización,Quién hizo la última actualización,Reuniones de seguimiento',
    )
  })
})

describe('indicators in the exports', () => {
  const plan = hostilePlan()
  const withValues = plan.evaluation.indicators.filter((indicator) => indicator.values.length > 0)

  it('the plan carries every indicator with its fields and values', () => {
    expect(plan.evaluation.indicators).toHaveLength(5)
    expect(withValues).toHaveLength(5)
    expect(plan.evaluation.indicators[0]).toMatchObject({
      id: 'i1',
      unit: 'families',
      baseline: 40,
      target: 120,
      frequency: 'monthly',
      organization: 'shape:org0',
    })
    expect(plan.evaluation.indicators.some((i) => i.kind === 'qualitative')).toBe(true)
  })

  it('CSV: a second table after an empty row, one row per value, numbers as numbers', () => {
    const rows = parseCsv(planToCsv(plan).slice(1))
    const blank = rows.findIndex((row) => row.length === 1 && row[0] === '')
    expect(blank).toBeGreaterThan(0)
    expect(rows[blank + 1]).toEqual([
      'Indicator values',
      'Unit (what the numbers count)',
      'Baseline',
      'Target',
      'Date',
      'Group',
      'Value',
      'Note',
      'Entered by',
    ])
    const values = rows.slice(blank + 2)
    expect(values).toHaveLength(withValues.reduce((sum, i) => sum + i.values.length, 0))
    const families = values.filter((row) => row[1] === 'families')
    expect(families).toHaveLength(6)
    expect(families[0]?.slice(2, 5)).toEqual(['40', '120', '2024-01-01'])
    expect(families.map((row) => row[5])).toContain('Income under $25k')
    for (const row of families) expect(Number(row[6])).not.toBeNaN()
  })

  it('Markdown: every indicator in one table, then each one’s values', () => {
    const md = planToMarkdown(plan, 'en', { date: '2026-06-01' })
    expect(md).toContain('| Indicator | Kind of indicator | Where the data comes from |')
    expect(md).toContain('Every month')
    // The latest value of everyone's series, with its unit and date.
    const first = plan.evaluation.indicators[0]
    const latest = first?.values.filter((v) => v.group === '').at(-1)
    expect(latest).toBeDefined()
    expect(md).toContain(markdownInline(`${latest?.value} families`))
    expect(md.match(/^### Values of /gm)).toHaveLength(5)
    expect(md).toContain('| Date | Group | Value | Note | Entered by |')
    expect(md).toContain('| Everyone |')
    const es = planToMarkdown(plan, 'es', { date: '2026-06-01' })
    expect(es).toContain('### Valores de «')
    expect(es).toContain('Todas las personas')
    // Board text in the values' tables stays text.
    expect(md).not.toContain('<script>')
    expect(md).not.toContain('[click me](javascript:')
  })
})

describe('JSON export and import', () => {
  it('JSON round trip is identity', () => {
    const plan = hostilePlan()
    expect(plan.actionPlan.some((item) => item.steps.some((step) => step.history.length > 1))).toBe(
      true,
    )
    const result = importPlan(planToJson(plan))
    expect(result).toEqual({ ok: true, plan })
  })

  it('carries indicators and their values into the new board, and back out unchanged', () => {
    const plan = hostilePlan()
    expect(plan.evaluation.indicators.flatMap((i) => i.values).length).toBeGreaterThan(20)
    const doc = new Y.Doc()
    seedBoardFromPlan(doc, plan, { createdAt: 5 })
    expect(derivePlan(doc).evaluation).toEqual(plan.evaluation)
  })

  it('reads a plan of version 1 (indicators without the later fields) as one of this version', () => {
    const plan = hostilePlan()
    const older = structuredClone(plan) as unknown as {
      planSchemaVersion: number
      evaluation: { indicators: Record<string, unknown>[] }
    }
    older.planSchemaVersion = 1
    older.evaluation.indicators = older.evaluation.indicators.map(
      ({ name, kind, dataSource, id }) => ({
        id,
        name,
        kind,
        dataSource,
      }),
    )
    const result = checkImportedPlan(older)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.plan.planSchemaVersion).toBe(PLAN_SCHEMA_VERSION)
    expect(result.plan.evaluation.indicators[0]).toEqual({
      id: 'i1',
      name: plan.evaluation.indicators[0]?.name,
      kind: 'quantitative',
      dataSource: 'Intake',
      organization: null,
      unit: '',
      baseline: null,
      target: null,
      frequency: null,
      values: [],
    })
    // A plan of this version must say everything.
    const partial = structuredClone(older)
    partial.planSchemaVersion = PLAN_SCHEMA_VERSION
    expect(checkImportedPlan(partial)).toMatchObject({
      ok: false,
      path: 'evaluation.indicators[0].organization',
    })
  })

  it('refuses indicator values out of order, with ids twice, of the wrong type, or too many', () => {
    const plan = hostilePlan()
    const broken = (change: (values: Record<string, unknown>[]) => void) => {
      const copy = structuredClone(plan)
      change(copy.evaluation.indicators[0]?.values as unknown as Record<string, unknown>[])
      return checkImportedPlan(copy)
    }
    expect(broken((values) => values.reverse())).toMatchObject({
      ok: false,
      path: 'evaluation.indicators[0].values[1]',
    })
    expect(
      broken((values) => {
        ;(values[1] as { id: string }).id = (values[0] as { id: string }).id
      }),
    ).toMatchObject({ ok: false, path: 'evaluation.indicators[0].values[1].id' })
    expect(
      broken((values) => {
        ;(values[0] as { value: unknown }).value = 'many'
      }),
    ).toMatchObject({ ok: false, path: 'evaluation.indicators[0].values[0].value' })
    expect(
      broken((values) => {
        ;(values[0] as { date: unknown }).date = '2026-02-30'
      }),
    ).toMatchObject({ ok: false, path: 'evaluation.indicators[0].values[0].date' })
    expect(
      broken((values) => {
        const first = values[0] as Record<string, unknown>
        values.length = 0
        for (let i = 0; i < 501; i++)
          values.push({ ...first, id: `v${String(i).padStart(3, '0')}` })
      }),
    ).toMatchObject({ ok: false, path: 'evaluation.indicators[0].values' })
  })

  it('carries each step’s history into the new board, and back out unchanged', () => {
    const plan = hostilePlan()
    const doc = new Y.Doc()
    seedBoardFromPlan(doc, plan, { createdAt: 5 })
    const again = derivePlan(doc)
    expect(again.actionPlan).toEqual(plan.actionPlan)
    expect(planToJson(again)).toBe(planToJson(plan))
  })

  it('carries the agreement details into plan.json, plan.md and a new board, unchanged', () => {
    const doc = sampleRetreatBoard({ organizations: 3, intersections: 1, issues: 2, steps: 2 })
    setAgreementDate(doc, '2026-09-01')
    setAgreementTerm(doc, 'Two years | renewed =by letter')
    setAgreementPerson(doc, 'signatories', 'b1', {
      name: 'Rosa *Díaz*',
      title: 'Director',
      organization: 'shape:org1',
    })
    setAgreementPerson(doc, 'signatories', 'a1', { name: 'Tomás', title: '', organization: null })
    setAgreementPerson(doc, 'contacts', 'c1', {
      name: 'Luis',
      organization: 'shape:org0',
      email: 'luis@example.org',
      phone: '+1 555 0100',
    })
    const plan = derivePlan(doc)
    expect(plan.agreement).toEqual({
      effectiveDate: '2026-09-01',
      term: 'Two years | renewed =by letter',
      signatories: [
        { id: 'a1', name: 'Tomás', title: '', organization: null },
        { id: 'b1', name: 'Rosa *Díaz*', title: 'Director', organization: 'shape:org1' },
      ],
      contacts: [
        {
          id: 'c1',
          name: 'Luis',
          organization: 'shape:org0',
          email: 'luis@example.org',
          phone: '+1 555 0100',
        },
      ],
    })
    expect(importPlan(planToJson(plan))).toEqual({ ok: true, plan })
    const copy = new Y.Doc()
    seedBoardFromPlan(copy, plan, { createdAt: 5 })
    expect(planToJson(derivePlan(copy))).toBe(planToJson(plan))

    const markdown = planToMarkdown(plan, 'en', { date: '2026-06-01' })
    expect(markdown).toContain('## Agreement details')
    expect(markdown).toContain('- **Takes effect on:** September 1, 2026')
    expect(markdown).toContain('| Rosa \\*Díaz\\* | Director | Partner 1 |')
    expect(markdown).toContain('| Luis | Partner 0 | luis@example.org | \\+1 555 0100 |')
    expect(
      planToMarkdown(
        derivePlan(sampleRetreatBoard({ organizations: 1, intersections: 0, issues: 0, steps: 0 })),
        'en',
      ),
    ).not.toContain('## Agreement details')
  })

  it('reads a plan exported before it carried agreement details, and checks the ones it has', () => {
    const plan = hostilePlan()
    const older = structuredClone(plan) as unknown as Record<string, unknown>
    delete older.agreement
    const result = importPlan(JSON.stringify(older))
    expect(result).toEqual({ ok: true, plan })
    const person = { id: 'p1', name: 'Ana', title: '', organization: 'shape:nobody' }
    expect(
      checkImportedPlan({ ...plan, agreement: { ...plan.agreement, signatories: [person] } }),
    ).toMatchObject({ ok: false, path: 'agreement.signatories[0].organization' })
    const twice = { ...person, organization: null }
    expect(
      checkImportedPlan({ ...plan, agreement: { ...plan.agreement, signatories: [twice, twice] } }),
    ).toMatchObject({ ok: false, path: 'agreement.signatories[1].id' })
    expect(
      checkImportedPlan({ ...plan, agreement: { ...plan.agreement, effectiveDate: '2026-02-30' } }),
    ).toMatchObject({ ok: false, path: 'agreement.effectiveDate' })
  })

  it('reads a plan exported before steps had a history as steps without updates', () => {
    const plan = hostilePlan()
    const older = structuredClone(plan) as unknown as {
      actionPlan: { steps: Record<string, unknown>[] }[]
    }
    for (const item of older.actionPlan)
      for (const step of item.steps) {
        delete step.history
        delete step.lastUpdate
      }
    const result = importPlan(JSON.stringify(older))
    if (!result.ok) throw new Error(result.message)
    for (const item of result.plan.actionPlan)
      for (const step of item.steps) {
        expect(step.history).toEqual([])
        expect(step.lastUpdate).toBeNull()
      }
    const doc = new Y.Doc()
    seedBoardFromPlan(doc, result.plan, { createdAt: 5 })
    expect(derivePlan(doc).actionPlan).toEqual(result.plan.actionPlan)
  })

  it('refuses a history out of order, with ids twice, too long, or a wrong last update', () => {
    const plan = hostilePlan()
    const where = plan.actionPlan.findIndex((item) =>
      item.steps.some((step) => step.history.length > 1),
    )
    const stepAt = (plan.actionPlan[where]?.steps ?? []).findIndex(
      (step) => step.history.length > 1,
    )
    const path = `actionPlan[${where}].steps[${stepAt}]`
    const broken = (change: (step: PartnershipPlan['actionPlan'][0]['steps'][0]) => void) => {
      const copy = structuredClone(plan)
      change(copy.actionPlan[where]?.steps[stepAt] as PartnershipPlan['actionPlan'][0]['steps'][0])
      return checkImportedPlan(copy)
    }
    expect(broken((step) => step.history.reverse())).toMatchObject({
      ok: false,
      path: `${path}.history[1]`,
    })
    expect(
      broken((step) => {
        ;(step.history[1] as { id: string }).id = step.history[0]?.id as string
      }),
    ).toMatchObject({ ok: false, path: `${path}.history[1].id` })
    expect(
      broken((step) => {
        step.lastUpdate = step.history[1] ?? null
      }),
    ).toMatchObject({ ok: false, path: `${path}.lastUpdate` })
    expect(
      broken((step) => {
        step.history = Array.from({ length: 101 }, (_, i) => ({
          ...(step.history[0] as StepUpdate),
          id: `u${i}`,
          at: 1000 - i,
        }))
        step.lastUpdate = step.history[0] ?? null
      }),
    ).toMatchObject({ ok: false, path: `${path}.history` })
    expect(
      broken((step) => {
        ;(step.history[0] as { note: string }).note = 'two\nlines'
      }),
    ).toMatchObject({ ok: false, path: `${path}.history[0].note` })
  })

  it('a board seeded from a plan derives the same plan', () => {
    for (const locale of ['en', 'es'] as const) {
      const plan = derivePlan(
        sampleRetreatBoard({
          organizations: 15,
          intersections: 8,
          issues: 48,
          steps: 300,
          actionIssues: 40,
          hostile: true,
        }),
        { locale },
      )
      expect(plan.problems).toEqual([])
      expect(plan.issues.some((issue) => issue.cluster !== null)).toBe(true)
      const imported = importPlan(planToJson(plan))
      if (!imported.ok) throw new Error(imported.message)
      const doc = new Y.Doc()
      seedBoardFromPlan(doc, imported.plan, { createdAt: 5, locale })
      // The server's reader: a fresh copy without a board view.
      const copy = new Y.Doc()
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
      expect(derivePlan(copy, { locale })).toEqual(plan)
      const schemaRecords = [...readRecords(copy).values()]
      expect(schemaRecords.filter((r) => r.typeName === 'binding')).toHaveLength(
        plan.links.length * 2,
      )
    }
  })

  it('refuses what is too large, not JSON, invalid or newer, naming the field', () => {
    const plan = hostilePlan()
    const big = importPlan(' '.repeat(MAX_PLAN_JSON_BYTES + 1))
    expect(big).toMatchObject({ ok: false, code: 'too_large', path: '' })
    expect(importPlan('{"title": ')).toMatchObject({ ok: false, code: 'invalid_json' })
    expect(checkImportedPlan([])).toMatchObject({ ok: false, code: 'invalid_plan', path: '' })
    expect(
      checkImportedPlan({ ...plan, planSchemaVersion: PLAN_SCHEMA_VERSION + 1 }),
    ).toMatchObject({ ok: false, code: 'newer_version', path: 'planSchemaVersion' })

    const broken = (change: (copy: PartnershipPlan) => void) => {
      const copy = structuredClone(plan)
      change(copy)
      return checkImportedPlan(copy)
    }
    expect(
      broken((p) => {
        ;(p.actionPlan[0]?.steps[1] as { due: string }).due = '2026-02-30'
      }),
    ).toMatchObject({ ok: false, code: 'invalid_plan', path: 'actionPlan[0].steps[1].due' })
    expect(
      broken((p) => {
        ;(p.organizations[2] as { name: unknown }).name = 7
      }),
    ).toMatchObject({ path: 'organizations[2].name' })
    expect(
      broken((p) => {
        ;(p as unknown as { extra: number }).extra = 1
      }),
    ).toMatchObject({ path: 'extra' })
    expect(
      broken((p) => {
        ;(p.organizations[1] as { id: string }).id = p.organizations[0]?.id as string
      }),
    ).toMatchObject({ path: 'organizations[1].id' })
    expect(
      broken((p) => {
        ;(p.issues[0] as { id: string }).id = 'shape:stage-issues'
      }),
    ).toMatchObject({ path: 'issues[0].id' })
    expect(
      broken((p) => {
        ;(p.links[0] as { intersection: string }).intersection = 'shape:nowhere'
      }),
    ).toMatchObject({ path: 'links[0].intersection' })
    expect(
      broken((p) => {
        ;(p.issues[1] as { color: string }).color = 'url(javascript:x)'
      }),
    ).toMatchObject({ path: 'issues[1].color' })
    expect(
      broken((p) => {
        p.title = '   '
      }),
    ).toMatchObject({ path: 'title' })
    expect(partnershipPlanValidator.isValid(plan)).toBe(true)
  })
})

describe('check-ins in the exports', () => {
  const plan = hostilePlan()
  const held = plan.checkIns[0] as PartnershipPlan['checkIns'][number]

  it('the plan holds a held and a scheduled check-in, with updates posted while one ran', () => {
    expect(plan.checkIns.map((c) => [c.id, checkInState(c)])).toEqual([
      ['held1', 'finished'],
      ['next1', 'scheduled'],
    ])
    expect(checkInUpdates(plan.actionPlan, held).length).toBeGreaterThan(0)
  })

  it('Markdown: the indicator values entered while a check-in ran are listed with it', () => {
    const withValue = structuredClone(plan)
    const indicator = withValue.evaluation.indicators.find((i) => i.kind === 'quantitative')
    if (!indicator || held.startedAt === null) throw new Error('the sample has no such indicator')
    indicator.values.push({
      id: 'atCheckIn',
      date: '2026-02-28',
      value: 41,
      note: 'From the March intake',
      group: 'Income under $25k',
      by: 'Ana',
      at: held.startedAt + 1,
    })
    indicator.values.sort((a, b) => a.date.localeCompare(b.date) || a.at - b.at)
    const md = planToMarkdown(withValue, 'en', { date: '2026-03-02', timeZone: 'UTC' })
    const part = md.slice(md.indexOf('## Check-ins'))
    expect(part).toContain('**Indicator values**')
    expect(part).toMatch(
      /- .+: 41 .*\(Income under \$25k\), February 28, 2026 — From the March intake/,
    )
    expect(planToMarkdown(plan, 'en', { date: '2026-03-02', timeZone: 'UTC' })).not.toContain(
      'From the March intake',
    )
  })

  it('Markdown: a Check-ins section, each with who attended, its updates, blockers and decisions', () => {
    const md = planToMarkdown(plan, 'en', { date: '2026-05-04' })
    const section = md.slice(md.indexOf('## Check-ins'), md.indexOf('## Are we ready?'))
    expect(section).toContain('### 30-day check-in -3, "minus" · March 1, 2026')
    expect(section).toContain('*Held*')
    expect(section).toContain('**Who attended:** María José, שרה')
    expect(section).toMatch(/- Step 1.*: March 1, 2026, שרה: Not started — Update 0/)
    expect(section).toContain('**Blockers**')
    expect(section).toContain('**Decisions**')
    expect(section).toContain('### Check-in · June 1, 2026')
    expect(section).toContain('*Scheduled*')
    // The hostile text stays text.
    expect(section).toContain('\\<script\\>')
    expect(section).not.toContain('<script>')
    const es = planToMarkdown(plan, 'es', { date: '2026-05-04' })
    expect(es).toContain('## Reuniones de seguimiento')
    expect(es).toContain('### Reunión de seguimiento · 1 de junio de 2026')
    expect(es).toContain('**Asistentes:** María José, שרה')
  })

  it('CSV: each step’s updates at check-ins in the last column', () => {
    const rows = parseCsv(planToCsv(plan).slice(1))
    // The steps' table ends at the empty row before the indicator values' table.
    const end = rows.findIndex((row) => row.every((cell) => cell === ''))
    const steps = rows.slice(1, end === -1 ? undefined : end)
    const reviewed = steps.filter((row) => row.at(-1) !== '')
    expect(reviewed.length).toBe(checkInUpdates(plan.actionPlan, held).length)
    expect(reviewed[0]?.at(-1)).toMatch(/\(2026-03-01\): 2026-03-01, שרה: Not started — Update 0/)
  })

  it('JSON: a plan from before check-ins imports with none; bad check-ins are refused by path', () => {
    const older = structuredClone(plan) as Partial<PartnershipPlan>
    delete older.checkIns
    const result = importPlan(JSON.stringify(older))
    if (!result.ok) throw new Error(result.message)
    expect(result.plan.checkIns).toEqual([])
    const broken = (change: (checkIns: PartnershipPlan['checkIns']) => void) => {
      const copy = structuredClone(plan)
      change(copy.checkIns)
      return checkImportedPlan(copy)
    }
    expect(broken((list) => list.reverse())).toMatchObject({ ok: false, path: 'checkIns[1].date' })
    expect(
      broken((list) => {
        ;(list[1] as { id: string }).id = 'held1'
      }),
    ).toMatchObject({ ok: false, path: 'checkIns[1].id' })
    expect(
      broken((list) => {
        ;(list[0] as { startedAt: number | null }).startedAt = null
      }),
    ).toMatchObject({ ok: false, path: 'checkIns[0].finishedAt' })
    expect(
      broken((list) => {
        ;(list[1] as { decisions: string }).decisions = 'Decided before it started'
      }),
    ).toMatchObject({ ok: false, path: 'checkIns[1].startedAt' })
    expect(
      broken((list) => {
        ;(list[0] as { date: string }).date = '2026-02-30'
      }),
    ).toMatchObject({ ok: false, path: 'checkIns[0].date' })
    expect(
      broken((list) => {
        for (let i = 0; i < 50; i++)
          list.push({ ...(list[1] as CheckIn), id: `n${i}`, date: '2027-01-01' })
      }),
    ).toMatchObject({ ok: false, path: 'checkIns' })
  })

  it('a board seeded from the plan derives the same check-ins', () => {
    const doc = new Y.Doc()
    seedBoardFromPlan(doc, plan, { createdAt: 5 })
    expect(derivePlan(doc).checkIns).toEqual(plan.checkIns)
  })
})
