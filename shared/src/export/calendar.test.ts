/**
 * The iCalendar feed, read back with ical.js (a maintained RFC 5545 parser), never with a
 * regular expression: what a calendar app would make of it.
 */
import fc from 'fast-check'
import ICAL from 'ical.js'
import { describe, expect, it } from 'vitest'
import type { ActionPlanItem, ActionStep } from '../plan/actionPlan.ts'
import { derivePlan } from '../plan/derivePlan.ts'
import { boardWith } from '../plan/fixtures.ts'
import type { PartnershipPlan } from '../plan/partnershipPlan.ts'
import { checkInUid, planToCalendar, stepUid } from './calendar.ts'
import { type CalendarEvent, MAX_LINE_OCTETS, utf8Length, writeCalendar } from './ics.ts'

// Calendar names are TEXT for the apps that read them; ical.js leaves unknown properties raw.
ICAL.design.icalendar.property['x-wr-calname'] = { defaultType: 'text' }
ICAL.design.icalendar.property.name = { defaultType: 'text' }

interface ReadEvent {
  uid: string
  summary: string
  description: string
  start: string
  startIsDate: boolean
  end: string
  stamp: string
  url: string | null
}

/** Parses a calendar as an app would, and the events in it. */
function readCalendar(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text))
  const events: ReadEvent[] = calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component)
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      start: event.startDate.toString(),
      startIsDate: event.startDate.isDate,
      end: event.endDate.toString(),
      stamp: String(component.getFirstPropertyValue('dtstamp')),
      url: (component.getFirstPropertyValue('url') as string | null) ?? null,
    }
  })
  return {
    name: calendar.getFirstPropertyValue('x-wr-calname') as string,
    rfc7986Name: calendar.getFirstPropertyValue('name') as string,
    version: calendar.getFirstPropertyValue('version') as string,
    prodId: calendar.getFirstPropertyValue('prodid') as string,
    events,
  }
}

/** The physical lines: every one must end with CRLF, so no lone CR or LF may be left. */
function physicalLines(text: string): string[] {
  expect(text.endsWith('\r\n')).toBe(true)
  const lines = text.slice(0, -2).split('\r\n')
  for (const line of lines) {
    expect(line.includes('\r') || line.includes('\n')).toBe(false)
  }
  return lines
}

const NOW = Date.UTC(2026, 4, 4, 9, 30, 15)
const BOARD = 'board-calendar-1'

function step(id: string, over: Partial<ActionStep> = {}): ActionStep {
  return {
    id,
    what: `Step ${id}`,
    person: '',
    organization: null,
    due: '2026-06-01',
    status: 'not-started',
    history: [],
    lastUpdate: null,
    order: 'a1',
    ...over,
  }
}

function item(issue: string, title: string, rank: number, steps: ActionStep[]): ActionPlanItem {
  return { issue, title, rank, sessionId: null, commitments: [], steps }
}

function planWith(actionPlan: ActionPlanItem[], title = 'Spring retreat'): PartnershipPlan {
  const plan = derivePlan(boardWith([], 'blank'))
  return {
    ...plan,
    title,
    organizations: [
      { ...organization('shape:bank', 'First Bank') },
      { ...organization('shape:food', 'Food Bank; North, East') },
      { ...organization('shape:nameless', '') },
    ],
    actionPlan,
  }
}

function organization(id: string, name: string): PartnershipPlan['organizations'][number] {
  return {
    id,
    name,
    kind: null,
    activities: [],
    fundingSources: '',
    performanceAffectsFunding: null,
    offers: '',
    needs: '',
  }
}

const housing = item('shape:housing', 'Housing', 1, [
  step('s1', {
    what: 'Call the landlords',
    person: 'Ana López',
    organization: 'shape:food',
    due: '2026-07-10',
    status: 'in-progress',
  }),
  step('s2', { what: 'No date yet', due: null }),
  step('s3', {
    what: 'Draft the MOU',
    person: 'ben',
    organization: 'shape:bank',
    due: '2026-06-02',
  }),
])
const jobs = item('shape:jobs', 'Jobs', 2, [
  // The same step id as in another issue: still its own event.
  step('s1', { what: '', person: 'Ben', organization: 'shape:nameless', due: '2026-06-02' }),
  step('s4', { what: 'Job fair', person: ' ANA LÓPEZ ', due: '2028-02-28', status: 'done' }),
])

describe('planToCalendar', () => {
  it('one all-day event per dated step, soonest first, each with UID, DTSTAMP and a description', () => {
    const text = planToCalendar(planWith([housing, jobs]), { boardId: BOARD, now: NOW })
    const calendar = readCalendar(text)
    expect(calendar.version).toBe('2.0')
    expect(calendar.prodId).toBe('-//Common Ground//Action plan//EN')
    expect(calendar.name).toBe('Spring retreat')
    expect(calendar.rfc7986Name).toBe('Spring retreat')
    expect(calendar.events.map((event) => [event.summary, event.start, event.end])).toEqual([
      ['Draft the MOU', '2026-06-02', '2026-06-03'],
      ['A step for “Jobs”', '2026-06-02', '2026-06-03'],
      ['Call the landlords', '2026-07-10', '2026-07-11'],
      ['Job fair', '2028-02-28', '2028-02-29'],
    ])
    for (const event of calendar.events) {
      expect(event.startIsDate).toBe(true)
      expect(event.stamp).toBe('2026-05-04T09:30:15Z')
    }
    const landlords = calendar.events[2] as ReadEvent
    expect(landlords.uid).toBe(stepUid(BOARD, 'shape:housing', 's1'))
    expect(landlords.description).toBe(
      [
        'Issue: 1. Housing',
        'Person responsible: Ana López',
        'Organization responsible: Food Bank; North, East',
        'Status: In progress',
      ].join('\n'),
    )
    expect(calendar.events[1]?.description).toBe(
      [
        'Issue: 2. Jobs',
        'Person responsible: Ben',
        'Organization responsible: Unnamed organization',
        'Status: Not started',
      ].join('\n'),
    )
    expect(new Set(calendar.events.map((event) => event.uid)).size).toBe(4)
  })

  it('describes the step in Spanish when asked', () => {
    const text = planToCalendar(planWith([jobs]), { boardId: BOARD, now: NOW, locale: 'es' })
    const [untitled, fair] = readCalendar(text).events
    expect(untitled?.summary).toBe('Un paso de «Jobs»')
    expect(fair?.description).toBe(
      [
        'Tema: 2. Jobs',
        'Persona responsable: ANA LÓPEZ',
        'Organización responsable: Ninguna organización',
        'Estado: Hecho',
      ].join('\n'),
    )
  })

  it('keeps each UID from one feed to the next, and apart across boards and issues', () => {
    const plan = planWith([housing, jobs])
    const uids = (boardId: string, now: number) =>
      readCalendar(planToCalendar(plan, { boardId, now })).events.map((event) => event.uid)
    expect(uids(BOARD, NOW)).toEqual(uids(BOARD, NOW + 86_400_000))
    // A changed date moves the event, under the same UID.
    const moved = planWith([
      { ...housing, steps: housing.steps.map((s) => ({ ...s, due: '2027-01-01' })) },
    ])
    const movedUids = readCalendar(planToCalendar(moved, { boardId: BOARD, now: NOW })).events.map(
      (event) => event.uid,
    )
    expect(movedUids).toEqual([
      stepUid(BOARD, 'shape:housing', 's1'),
      stepUid(BOARD, 'shape:housing', 's2'),
      stepUid(BOARD, 'shape:housing', 's3'),
    ])
    const other = uids('board-calendar-2', NOW)
    expect(other.some((uid) => uids(BOARD, NOW).includes(uid))).toBe(false)
    expect(stepUid(BOARD, 'shape:housing', 's1')).not.toBe(stepUid(BOARD, 'shape:jobs', 's1'))
  })

  it('filters by organization, by person (trimmed, any case), or both', () => {
    const plan = planWith([housing, jobs])
    const summaries = (filter: { organization?: string; person?: string }) => {
      const calendar = readCalendar(planToCalendar(plan, { boardId: BOARD, now: NOW, ...filter }))
      return { name: calendar.name, summaries: calendar.events.map((event) => event.summary) }
    }
    expect(summaries({ organization: 'shape:food' })).toEqual({
      name: 'Spring retreat · Food Bank; North, East',
      summaries: ['Call the landlords'],
    })
    expect(summaries({ person: '  ana lópez' })).toEqual({
      name: 'Spring retreat · ana lópez',
      summaries: ['Call the landlords', 'Job fair'],
    })
    expect(summaries({ person: 'BEN', organization: 'shape:bank' }).summaries).toEqual([
      'Draft the MOU',
    ])
    // A card that is gone, or a person with no step: an empty calendar, still valid.
    expect(summaries({ organization: 'shape:gone' })).toEqual({
      name: 'Spring retreat',
      summaries: [],
    })
    expect(summaries({ person: 'Nobody' }).summaries).toEqual([])
  })

  it('sets the board address as each event URL, and an empty plan still makes a calendar', () => {
    const url = 'http://192.168.1.20:8787/b/board-calendar-1'
    const [first] = readCalendar(
      planToCalendar(planWith([housing]), { boardId: BOARD, now: NOW, boardUrl: url }),
    ).events
    expect(first?.url).toBe(url)
    const empty = readCalendar(planToCalendar(planWith([], ''), { boardId: BOARD, now: NOW }))
    expect(empty).toMatchObject({ name: 'Partnership plan', events: [] })
  })
})

describe('check-ins in the calendar', () => {
  const checkIns: PartnershipPlan['checkIns'] = [
    {
      id: 'c30',
      title: '30-day check-in; Food, Jobs',
      date: '2026-06-02',
      startedAt: NOW,
      finishedAt: NOW + 3_600_000,
      attended: ['Ana López', 'Ben'],
      blockers: '',
      decisions: '',
    },
    {
      id: 'c60',
      title: '',
      date: '2026-07-03',
      startedAt: null,
      finishedAt: null,
      attended: [],
      blockers: '',
      decisions: '',
    },
  ]
  const plan = { ...planWith([housing, jobs]), checkIns }

  it('one all-day event per check-in, on its date, after the steps of that day', () => {
    const calendar = readCalendar(planToCalendar(plan, { boardId: BOARD, now: NOW }))
    expect(calendar.events.map((event) => [event.summary, event.start, event.end])).toEqual([
      ['Draft the MOU', '2026-06-02', '2026-06-03'],
      ['A step for “Jobs”', '2026-06-02', '2026-06-03'],
      ['30-day check-in; Food, Jobs', '2026-06-02', '2026-06-03'],
      ['Check-in', '2026-07-03', '2026-07-04'],
      ['Call the landlords', '2026-07-10', '2026-07-11'],
      ['Job fair', '2028-02-28', '2028-02-29'],
    ])
    const [held, next] = calendar.events.filter((event) => event.uid.startsWith('checkin.'))
    expect(held?.startIsDate).toBe(true)
    expect(held?.uid).toBe(checkInUid(BOARD, 'c30'))
    expect(held?.uid).toBe('checkin.c30.board-calendar-1@common-ground')
    expect(held?.description).toBe(
      [
        'Check-in on the action plan: how each step is going, blockers and decisions.',
        'Who attended: Ana López, Ben',
      ].join('\n'),
    )
    expect(next?.description).toBe(
      'Check-in on the action plan: how each step is going, blockers and decisions.',
    )
    const es = readCalendar(planToCalendar(plan, { boardId: BOARD, now: NOW, locale: 'es' }))
    expect(es.events.find((event) => event.uid === checkInUid(BOARD, 'c60'))?.summary).toBe(
      'Reunión de seguimiento',
    )
  })

  it('keeps a check-in’s UID when it moves, and lists check-ins in filtered feeds too', () => {
    const moved = {
      ...plan,
      checkIns: checkIns.map((c) => (c.id === 'c60' ? { ...c, date: '2026-08-01' } : c)),
    }
    const event = readCalendar(planToCalendar(moved, { boardId: BOARD, now: NOW })).events.find(
      (e) => e.uid === checkInUid(BOARD, 'c60'),
    )
    expect(event?.start).toBe('2026-08-01')
    const mine = readCalendar(
      planToCalendar(plan, { boardId: BOARD, now: NOW, person: 'Nobody at all' }),
    )
    expect(mine.events.map((e) => e.uid)).toEqual([
      checkInUid(BOARD, 'c30'),
      checkInUid(BOARD, 'c60'),
    ])
  })
})

describe('writeCalendar: the text format', () => {
  const event = (over: Partial<CalendarEvent>): CalendarEvent => ({
    uid: 'uid-1@test',
    date: '2026-12-31',
    summary: 'x',
    ...over,
  })
  const write = (events: CalendarEvent[], name = 'Cal') => writeCalendar({ name, events, now: NOW })

  it('escapes backslash, semicolon, comma and line breaks, and drops control characters', () => {
    const summary = 'Budget; costs, \\ reserve\r\nnext line\rand\nmore\u0007 bell\ttab'
    const text = write([event({ summary, description: 'a,b;c\\d' })], 'Name, with; marks\\')
    const lines = physicalLines(text)
    expect(lines).toContain(
      'SUMMARY:Budget\\; costs\\, \\\\ reserve\\nnext line\\nand\\nmore bell\ttab',
    )
    const calendar = readCalendar(text)
    expect(calendar.name).toBe('Name, with; marks\\')
    expect(calendar.events[0]?.summary).toBe(
      'Budget; costs, \\ reserve\nnext line\nand\nmore bell\ttab',
    )
    expect(calendar.events[0]?.description).toBe('a,b;c\\d')
  })

  it('folds long lines at 75 octets, between code points, and unfolds to the same text', () => {
    const long = 'Reach every family in the district before the school year starts. '.repeat(12)
    const accents = 'Ñandú, acción y corazón: árbol ünico «Fundación» '.repeat(10)
    const wide = '💜🏠👩🏽‍🌾 保障住房 מרכז קהילתי '.repeat(12)
    const text = write([
      event({ uid: 'a', summary: long, description: accents }),
      event({ uid: 'b', summary: wide, description: `${wide}\n${accents}` }),
    ])
    const lines = physicalLines(text)
    for (const line of lines) expect(utf8Length(line)).toBeLessThanOrEqual(MAX_LINE_OCTETS)
    // Folds happened, and they use the full width where they can.
    expect(lines.filter((line) => line.startsWith(' ')).length).toBeGreaterThan(20)
    expect(Math.max(...lines.map(utf8Length))).toBeGreaterThanOrEqual(MAX_LINE_OCTETS - 3)
    // Every line is whole UTF-8: no code point was cut.
    const bytes = new TextEncoder().encode(text)
    expect(new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toBe(text)
    const [first, second] = readCalendar(text).events
    expect(first?.summary).toBe(long)
    expect(first?.description).toBe(accents)
    expect(second?.summary).toBe(wide)
    expect(second?.description).toBe(`${wide}\n${accents}`)
  })

  /** Any text, and text made mostly of what escaping and folding have to get right. */
  const texts = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({
      unit: fc.constantFrom(
        '\\',
        ';',
        ',',
        ':',
        '\n',
        '\r',
        'n',
        'N',
        ' ',
        'a',
        'ñ',
        '保',
        '💜',
        '\t',
      ),
      maxLength: 400,
    }),
  )
  const wellFormed = (text: string) =>
    new TextDecoder().decode(new TextEncoder().encode(text)) === text

  it('any text survives escaping and folding, as a parser reads it back', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const written = write([event({ summary: text, description: text })])
        for (const line of physicalLines(written)) {
          expect(utf8Length(line)).toBeLessThanOrEqual(MAX_LINE_OCTETS)
          // No fold cuts a surrogate pair (a whole input stays whole line by line).
          if (wellFormed(text)) expect(wellFormed(line)).toBe(true)
        }
        const calendar = readCalendar(written)
        const expected = text
          .replace(/\r\n|[\r\n\u2028\u2029]/g, '\n')
          .replace(/[^\P{Cc}\t\n]/gu, '')
        // An empty description is left out (the parser then reads null).
        expect(calendar.events[0]?.description ?? '').toBe(expected)
        expect(calendar.events[0]?.summary).toBe(expected)
      }),
      { numRuns: 300 },
    )
  })

  it('all-day dates: DTSTART and an exclusive DTEND as DATE values, across month and year ends', () => {
    const dates = ['2026-12-31', '2028-02-28', '2027-02-28', '2026-01-31']
    const text = write(dates.map((date, i) => event({ uid: `d${i}`, date })))
    const lines = physicalLines(text)
    expect(lines).toContain('DTSTART;VALUE=DATE:20261231')
    expect(lines).toContain('DTEND;VALUE=DATE:20270101')
    expect(readCalendar(text).events.map((e) => [e.start, e.end, e.startIsDate])).toEqual([
      ['2026-12-31', '2027-01-01', true],
      ['2028-02-28', '2028-02-29', true],
      ['2027-02-28', '2027-03-01', true],
      ['2026-01-31', '2026-02-01', true],
    ])
  })
})
