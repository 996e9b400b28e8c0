import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { participantIdFor } from '../board/access.ts'
import { META, PLAN_SCHEMA_VERSION, peekBoardDoc } from '../board/boardDoc.ts'
import { BoardBallots } from '../vote/boardBallots.ts'
import { revealVote, startVote } from '../vote/voteDoc.ts'
import { derivePlan } from './derivePlan.ts'
import { blankIndicatorEntry } from './evaluation.ts'
import {
  arrow,
  arrowBinding,
  boardSchemaForTests,
  boardWith,
  boundArrow,
  group,
  intersectionCard,
  note,
  organizationCard,
  putRecords,
  removeRecords,
} from './fixtures.ts'
import type { Organization } from './organization.ts'
import { partnershipPlanValidator } from './partnershipPlan.ts'
import { PLAN, setPlanEntry } from './planData.ts'
import { stageFrameId } from './template.ts'

/** The same doc state in a fresh doc with no board view open: the server's situation. */
function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

const issuesFrame = stageFrameId('issues')

describe('derivePlan', () => {
  it('derives an empty plan from an empty board', () => {
    const doc = boardWith([], 'blank')
    const plan = derivePlan(doc)
    expect(plan).toEqual({
      title: 'Fixture board',
      template: 'blank',
      planSchemaVersion: PLAN_SCHEMA_VERSION,
      readiness: [],
      organizations: [],
      intersections: [],
      links: [],
      issues: [],
      themes: [],
      parkingLot: [],
      votes: [],
      ranking: [],
      rounds: [],
      actionPlan: [],
      checkIns: [],
      community: {
        needs: '',
        resources: '',
        whoWeServe: '',
        demographics: '',
        howToReach: '',
        trends: '',
      },
      capacity: {
        leadership: '',
        leadershipDiverse: null,
        organizationsInvolved: '',
        trainingNeeded: '',
        staffHours: '',
        barriers: '',
      },
      evaluation: { indicators: [], dataSharing: '', reviewCadence: null, sustain: '' },
      structure: { backbone: '', roles: [], bodies: [], agreement: null, agreementNotes: '' },
      agreement: { effectiveDate: null, term: '', signatories: [], contacts: [] },
      problems: [],
    })
    expect(partnershipPlanValidator.isValid(plan)).toBe(true)
  })

  it('fixture records are valid tldraw records of the board schema', () => {
    const records = [
      organizationCard('org'),
      intersectionCard('meet'),
      note('n', 'hello'),
      group('g'),
      ...boundArrow('a', 'org', 'meet'),
    ]
    for (const record of records) {
      expect(() =>
        boardSchemaForTests.validateRecord(null as never, record, 'tests', null),
      ).not.toThrow()
    }
  })

  it('reads organization cards, ordered by name, with every field', () => {
    const workforceBoard: Omit<Organization, 'id'> = {
      name: 'Workforce Board',
      kind: 'public',
      activities: [{ activity: 'Job training', measure: 'Placements per quarter' }],
      fundingSources: 'State grants',
      performanceAffectsFunding: 'yes',
      offers: 'Training slots',
      needs: 'Referrals',
    }
    const doc = boardWith([
      organizationCard('b', workforceBoard),
      organizationCard('a', { name: 'Anchor Church', kind: 'faith' }),
      organizationCard('c'),
    ])
    const plan = derivePlan(doc)
    expect(plan.organizations.map((org) => org.id)).toEqual(['shape:a', 'shape:b', 'shape:c'])
    expect(plan.organizations[1]).toEqual({ id: 'shape:b', ...workforceBoard })
    expect(plan.organizations[2]?.kind).toBeNull()
  })

  it('links organizations to intersections through bound arrows, either way round', () => {
    const doc = boardWith([
      organizationCard('bank', { name: 'Bank' }),
      organizationCard('school', { name: 'School' }),
      intersectionCard('savings', { title: 'Savings accounts for families' }),
      intersectionCard('referrals', { title: 'Referrals' }),
      ...boundArrow('a1', 'bank', 'savings'),
      ...boundArrow('a2', 'referrals', 'school'), // drawn the other way
      ...boundArrow('a3', 'school', 'savings'),
      ...boundArrow('a4', 'bank', 'savings'), // a second arrow: still one link
    ])
    for (const view of [doc, copyOf(doc)]) {
      const plan = derivePlan(view)
      expect(plan.links).toEqual([
        { organization: 'shape:bank', intersection: 'shape:savings' },
        { organization: 'shape:school', intersection: 'shape:referrals' },
        { organization: 'shape:school', intersection: 'shape:savings' },
      ])
      expect(plan.intersections.map((i) => [i.title, i.organizations])).toEqual([
        ['Referrals', ['shape:school']],
        ['Savings accounts for families', ['shape:bank', 'shape:school']],
      ])
    }
    expect(peekBoardDoc(copyOf(doc))).toBeUndefined()
  })

  it('ignores unbound and half-bound arrows and arrows between the wrong kinds of shapes', () => {
    const doc = boardWith([
      organizationCard('org', { name: 'Org' }),
      organizationCard('other', { name: 'Other' }),
      intersectionCard('meet', { title: 'Meet' }),
      note('n', 'a note'),
      arrow('loose'), // no bindings at all
      arrow('half'),
      arrowBinding('half', 'start', 'org'), // only one end bound
      ...boundArrow('orgs', 'org', 'other'), // organization to organization
      ...boundArrow('toNote', 'org', 'n'),
      arrowBinding('ghost', 'start', 'org'), // bindings of an arrow that does not exist
      arrowBinding('ghost', 'end', 'meet'),
    ])
    const plan = derivePlan(doc)
    expect(plan.links).toEqual([])
    expect(plan.intersections[0]?.organizations).toEqual([])
  })

  it('drops links when a card or the arrow is deleted', () => {
    const doc = boardWith([
      organizationCard('org', { name: 'Org' }),
      organizationCard('gone', { name: 'Gone' }),
      intersectionCard('meet', { title: 'Meet' }),
      ...boundArrow('a1', 'org', 'meet'),
      ...boundArrow('a2', 'gone', 'meet'),
    ])
    expect(derivePlan(doc).links).toHaveLength(2)
    // A card deleted by a client whose bindings were not cleaned up yet (e.g. an old replica).
    removeRecords(doc, ['shape:gone'])
    expect(derivePlan(doc).links).toEqual([
      { organization: 'shape:org', intersection: 'shape:meet' },
    ])
    expect(derivePlan(doc).organizations.map((org) => org.id)).toEqual(['shape:org'])
    removeRecords(doc, ['shape:a1'])
    expect(derivePlan(copyOf(doc)).links).toEqual([])
  })

  it('leaves out and reports cards whose props do not validate', () => {
    const bad = organizationCard('bad', { name: 'Bad' })
    const doc = boardWith([
      { ...bad, props: { ...bad.props, kind: 'spaceship' } } as never,
      intersectionCard('meet', { title: 'Meet' }),
      ...boundArrow('a', 'bad', 'meet'),
    ])
    const plan = derivePlan(doc)
    expect(plan.organizations).toEqual([])
    expect(plan.links).toEqual([])
    expect(plan.problems).toEqual([
      { where: 'shape:bad', message: expect.stringContaining('cg-organization') },
    ])
  })

  it('takes the notes inside the Issues frame as issue candidates, with their clusters', () => {
    const doc = boardWith([
      note('first', 'Shared intake form', { parentId: issuesFrame, x: 100, y: 200 }),
      note('second', 'Evening hours', { parentId: issuesFrame, x: 400, y: 210, index: 'a2' }),
      group('cluster', { parentId: issuesFrame, x: 0, y: 500, index: 'a3' }),
      note('grouped', 'Transport to appointments', { parentId: 'shape:cluster', x: 10, y: 10 }),
      note('outside', 'Not an issue'), // on the page
      note('elsewhere', 'In another stage', { parentId: stageFrameId('organizations') }),
    ])
    const plan = derivePlan(copyOf(doc))
    expect(plan.issues).toEqual([
      { id: 'shape:first', text: 'Shared intake form', color: 'yellow', cluster: null },
      { id: 'shape:second', text: 'Evening hours', color: 'yellow', cluster: null },
      {
        id: 'shape:grouped',
        text: 'Transport to appointments',
        color: 'yellow',
        cluster: 'shape:cluster',
      },
    ])
  })

  it('keeps every vote as history, its results only once revealed, and the ranking for exports', () => {
    const doc = boardWith([
      note('first', 'Shared intake form', { parentId: issuesFrame, x: 100, y: 200 }),
      note('second', 'Evening hours', { parentId: issuesFrame, x: 400, y: 210, index: 'a2' }),
    ])
    startVote(doc, {
      id: 'v1',
      title: 'Which first?',
      itemIds: ['shape:first', 'shape:second'],
      now: 5,
    })
    const pA = participantIdFor('a-secret-a-secret-a-secret', 'board')
    const pB = participantIdFor('b-secret-b-secret-b-secret', 'board')
    // Dots go to the ballot box the server keeps, not into the document.
    const ballots = new BoardBallots(doc)
    const dot = (participantId: string, itemId: string) =>
      ballots.cast(participantId, { sessionId: 'v1', itemId, delta: 1 })
    dot(pA, 'shape:second')
    dot(pB, 'shape:second')
    dot(pB, 'shape:first')
    const hidden = derivePlan(copyOf(doc))
    expect(hidden.votes).toHaveLength(1)
    expect(hidden.votes[0]).toMatchObject({ id: 'v1', status: 'open', voters: 0, results: null })
    expect(hidden.ranking).toEqual([])
    revealVote(doc, 'v1', 9)
    ballots.recordRevealed()
    expect(derivePlan(copyOf(doc)).votes[0]?.voters).toBe(2)
    const plan = derivePlan(copyOf(doc))
    expect(plan.votes[0]?.results).toEqual([
      { itemId: 'shape:second', text: 'Evening hours', dots: 2, rank: 1 },
      { itemId: 'shape:first', text: 'Shared intake form', dots: 1, rank: 2 },
    ])
    expect(plan.ranking).toEqual([
      { id: 'shape:second', text: 'Evening hours', rank: 1, dots: 2, sessionId: 'v1' },
      { id: 'shape:first', text: 'Shared intake form', rank: 2, dots: 1, sessionId: 'v1' },
    ])
    expect(partnershipPlanValidator.validate(plan)).toEqual(plan)
  })

  it('finds no issues on a board without an Issues frame', () => {
    const doc = boardWith([note('n', 'Loose idea')], 'blank')
    expect(derivePlan(doc).issues).toEqual([])
  })

  it('sees later edits: a note moved out of the Issues frame is no longer a candidate', () => {
    const doc = boardWith([note('n', 'Idea', { parentId: issuesFrame })])
    expect(derivePlan(doc).issues).toHaveLength(1)
    putRecords(doc, [note('n', 'Idea')])
    expect(derivePlan(doc).issues).toEqual([])
  })

  it('reads the assessment answers of stages 0 and 6–8', () => {
    const doc = boardWith([])
    setPlanEntry(doc, 'readiness/leadership', { question: '', answer: 'yes', note: 'All four' })
    setPlanEntry(doc, 'readiness/parentFees', {
      question: 'Should families pay a fee?',
      answer: 'unsure',
      note: '',
    })
    setPlanEntry(doc, 'community/needs', 'Affordable childcare')
    setPlanEntry(doc, 'capacity/leadershipDiverse', 'no')
    setPlanEntry(doc, 'evaluation/reviewCadence', 'quarterly')
    setPlanEntry(doc, 'evaluation/indicators/i1', {
      ...blankIndicatorEntry(),
      name: 'Families enrolled',
      kind: 'quantitative',
      dataSource: 'Intake records',
    })
    setPlanEntry(doc, 'structure/bodies', ['steeringCommittee', 'workingGroups'])
    setPlanEntry(doc, 'structure/roles/r1', { role: 'data', holder: 'Ana (Bank)', note: '' })
    setPlanEntry(doc, 'structure/agreement', 'drafting')

    const plan = derivePlan(copyOf(doc), { locale: 'es' })
    expect(plan.readiness).toHaveLength(7)
    expect(plan.readiness[0]).toEqual({
      id: 'leadership',
      question: '¿Los directivos de cada organización apoyan esta alianza?',
      answer: 'yes',
      note: 'All four',
    })
    expect(plan.readiness[1]?.answer).toBeNull()
    expect(plan.readiness[6]).toEqual({
      id: 'parentFees',
      question: 'Should families pay a fee?',
      answer: 'unsure',
      note: '',
    })
    expect(plan.community.needs).toBe('Affordable childcare')
    expect(plan.capacity.leadershipDiverse).toBe('no')
    expect(plan.evaluation).toEqual({
      indicators: [
        {
          id: 'i1',
          ...blankIndicatorEntry(),
          name: 'Families enrolled',
          kind: 'quantitative',
          dataSource: 'Intake records',
          values: [],
        },
      ],
      dataSharing: '',
      reviewCadence: 'quarterly',
      sustain: '',
    })
    expect(plan.structure).toEqual({
      backbone: '',
      roles: [{ id: 'r1', role: 'data', holder: 'Ana (Bank)', note: '' }],
      bodies: ['steeringCommittee', 'workingGroups'],
      agreement: 'drafting',
      agreementNotes: '',
    })
    expect(plan.problems).toEqual([])
    expect(partnershipPlanValidator.isValid(plan)).toBe(true)
  })

  it('skips and reports unknown or invalid plan entries written around the validators', () => {
    const doc = boardWith([])
    const raw = doc.getMap(PLAN)
    raw.set('community/needs', 42)
    raw.set('community/favouriteColour', 'blue')
    raw.set('readiness/own', { question: '  ', answer: 'yes', note: '' })
    raw.set('community/trends', 'Rents rising')
    const plan = derivePlan(doc)
    expect(plan.community.needs).toBe('')
    expect(plan.community.trends).toBe('Rents rising')
    expect(plan.problems.map((problem) => problem.where).sort()).toEqual([
      'community/favouriteColour',
      'community/needs',
      'readiness/own',
    ])
  })

  it('refuses plan data of a newer version with a clear problem, keeping the canvas parts', () => {
    const doc = boardWith([organizationCard('org', { name: 'Org' })])
    doc.getMap(PLAN).set('community/needs', 'Something')
    doc.getMap(META).set('planSchemaVersion', PLAN_SCHEMA_VERSION + 1)
    const plan = derivePlan(doc)
    expect(plan.community.needs).toBe('')
    expect(plan.organizations).toHaveLength(1)
    expect(plan.problems).toEqual([
      { where: 'plan', message: expect.stringContaining('newer version') },
    ])
  })

  it('never writes to the doc', () => {
    const doc = copyOf(
      boardWith([organizationCard('org'), note('n', 'x', { parentId: issuesFrame })]),
    )
    let updates = 0
    doc.on('update', () => updates++)
    derivePlan(doc)
    expect(updates).toBe(0)
  })
})
