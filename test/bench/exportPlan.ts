/**
 * Exporting a large plan: 15 organizations, 40 issues in the action plan, 300 steps (and the
 * intersections, links and answers around them). Measured two ways:
 * - in process, per format: the formatter alone on a derived plan, and the whole server path
 *   (restore the doc from its stored update, derive, format);
 * - over HTTP against the real server: importing the plan (`POST /api/boards {"plan"}`), then
 *   each `GET plan.{json,md,csv}` (median of several requests).
 * Run alone: `pnpm --filter @common-ground/test exec node bench/exportPlan.ts [--quick]`.
 */
import { fileURLToPath } from 'node:url'
import { planToCsv, planToJson, planToMarkdown } from '@common-ground/shared/export'
import { sampleRetreatBoard } from '@common-ground/shared/fixtures'
import { derivePlan, type PartnershipPlan } from '@common-ground/shared/plan'
import * as Y from 'yjs'
import { withServer } from '../support/server.ts'
import { LARGE_PLAN, type Measurement, median, printTable, timeRuns } from './report.ts'

const FORMATS: Record<string, (plan: PartnershipPlan) => string> = {
  json: planToJson,
  md: (plan) => planToMarkdown(plan, 'en', { date: '2026-01-01' }),
  csv: (plan) => planToCsv(plan),
}

export async function exportPlanBench(quick = false): Promise<Measurement[]> {
  const runs = quick ? 10 : 40
  const doc = sampleRetreatBoard(LARGE_PLAN)
  const stored = Y.encodeStateAsUpdate(doc)
  const plan = derivePlan(doc)
  const steps = plan.actionPlan.reduce((sum, item) => sum + item.steps.length, 0)
  const note = `${plan.organizations.length} orgs, ${plan.actionPlan.length} issues, ${steps} steps`
  const rows: Measurement[] = []
  for (const [format, write] of Object.entries(FORMATS)) {
    const bytes = Buffer.byteLength(write(plan))
    rows.push({
      suite: 'export',
      metric: `${format}: format only (median)`,
      value: median(timeRuns(runs, () => write(plan))),
      unit: 'ms',
      note: `${note}; ${Math.round(bytes / 1024)} KiB`,
    })
    rows.push({
      suite: 'export',
      metric: `${format}: restore + derive + format (median)`,
      value: median(
        timeRuns(runs, () => {
          const copy = new Y.Doc()
          Y.applyUpdate(copy, stored)
          write(derivePlan(copy))
          copy.destroy()
        }),
      ),
      unit: 'ms',
    })
  }

  return rows.concat(await httpRows(plan, quick))
}

async function httpRows(plan: PartnershipPlan, quick: boolean): Promise<Measurement[]> {
  return withServer(async (server) => {
    const rows: Measurement[] = []
    const body = JSON.stringify({ plan })
    const start = performance.now()
    const created = await fetch(`${server.url}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    })
    const importMs = performance.now() - start
    if (created.status !== 201) throw new Error(`import answered ${created.status}`)
    const { id, tokens } = (await created.json()) as {
      id: string
      tokens?: { facilitate: string }
    }
    rows.push({
      suite: 'export',
      metric: 'HTTP import (POST /api/boards {plan})',
      value: importMs,
      unit: 'ms',
      note: `${Math.round(Buffer.byteLength(body) / 1024)} KiB body`,
    })
    const token = tokens ? `?token=${tokens.facilitate}` : ''
    for (const format of ['json', 'md', 'csv']) {
      const url = `${server.url}/api/boards/${id}/plan.${format}${token}`
      const samples: number[] = []
      for (let i = 0; i < (quick ? 5 : 20); i++) {
        const t0 = performance.now()
        const response = await fetch(url)
        await response.arrayBuffer()
        if (response.status !== 200) throw new Error(`plan.${format} answered ${response.status}`)
        samples.push(performance.now() - t0)
      }
      rows.push({
        suite: 'export',
        metric: `HTTP GET plan.${format} (median)`,
        value: median(samples),
        unit: 'ms',
      })
    }
    return rows
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable(await exportPlanBench(process.argv.includes('--quick')))
}
