/**
 * Running the room, in real Chromium pages against a real server process:
 * - follow delay: the leader's camera moves (page A), the follower's camera (page B, following
 *   through tldraw's follow API) starts moving and settles on the same view;
 * - timer skew: two pages show one running countdown while one page's system clock is 5 minutes
 *   ahead (Date faked by an init script); when each shown second flips, on the real clock.
 * Both pages of a pair run in one browser on one machine, so `performance.timeOrigin +
 * performance.now()` is one clock for both (and the faked Date does not touch it). Runs alone
 * with `node bench/room.ts [--quick]` (from test/), or as part of `pnpm bench` (`--skip-room`).
 */
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../e2e/browser.ts'
import { createBoard } from '../support/boards.ts'
import { type RunningServer, withServer } from '../support/server.ts'
import { type Measurement, median, percentile, printTable } from './report.ts'
import './pageHandle.ts'

const CLOCK_SHIFT_MS = 5 * 60_000
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function open(browser: Browser, url: string, name: string, shiftMs = 0): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  await context.addInitScript(
    ({ identity, shift }) => {
      localStorage.setItem('common-ground.identity', JSON.stringify(identity))
      if (shift === 0) return
      // A device whose clock is wrong: Date (now and new Date()) runs `shift` ms ahead.
      const RealDate = Date
      class ShiftedDate extends RealDate {
        constructor(...args: unknown[]) {
          if (args.length === 0) super(RealDate.now() + shift)
          else super(...(args as [number]))
        }
        static override now() {
          return RealDate.now() + shift
        }
      }
      globalThis.Date = ShiftedDate as DateConstructor
    },
    { identity: { id: `bench-room-${name}`, name, color: '#1c7ed6' }, shift: shiftMs },
  )
  const page = await context.newPage()
  await page.goto(url)
  await page.waitForFunction(() => window.commonGround?.connection.status.get() === 'live', null, {
    timeout: 30_000,
  })
  return page
}

type Box = { x: number; y: number; w: number; h: number }
interface CameraEditor {
  getViewportPageBounds(): Box
  setCamera(camera: { x: number; y: number; z: number }): void
}

/** Leader moves `moves` times; per move, ms until the follower starts moving and until it settles. */
async function followDelay(leader: Page, follower: Page, moves: number) {
  await follower.getByTestId('follow').click()
  await follower.getByRole('button', { name: 'Follow the facilitator' }).click()
  await follower.waitForFunction(
    () =>
      (
        window.commonGround.editor as unknown as {
          getInstanceState(): { followingUserId: string | null }
        }
      ).getInstanceState().followingUserId !== null,
  )
  // The follower watches its own viewport every frame against the target it is told about.
  await follower.evaluate(() => {
    const w = window as unknown as {
      followWatch: {
        target: { x: number; y: number } | null
        from: { x: number; y: number } | null
        started: number
        settled: number
      }
    }
    w.followWatch = { target: null, from: null, started: 0, settled: 0 }
    const editor = window.commonGround.editor as unknown as CameraEditor
    const loop = () => {
      const watch = w.followWatch
      if (watch.target) {
        const view = editor.getViewportPageBounds()
        const c = { x: view.x + view.w / 2, y: view.y + view.h / 2 }
        const now = performance.timeOrigin + performance.now()
        if (!watch.from) watch.from = c
        if (!watch.started && Math.hypot(c.x - watch.from.x, c.y - watch.from.y) > 0.5)
          watch.started = now
        if (!watch.settled && Math.hypot(c.x - watch.target.x, c.y - watch.target.y) < 1)
          watch.settled = now
      }
      requestAnimationFrame(loop)
    }
    requestAnimationFrame(loop)
  })
  const started: number[] = []
  const settled: number[] = []
  for (let i = 0; i < moves; i++) {
    const camera = { x: -400 * ((i % 7) + 1), y: -250 * ((i % 5) + 1), z: 1 }
    // The viewport centre this camera gives on a 1280×800 screen at zoom 1.
    const target = { x: -camera.x + 640, y: -camera.y + 400 }
    await follower.evaluate((t) => {
      const w = window as unknown as {
        followWatch: { target: unknown; from: unknown; started: number; settled: number }
      }
      w.followWatch = { target: t, from: null, started: 0, settled: 0 }
    }, target)
    await sleep(50)
    const movedAt = await leader.evaluate((c) => {
      const at = performance.timeOrigin + performance.now()
      ;(window.commonGround.editor as unknown as CameraEditor).setCamera(c)
      return at
    }, camera)
    await follower.waitForFunction(
      () => (window as unknown as { followWatch: { settled: number } }).followWatch.settled > 0,
      null,
      { timeout: 10_000 },
    )
    const watch = await follower.evaluate(
      () =>
        (window as unknown as { followWatch: { started: number; settled: number } }).followWatch,
    )
    started.push(watch.started - movedAt)
    settled.push(watch.settled - movedAt)
    await sleep(200)
  }
  return { started, settled }
}

/** Watches the shown countdown; returns when each shown value first appeared (real clock). */
function watchCountdown(page: Page) {
  return page.evaluate(() => {
    const w = window as unknown as { flips: Record<string, number> }
    w.flips = {}
    const note = () => {
      const text = document.querySelector('[data-testid="timer-left"]')?.textContent ?? ''
      if (text && !(text in w.flips)) w.flips[text] = performance.timeOrigin + performance.now()
    }
    new MutationObserver(note).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    })
    note()
  })
}

async function timerSkew(facilitator: Page, shifted: Page, seconds: number) {
  await watchCountdown(facilitator)
  await watchCountdown(shifted)
  await facilitator.getByTestId('room-timer').click()
  await facilitator.getByLabel('Minutes (1–180)').fill('10')
  await facilitator.getByRole('button', { name: 'Start a countdown' }).click()
  await facilitator.keyboard.press('Escape')
  await sleep((seconds + 1) * 1000)
  const flips = (page: Page) =>
    page.evaluate(() => (window as unknown as { flips: Record<string, number> }).flips)
  const [a, b] = [await flips(facilitator), await flips(shifted)]
  const skews: number[] = []
  // The first value each page shows is when it saw the timer, not a flip: skip it.
  const shown = Object.keys(a).filter((text) => text in b && /^\d+:\d\d$/.test(text))
  for (const text of shown.slice(1)) skews.push(Math.abs((a[text] as number) - (b[text] as number)))
  const deviceClocks = await Promise.all(
    [facilitator, shifted].map((page) =>
      page.evaluate(() => Date.now() - (performance.timeOrigin + performance.now())),
    ),
  )
  return { skews, deviceGap: Math.abs((deviceClocks[1] as number) - (deviceClocks[0] as number)) }
}

export async function roomBench(server: RunningServer, quick: boolean): Promise<Measurement[]> {
  const browser = await launchChromium()
  try {
    const { links } = await createBoard(server, { title: 'Room bench', template: 'retreat' })
    const leader = await open(browser, links.facilitate, 'Leader')
    const follower = await open(browser, links.edit, 'Follower')
    const moves = quick ? 10 : 30
    const follow = await followDelay(leader, follower, moves)

    const shifted = await open(browser, links.edit, 'Shifted', CLOCK_SHIFT_MS)
    const seconds = quick ? 6 : 20
    const { skews, deviceGap } = await timerSkew(leader, shifted, seconds)
    return [
      {
        suite: 'follow',
        metric: 'leader move → follower starts, p50',
        value: median(follow.started),
        unit: 'ms',
        note: `${moves} camera moves, presence sent every ≤50 ms`,
      },
      {
        suite: 'follow',
        metric: 'leader move → follower starts, p95',
        value: percentile(follow.started, 95),
        unit: 'ms',
      },
      {
        suite: 'follow',
        metric: 'leader move → follower settled, p50',
        value: median(follow.settled),
        unit: 'ms',
        note: 'within 1 page px of the leader’s view',
      },
      {
        suite: 'follow',
        metric: 'leader move → follower settled, p95',
        value: percentile(follow.settled, 95),
        unit: 'ms',
      },
      {
        suite: 'timer',
        metric: 'skew between pages, p50',
        value: median(skews),
        unit: 'ms',
        note: `device clocks ${Math.round(deviceGap / 1000)} s apart; ${skews.length} second flips`,
      },
      { suite: 'timer', metric: 'skew between pages, max', value: Math.max(...skews), unit: 'ms' },
    ]
  } finally {
    await browser.close()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable(await withServer((server) => roomBench(server, process.argv.includes('--quick'))))
}
