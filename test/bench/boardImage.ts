/**
 * The whole board as a PNG (issue 15), in Chromium: the retreat template with 150 notes spread
 * over its stages (written by a Node client), exported from the plan panel's Export menu as a
 * person does it. Per export: the time from the click to the download, its bytes, and its pixel
 * size (read from the PNG's header). `node bench/boardImage.ts [--quick]` from `test/` runs it
 * alone (the built client must be in client/dist).
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { note } from '@common-ground/shared/fixtures'
import { RETREAT_TEMPLATE, stageFrameId } from '@common-ground/shared/plan'
import type { Page } from 'playwright-core'
import { launchChromium } from '../e2e/browser.ts'
import { createBoard } from '../support/boards.ts'
import { type RunningServer, withServer } from '../support/server.ts'
import { connectClient, heldByAnotherClient } from '../support/yclient.ts'
import './pageHandle.ts'
import { type Measurement, median, printTable } from './report.ts'

export const IMAGE_NOTES = 150

const IDEAS = [
  'Evening childcare near the bus line',
  'Shared intake form for families',
  'One phone number for housing help',
  'Youth jobs in the summer months',
  'Translate the tenant guide into Spanish',
  'Monthly meeting of all partners',
]

/** `count` notes in the retreat template's stages, in rows below each stage's prompt. */
export async function writeStageNotes(
  server: RunningServer,
  boardId: string,
  count: number,
): Promise<void> {
  const writer = connectClient(server.wsUrl, boardId)
  try {
    await writer.whenSynced()
    const stages = RETREAT_TEMPLATE.stages
    writer.doc.transact(() => {
      for (let i = 0; i < count; i++) {
        const stage = stages[i % stages.length] as (typeof stages)[number]
        const slot = Math.floor(i / stages.length)
        const columns = Math.floor((stage.w - 80) / 220)
        const id = `image${i}`
        writer.board.records.set(
          `shape:${id}`,
          note(id, `${IDEAS[i % IDEAS.length]} (${i + 1})`, {
            parentId: stageFrameId(stage.id),
            x: 40 + (slot % columns) * 220,
            y: 200 + Math.floor(slot / columns) * 220,
            index: `b${String(slot).padStart(2, '0')}`,
          }),
        )
      }
    })
    await heldByAnotherClient(server.wsUrl, boardId, `shape:image${count - 1}`)
  } finally {
    writer.destroy()
  }
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG')
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) }
}

/** One export through the Export menu: ms from the click to the download, and the file. */
export async function exportBoardPng(page: Page): Promise<{ ms: number; png: Buffer }> {
  const panel = page.getByRole('complementary', { name: 'Partnership plan' })
  if (!(await panel.isVisible())) {
    await page.getByRole('button', { name: 'Plan', exact: true }).click()
    await panel.waitFor()
  }
  await panel.getByRole('button', { name: 'Export' }).click()
  const item = panel.getByRole('button', { name: 'Board as an image (PNG)' })
  await item.waitFor()
  const started = performance.now()
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 120_000 }),
    item.click(),
  ])
  const ms = performance.now() - started
  const path = await download.path()
  if (!path) throw new Error('the PNG download has no file')
  return { ms, png: readFileSync(path) }
}

export async function boardImageBench(
  server: RunningServer,
  quick: boolean,
): Promise<Measurement[]> {
  const { id, url } = await createBoard(server, { title: 'Image board', template: 'retreat' })
  await writeStageNotes(server, id, IMAGE_NOTES)
  const browser = await launchChromium()
  try {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
    })
    await context.addInitScript(
      (identity) => localStorage.setItem('common-ground.identity', JSON.stringify(identity)),
      { id: 'bench-image', name: 'Image', color: '#1c7ed6' },
    )
    const page = await context.newPage()
    await page.goto(url)
    await page.waitForFunction(() => window.commonGround?.connection.status.get() === 'live')
    await page.waitForFunction(
      (count) => window.commonGround.editor.getCurrentPageShapes().length >= count,
      IMAGE_NOTES,
    )
    const times: number[] = []
    let last: Buffer | null = null
    for (let i = 0; i < (quick ? 2 : 4); i++) {
      const { ms, png } = await exportBoardPng(page)
      times.push(ms)
      last = png
    }
    await context.close()
    if (!last) throw new Error('no export')
    const { width, height } = pngSize(last)
    const note = `retreat template + ${IMAGE_NOTES} notes, 1280×800 page`
    return [
      {
        suite: 'board image',
        metric: 'PNG click to download',
        value: median(times),
        unit: 'ms',
        note: `median of ${times.length} (${times.map((t) => t.toFixed(0)).join(', ')})`,
      },
      { suite: 'board image', metric: 'PNG size', value: last.byteLength, unit: 'bytes', note },
      { suite: 'board image', metric: 'PNG width', value: width, unit: 'px' },
      { suite: 'board image', metric: 'PNG height', value: height, unit: 'px' },
    ]
  } finally {
    await browser.close()
  }
}

// Alone: `node bench/boardImage.ts [--quick]`.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable(
    await withServer((server) => boardImageBench(server, process.argv.includes('--quick'))),
  )
}
