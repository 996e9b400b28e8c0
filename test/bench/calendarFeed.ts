/**
 * The calendar feed of a large plan: 15 organizations, 40 issues, 300 steps each with a due date
 * (the export benchmark's plan, hostile text included, so escaping and folding are exercised).
 * Measured two ways:
 * - in process: `planToCalendar` alone on a derived plan (whole, filtered by one organization,
 *   and with the most check-ins a board keeps, each held with its record), and the whole server path (restore the doc from its stored update, derive,
 *   write the calendar);
 * - over HTTP against the real server: `GET calendar.ics?token=<calendar key>` of an imported
 *   board (median of several requests).
 * The feed is read back once with ical.js, so the note says how many events a calendar app sees.
 * Run alone: `pnpm --filter @common-ground/test exec node bench/calendarFeed.ts [--quick]`.
 */
import { fileURLToPath } from 'node:url'
import { planToCalendar } from '@common-ground/shared/export'
import { sampleRetreatBoard } from '@common-ground/shared/fixtures'
import {
  addDays,
  derivePlan,
  MAX_CHECK_INS,
  type PartnershipPlan,
} from '@common-ground/shared/plan'
import * as Y from 'yjs'
import { readCalendar } from '../support/ical.ts'
import { withServer } from '../support/server.ts'
import { LARGE_PLAN, type Measurement, median, printTable, timeRuns } from './report.ts'

const BOARD_ID = 'bench-calendar-board'

export async function calendarFeedBench(quick = false): Promise<Measurement[]> {
  const runs = quick ? 10 : 40
  const doc = sampleRetreatBoard(LARGE_PLAN)
  const stored = Y.encodeStateAsUpdate(doc)
  const plan = derivePlan(doc)
  const steps = plan.actionPlan.reduce((sum, item) => sum + item.steps.length, 0)
  const write = (filter: { organization?: string } = {}) =>
    planToCalendar(plan, { boardId: BOARD_ID, ...filter })
  const whole = write()
  const events = readCalendar(whole).events.length
  const organization = plan.organizations[0]?.id
  // A check-in a week for a year (more than a board may keep is refused), each held.
  const withCheckIns: PartnershipPlan = {
    ...plan,
    checkIns: Array.from({ length: MAX_CHECK_INS }, (_, i) => ({
      id: `c${String(i).padStart(2, '0')}`,
      title: `Check-in ${i + 1}`,
      date: addDays('2026-06-01', i * 7),
      startedAt: Date.UTC(2026, 5, 1) + i * 7 * 86_400_000,
      finishedAt: Date.UTC(2026, 5, 1) + i * 7 * 86_400_000 + 3_600_000,
      attended: Array.from({ length: 12 }, (_, j) => `Partner ${j}`),
      blockers: '',
      decisions: '',
    })),
  }
  const rows: Measurement[] = [
    {
      suite: 'calendar',
      metric: 'calendar.ics: write only (median)',
      value: median(timeRuns(runs, () => write())),
      unit: 'ms',
      note: `${steps} steps, ${events} events (ical.js); ${Math.round(Buffer.byteLength(whole) / 1024)} KiB`,
    },
    {
      suite: 'calendar',
      metric: 'calendar.ics: one organization, write only (median)',
      value: median(timeRuns(runs, () => write({ organization }))),
      unit: 'ms',
      note: `${readCalendar(write({ organization })).events.length} events`,
    },
    {
      suite: 'calendar',
      metric: `calendar.ics: with ${MAX_CHECK_INS} check-ins, write only (median)`,
      value: median(
        timeRuns(runs, () =>
          planToCalendar(withCheckIns, { boardId: BOARD_ID, locale: 'es', now: 0 }),
        ),
      ),
      unit: 'ms',
      note: `${readCalendar(planToCalendar(withCheckIns, { boardId: BOARD_ID })).events.length} events`,
    },
    {
      suite: 'calendar',
      metric: 'calendar.ics: restore + derive + write (median)',
      value: median(
        timeRuns(runs, () => {
          const copy = new Y.Doc()
          Y.applyUpdate(copy, stored)
          planToCalendar(derivePlan(copy), { boardId: BOARD_ID })
          copy.destroy()
        }),
      ),
      unit: 'ms',
    },
  ]
  return rows.concat(await httpRows(plan, quick))
}

async function httpRows(plan: PartnershipPlan, quick: boolean): Promise<Measurement[]> {
  return withServer(async (server) => {
    const created = await fetch(`${server.url}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ plan }),
    })
    if (created.status !== 201) throw new Error(`import answered ${created.status}`)
    const { id, tokens } = (await created.json()) as { id: string; tokens: { calendar: string } }
    const url = `${server.url}/api/boards/${id}/calendar.ics?token=${tokens.calendar}`
    const samples: number[] = []
    let bytes = 0
    for (let i = 0; i < (quick ? 5 : 20); i++) {
      const t0 = performance.now()
      const response = await fetch(url)
      bytes = (await response.arrayBuffer()).byteLength
      if (response.status !== 200) throw new Error(`calendar.ics answered ${response.status}`)
      samples.push(performance.now() - t0)
    }
    return [
      {
        suite: 'calendar',
        metric: 'HTTP GET calendar.ics, calendar key (median)',
        value: median(samples),
        unit: 'ms',
        note: `${Math.round(bytes / 1024)} KiB`,
      },
    ]
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable(await calendarFeedBench(process.argv.includes('--quick')))
}
