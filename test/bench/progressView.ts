/**
 * The Progress view of a big plan on a phone (issue 19, progress): the export benchmark's plan
 * (15 organizations, 40 issues, 300 dated steps, hostile text) with a history on every third
 * step, imported into a board, then opened at `/b/<id>/progress` with the participant link in a
 * fresh phone-sized context (390×844, touch), service workers blocked so every run is a first
 * visit that fetches and syncs everything:
 * - time to interactive: from navigation to the view's "interactive" mark (the synced plan's
 *   first screen drawn and answering: the first steps, overdue first, each with its form button),
 *   median of fresh contexts;
 * - all steps drawn: to the "complete" mark (the other steps and "our commitments" follow in a
 *   transition that any tap interrupts);
 * - a tap answered: from a tap on the first step's "Post an update" to its form on screen;
 * - both again with the CPU slowed 4× (Chromium's throttling), closer to a mid-range phone;
 * - live: from an owner's update posted by a Node client to the phone's card showing it (the
 *   plan is re-derived at most every 250 ms, and only the cards that changed are redrawn);
 * - the JavaScript the page fetched (and that none of it is the board's tldraw chunk);
 * - the same plan carries 20 indicators × 24 values (issue 19, indicators over time), drawn as
 *   charts and tables with the steps (the "complete" mark waits for every indicator's card too);
 * - the calendar feed of the same plan: written in process (median), restored, derived and
 *   written as the server does, and `GET calendar.ics` over HTTP.
 * Run alone: `node bench/progressView.ts [--quick]` from `test/` (needs `pnpm build`).
 */
import { fileURLToPath } from 'node:url'
import { newParticipantSecret } from '@common-ground/shared/board'
import { planToCalendar } from '@common-ground/shared/export'
import { sampleRetreatBoard } from '@common-ground/shared/fixtures'
import { derivePlan, type PartnershipPlan, postStepUpdate } from '@common-ground/shared/plan'
import type { Browser } from 'playwright-core'
import * as Y from 'yjs'
import { PHONE } from '../e2e/boardSteps.ts'
import { launchChromium } from '../e2e/browser.ts'
import { type RunningServer, withServer } from '../support/server.ts'
import { connectClient } from '../support/yclient.ts'
import { type Measurement, median, printTable, timeRuns } from './report.ts'

export const PROGRESS_PLAN_SIZE = {
  organizations: 15,
  intersections: 8,
  issues: 40,
  steps: 300,
  actionIssues: 40,
  hostile: true,
  updates: 3,
  // 20 indicators (the sample's own and 19 more) × 24 values, with group breakdowns.
  indicators: 19,
  indicatorValues: 24,
}
const MARK = 'common-ground:progress-interactive'
const COMPLETE = 'common-ground:progress-complete'

interface Run {
  interactive: number
  complete: number
  tap: number
  scriptKiB: number
  boardChunk: boolean
}

async function openOnce(
  browser: Browser,
  url: string,
  steps: number,
  indicators: number,
  cpuSlowdown: number,
): Promise<Run> {
  const context = await browser.newContext({ ...PHONE, serviceWorkers: 'block' })
  try {
    await context.addInitScript(() =>
      localStorage.setItem(
        'common-ground.identity',
        JSON.stringify({ id: 'id-bench', name: 'Ana', color: '#1c7ed6' }),
      ),
    )
    const page = await context.newPage()
    if (cpuSlowdown > 1) {
      const cdp = await context.newCDPSession(page)
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown })
    }
    await page.goto(url)
    await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, MARK, {
      timeout: 120_000,
      polling: 20,
    })
    // The first tap, as soon as the first screen is up (the rest may still be drawing).
    const tap = await page.evaluate(async () => {
      const button = document.querySelector<HTMLButtonElement>('.cg-progress-update-open')
      if (!button) return Number.NaN
      const card = button.closest('li')
      const start = performance.now()
      button.click()
      for (;;) {
        if (card?.querySelector('form select')) return performance.now() - start
        await new Promise((resolve) => requestAnimationFrame(resolve))
      }
    })
    await page.waitForFunction(
      ([mark, count, indicators]) =>
        performance.getEntriesByName(mark as string).length > 0 &&
        document.querySelectorAll('[data-testid="progress-steps"] > li').length === count &&
        document.querySelectorAll('[data-indicator-id]').length === indicators,
      [COMPLETE, steps, indicators] as const,
      { timeout: 120_000, polling: 50 },
    )
    const [interactive, complete] = await page.evaluate(
      (marks) =>
        marks.map((mark) => performance.getEntriesByName(mark)[0]?.startTime ?? Number.NaN),
      [MARK, COMPLETE],
    )
    const scripts = await page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((entry) => entry.name.endsWith('.js'))
        .map((entry) => ({ name: entry.name, bytes: entry.encodedBodySize })),
    )
    return {
      interactive: interactive ?? Number.NaN,
      complete: complete ?? Number.NaN,
      tap,
      scriptKiB: scripts.reduce((sum, script) => sum + script.bytes, 0) / 1024,
      boardChunk: scripts.some((script) => /BoardPage/.test(script.name)),
    }
  } finally {
    await context.close()
  }
}

/** Milliseconds from updates posted by a Node client to the phone's card showing each. */
async function liveUpdates(
  browser: Browser,
  server: RunningServer,
  board: { id: string; url: string; editToken: string },
  plan: PartnershipPlan,
  count: number,
): Promise<number[]> {
  const context = await browser.newContext({ ...PHONE, serviceWorkers: 'block' })
  const owner = connectClient(server.wsUrl, board.id, {
    params: { token: board.editToken, participant: newParticipantSecret() },
  })
  try {
    const page = await context.newPage()
    await page.goto(board.url)
    await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, COMPLETE, {
      timeout: 120_000,
    })
    await owner.whenSynced()
    const steps = plan.actionPlan.flatMap((item) => item.steps.map((step) => ({ item, step })))
    const samples: number[] = []
    for (let i = 0; i < count; i++) {
      const { item, step } = steps[(i * 37) % steps.length] as (typeof steps)[number]
      const status = step.status === 'blocked' ? 'in-progress' : 'blocked'
      const shown = page.waitForFunction(
        ([id, value]) =>
          document
            .querySelector(`li[data-step-id="${id}"] [data-testid="step-status"]`)
            ?.getAttribute('data-status') === value,
        [step.id, status] as const,
        { polling: 'raf', timeout: 30_000 },
      )
      const start = Date.now()
      postStepUpdate(owner.doc, item.issue, step.id, {
        status,
        note: `Live ${i}`,
        by: 'Ana',
        at: Date.now(),
      })
      await shown
      samples.push(Date.now() - start)
      step.status = status
    }
    return samples
  } finally {
    owner.destroy()
    await context.close()
  }
}

export async function progressViewBench(
  server: RunningServer,
  quick: boolean,
): Promise<Measurement[]> {
  const doc = sampleRetreatBoard(PROGRESS_PLAN_SIZE)
  const plan = derivePlan(doc)
  const steps = plan.actionPlan.reduce((sum, item) => sum + item.steps.length, 0)
  const indicators = plan.evaluation.indicators.length
  const values = plan.evaluation.indicators.reduce((sum, i) => sum + i.values.length, 0)
  const updates = plan.actionPlan.reduce(
    (sum, item) => sum + item.steps.reduce((n, step) => n + step.history.length, 0),
    0,
  )
  const created = await fetch(`${server.url}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ plan }),
  })
  if (created.status !== 201) throw new Error(`import answered ${created.status}`)
  const { id, links, tokens } = (await created.json()) as {
    id: string
    links: { edit: string; calendar: string }
    tokens: { edit: string; calendar: string }
  }
  const url = links.edit.replace(`/b/${id}`, `/b/${id}/progress`)
  const browser = await launchChromium()
  try {
    const runs = quick ? 2 : 5
    const rows: Measurement[] = []
    for (const slowdown of [1, 4]) {
      const results: Run[] = []
      // One run to warm the server's copy of the board (and the disk cache) is not counted.
      await openOnce(browser, url, steps, indicators, 1)
      for (let i = 0; i < runs; i++)
        results.push(await openOnce(browser, url, steps, indicators, slowdown))
      const cpu = slowdown === 1 ? '' : `, CPU ${slowdown}× slower`
      rows.push(
        {
          suite: 'progress view',
          metric: `time to interactive, phone${cpu}`,
          value: median(results.map((run) => run.interactive)),
          unit: 'ms',
          note: `${steps} steps, ${updates} updates, ${indicators} indicators × ${values / indicators} values; median of ${runs} fresh contexts`,
        },
        {
          suite: 'progress view',
          metric: `all steps and indicators drawn, phone${cpu}`,
          value: median(results.map((run) => run.complete)),
          unit: 'ms',
        },
        {
          suite: 'progress view',
          metric: `tap to update form, phone${cpu}`,
          value: median(results.map((run) => run.tap)),
          unit: 'ms',
        },
      )
      if (slowdown === 1) {
        const run = results[0] as Run
        rows.push({
          suite: 'progress view',
          metric: 'JavaScript fetched',
          value: Math.round(run.scriptKiB),
          unit: 'KiB',
          note: run.boardChunk ? 'includes the board chunk (tldraw)!' : 'no tldraw (board chunk)',
        })
      }
    }
    const live = await liveUpdates(
      browser,
      server,
      { id, url, editToken: tokens.edit },
      plan,
      quick ? 5 : 20,
    )
    rows.push({
      suite: 'progress view',
      metric: 'an owner’s update on the phone (median)',
      value: median(live),
      unit: 'ms',
      note: `from a Node client's post to the card; ${live.length} updates, 250 ms throttle`,
    })
    rows.push(
      ...(await calendarOfSamePlan(
        doc,
        `${server.url}/api/boards/${id}/calendar.ics?token=${tokens.calendar}`,
        quick,
      )),
    )
    return rows
  } finally {
    await browser.close()
  }
}

/** The calendar feed of the Progress view's plan: in process, as the server makes it, over HTTP. */
async function calendarOfSamePlan(
  doc: Y.Doc,
  feed: string,
  quick: boolean,
): Promise<Measurement[]> {
  const runs = quick ? 10 : 40
  const plan = derivePlan(doc)
  const stored = Y.encodeStateAsUpdate(doc)
  const text = planToCalendar(plan, { boardId: 'bench-progress' })
  const http: number[] = []
  for (let i = 0; i < (quick ? 5 : 20); i++) {
    const start = performance.now()
    const response = await fetch(feed)
    await response.text()
    if (response.status !== 200) throw new Error(`calendar.ics answered ${response.status}`)
    http.push(performance.now() - start)
  }
  return [
    {
      suite: 'progress view',
      metric: 'calendar feed of this plan: write only (median)',
      value: median(timeRuns(runs, () => planToCalendar(plan, { boardId: 'bench-progress' }))),
      unit: 'ms',
      note: `${Math.round(Buffer.byteLength(text) / 1024)} KiB`,
    },
    {
      suite: 'progress view',
      metric: 'calendar feed of this plan: restore + derive + write (median)',
      value: median(
        timeRuns(runs, () => {
          const copy = new Y.Doc()
          Y.applyUpdate(copy, stored)
          planToCalendar(derivePlan(copy), { boardId: 'bench-progress' })
          copy.destroy()
        }),
      ),
      unit: 'ms',
    },
    {
      suite: 'progress view',
      metric: 'calendar feed of this plan: GET calendar.ics (median)',
      value: median(http),
      unit: 'ms',
      note: `${http.length} requests with the calendar key`,
    },
  ]
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable(
    await withServer((server) => progressViewBench(server, process.argv.includes('--quick'))),
  )
}
