/**
 * A big board in Chromium (issue 8, workload 6): 2,000 notes written by a Node client, then
 * - time to interactive: from navigation to the board's "interactive" mark, fresh context, with
 *   its steps (the client's marks: first sync done, store loaded, editor mounted) and the CPU
 *   time all of Chromium's processes spent until the board was drawn (steadier than wall-clock
 *   time on a shared machine);
 * - panning: the camera moved every animation frame for 3 s with all notes in view (zoomed to
 *   fit, where a note is a block of its colour), once the notes it brought into view are drawn;
 *   frame times (requestAnimationFrame deltas) p50/p95/p99, dropped frames (over 1.5 × 16.7 ms)
 *   and Chromium's CPU time per second of panning.
 */
import { note } from '@common-ground/shared/fixtures'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../e2e/browser.ts'
import { createBoard } from '../support/boards.ts'
import type { RunningServer } from '../support/server.ts'
import { connectClient, heldByAnotherClient } from '../support/yclient.ts'
import { personOnBoard } from './browserLiveBoard.ts'
import './pageHandle.ts'
import { type Measurement, median, percentile } from './report.ts'

const MARK = 'common-ground:board-interactive'
/** The client's marks on the way (client/src/board/automationHandle.ts), in order. */
const STEPS = [
  ['common-ground:board-synced', 'navigation → first sync done'],
  ['common-ground:board-loaded', 'first sync → store loaded'],
  [MARK, 'store loaded → interactive (editor mounted)'],
] as const

/** CPU seconds all of this Chromium's processes have used so far. */
async function chromiumCpuSeconds(browser: Browser): Promise<number> {
  const session = await browser.newBrowserCDPSession()
  try {
    const { processInfo } = (await session.send('SystemInfo.getProcessInfo')) as unknown as {
      processInfo: Array<{ cpuTime: number }>
    }
    return processInfo.reduce((sum, process) => sum + process.cpuTime, 0)
  } finally {
    await session.detach()
  }
}

export async function writeNotes(
  server: RunningServer,
  boardId: string,
  count: number,
): Promise<void> {
  const writer = connectClient(server.wsUrl, boardId)
  try {
    await writer.whenSynced()
    const columns = Math.ceil(Math.sqrt(count))
    for (let start = 0; start < count; start += 100) {
      writer.doc.transact(() => {
        for (let i = start; i < Math.min(count, start + 100); i++) {
          const id = `big${i}`
          writer.board.records.set(
            `shape:${id}`,
            note(id, `Idea ${i}`, { x: (i % columns) * 230, y: Math.floor(i / columns) * 230 }),
          )
        }
      })
    }
    // Everything is durable once a second client holds the last note.
    await heldByAnotherClient(server.wsUrl, boardId, `shape:big${count - 1}`)
  } finally {
    writer.destroy()
  }
}

interface PanEditor {
  zoomToFit(options?: object): void
  getCamera(): { x: number; y: number; z: number }
  setCamera(camera: { x: number; y: number; z: number }): void
}

/**
 * Frame times while the camera glides across the board, all notes on screen. `settled` runs
 * once the notes zooming to fit brought into view are drawn, just before the panning.
 */
export async function panFrames(
  page: Page,
  seconds: number,
  settled: () => Promise<void> = async () => {},
): Promise<number[]> {
  await page.evaluate(async () => {
    ;(window.commonGround.editor as unknown as PanEditor).zoomToFit({ immediate: true })
    // Steady panning is what is measured: the notes brought into view are drawn first (up to 5 s).
    await new Promise<void>((resolve) => {
      const began = performance.now()
      let last = began
      let calm = 0
      const settle = (now: number) => {
        calm = now - last < 50 ? calm + 1 : 0
        last = now
        if (calm >= 10 || now - began > 5_000) resolve()
        else requestAnimationFrame(settle)
      }
      requestAnimationFrame(settle)
    })
  })
  await settled()
  return page.evaluate(async (durationMs) => {
    const editor = window.commonGround.editor as unknown as PanEditor
    const start = editor.getCamera()
    const frames: number[] = []
    // For profiles of the panning (a trace's window).
    performance.mark('big-board:pan-start')
    await new Promise<void>((resolve) => {
      let last = performance.now()
      const began = last
      const step = (now: number) => {
        frames.push(now - last)
        last = now
        const t = (now - began) / durationMs
        editor.setCamera({ x: start.x + Math.sin(t * Math.PI * 2) * 400, y: start.y, z: start.z })
        if (now - began < durationMs) requestAnimationFrame(step)
        else resolve()
      }
      requestAnimationFrame(step)
    })
    performance.mark('big-board:pan-end')
    return frames.slice(1)
  }, seconds * 1000)
}

export async function bigBoardBench(server: RunningServer, quick: boolean): Promise<Measurement[]> {
  const shapes = 2000
  const { id, url } = await createBoard(server, { title: 'Big board' })
  await writeNotes(server, id, shapes)
  const browser = await launchChromium()
  try {
    const loads: number[] = []
    const steps: number[][] = STEPS.map(() => [])
    const loadCpu: number[] = []
    let frames: number[] = []
    let panCpuPerSecond = Number.NaN
    for (let i = 0; i < (quick ? 2 : 4); i++) {
      const cpuBefore = await chromiumCpuSeconds(browser)
      const { context, page } = await personOnBoard(browser, url, `Big ${i}`)
      await page.waitForFunction(
        (count) => window.commonGround.editor.getCurrentPageShapes().length >= count,
        shapes,
        { timeout: 60_000 },
      )
      // Until the board has been drawn once (two frames after the editor's first).
      await page.evaluate(
        () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
      )
      loadCpu.push(((await chromiumCpuSeconds(browser)) - cpuBefore) * 1000)
      const marks = await page.evaluate(
        (names) => names.map((name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN),
        STEPS.map(([name]) => name),
      )
      loads.push(marks.at(-1) ?? Number.NaN)
      for (const [step, at] of marks.entries()) {
        steps[step]?.push(at - (step === 0 ? 0 : (marks[step - 1] ?? 0)))
      }
      if (i === 0) {
        let cpuBeforePan = Number.NaN
        frames = await panFrames(page, quick ? 2 : 3, async () => {
          cpuBeforePan = await chromiumCpuSeconds(browser)
        })
        const panned = frames.reduce((sum, ms) => sum + ms, 0) / 1000
        panCpuPerSecond = ((await chromiumCpuSeconds(browser)) - cpuBeforePan) / panned
      }
      await context.close()
    }
    const dropped = frames.filter((ms) => ms > 25).length
    return [
      {
        suite: 'big board',
        metric: 'time to interactive',
        value: median(loads),
        unit: 'ms',
        note: `${shapes} notes; median of ${loads.length}, fresh contexts`,
      },
      ...STEPS.map(([, label], step) => ({
        suite: 'big board',
        metric: `  ${label}`,
        value: median(steps[step] ?? []),
        unit: 'ms',
      })),
      {
        suite: 'big board',
        metric: 'Chromium CPU, navigation → board drawn',
        value: median(loadCpu),
        unit: 'ms',
        note: 'all its processes; median',
      },
      {
        suite: 'big board',
        metric: 'pan frame time p50',
        value: percentile(frames, 50),
        unit: 'ms',
      },
      {
        suite: 'big board',
        metric: 'pan frame time p95',
        value: percentile(frames, 95),
        unit: 'ms',
      },
      {
        suite: 'big board',
        metric: 'pan frame time p99',
        value: percentile(frames, 99),
        unit: 'ms',
      },
      {
        suite: 'big board',
        metric: 'pan frames over 25 ms',
        value: dropped,
        unit: 'frames',
        note: `of ${frames.length}, all notes in view`,
      },
      {
        suite: 'big board',
        metric: 'Chromium CPU per second of panning',
        value: panCpuPerSecond * 1000,
        unit: 'ms',
        note: 'all its processes',
      },
    ]
  } finally {
    await browser.close()
  }
}
