/**
 * The live board as people feel it, in real Chromium pages against a real server process:
 * - edit latency: a shape changed in page A, seen in page B (both stamp wall-clock time);
 * - drag: a real mouse drag of one note for 5 s, bytes A sends per second, doc growth after;
 * - cold start: from navigation to an interactive board, in a fresh browser context.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium } from '../e2e/browser.ts'
import './pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import type { RunningServer } from '../support/server.ts'
import { type Measurement, median, percentile } from './report.ts'

const MARK = 'common-ground:board-interactive'

/** A new board's facilitate link (the key rides in the fragment, as people share it). */
export async function createBoardLink(server: RunningServer, title: string): Promise<string> {
  return (await createBoard(server, { title })).url
}

export async function personOnBoard(browser: Browser, url: string, name: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  await context.addInitScript(
    (identity) => {
      localStorage.setItem('common-ground.identity', JSON.stringify(identity))
    },
    { id: `bench-${name}`, name, color: '#1c7ed6' },
  )
  const page = await context.newPage()
  await page.goto(url)
  // Generous: a 2,000-note board on a busy machine takes a while, and a timeout measures nothing.
  await page.waitForFunction(() => window.commonGround?.connection.status.get() === 'live', null, {
    timeout: 120_000,
  })
  return { context, page }
}

async function editLatency(a: Page, b: Page, edits: number): Promise<number[]> {
  const shapeId = 'shape:bench-latency'
  await a.evaluate((id) => {
    window.commonGround.editor.createShape({ id, type: 'note', x: 100, y: 100 })
  }, shapeId)
  await b.waitForFunction(
    (id) => Boolean(window.commonGround.editor.getShape(id as never)),
    shapeId,
  )
  await b.evaluate(() => {
    const w = window as unknown as { latencies: number[]; lastSeq: number }
    w.latencies = []
    w.lastSeq = -1
    window.commonGround.editor.store.listen(
      ({ changes }) => {
        const now = performance.timeOrigin + performance.now()
        for (const [, to] of Object.values(changes.updated)) {
          const { sentAt, seq } = to.meta as { sentAt?: number; seq?: number }
          if (typeof sentAt === 'number') w.latencies.push(now - sentAt)
          if (typeof seq === 'number') w.lastSeq = Math.max(w.lastSeq, seq)
        }
      },
      { source: 'remote', scope: 'document' },
    )
  })
  await a.evaluate(
    async ({ id, count }) => {
      const editor = window.commonGround.editor
      for (let i = 0; i < count; i++) {
        editor.updateShape({
          id: id as never,
          type: 'note',
          x: 100 + (i % 50),
          meta: { sentAt: performance.timeOrigin + performance.now(), seq: i },
        })
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    },
    { id: shapeId, count: edits },
  )
  // Until B has seen the last edit: the server may merge edits of one turn into one message,
  // so B can see fewer intermediate states than A made (their latency is not counted).
  await b.waitForFunction(
    (count) => (window as unknown as { lastSeq: number }).lastSeq >= count - 1,
    edits,
    { timeout: 30_000 },
  )
  return b.evaluate(() => (window as unknown as { latencies: number[] }).latencies)
}

async function drag(a: Page, seconds: number) {
  const cdp = await a.context().newCDPSession(a)
  await cdp.send('Network.enable')
  const sent = { sync: 0, awareness: 0, frames: 0 }
  cdp.on('Network.webSocketFrameSent', ({ response }) => {
    // Binary frames arrive base64-encoded; the first byte is the y-websocket message type.
    const bytes = Buffer.from(response.payloadData, 'base64')
    sent.frames++
    if (bytes[0] === 1) sent.awareness += bytes.byteLength
    else sent.sync += bytes.byteLength
  })
  const { x, y, before } = await a.evaluate(() => {
    const editor = window.commonGround.editor
    const id = 'shape:bench-drag'
    editor.createShape({ id, type: 'note', x: 300, y: 200 })
    const center = editor.getShapePageBounds(id)?.center ?? { x: 400, y: 300 }
    const point = editor.pageToViewport(center)
    return { x: point.x, y: point.y, before: window.commonGround.docBytes() }
  })
  await a.waitForTimeout(500)
  sent.sync = 0
  sent.awareness = 0
  sent.frames = 0
  const steps = Math.round(seconds * 60)
  await a.mouse.move(x, y)
  await a.mouse.down()
  const started = Date.now()
  for (let i = 1; i <= steps; i++) {
    const angle = (i / steps) * Math.PI * 4
    await a.mouse.move(x + Math.cos(angle) * 200 - 200, y + Math.sin(angle) * 120)
    const due = started + (i * 1000) / 60
    const wait = due - Date.now()
    if (wait > 0) await a.waitForTimeout(wait)
  }
  await a.mouse.up()
  const elapsed = (Date.now() - started) / 1000
  await a.waitForTimeout(500)
  const after = await a.evaluate(() => window.commonGround.docBytes())
  await cdp.detach()
  return { elapsed, sent, before, after, steps }
}

async function coldStart(browser: Browser, url: string): Promise<number> {
  const { context, page } = await personOnBoard(browser, url, 'Cold')
  const ms = await page.evaluate(
    (mark) => performance.getEntriesByName(mark)[0]?.startTime ?? Number.NaN,
    MARK,
  )
  await context.close()
  return ms
}

export async function browserLiveBoard(
  server: RunningServer,
  quick: boolean,
): Promise<Measurement[]> {
  const browser = await launchChromium()
  const contexts: BrowserContext[] = []
  try {
    const boardUrl = await createBoardLink(server, 'Benchmark board')
    const a = await personOnBoard(browser, boardUrl, 'A')
    const b = await personOnBoard(browser, boardUrl, 'B')
    contexts.push(a.context, b.context)

    const edits = quick ? 60 : 200
    const latencies = await editLatency(a.page, b.page, edits)
    const dragged = await drag(a.page, 5)

    const colds: number[] = []
    for (let i = 0; i < (quick ? 2 : 5); i++) colds.push(await coldStart(browser, boardUrl))

    const perSecond = (n: number) => Math.round(n / dragged.elapsed)
    return [
      {
        suite: 'browser edit',
        metric: 'A→B latency p50',
        value: percentile(latencies, 50),
        unit: 'ms',
        note: `${edits} edits, 20/s, ${latencies.length} seen`,
      },
      {
        suite: 'browser edit',
        metric: 'A→B latency p95',
        value: percentile(latencies, 95),
        unit: 'ms',
      },
      {
        suite: 'browser edit',
        metric: 'A→B latency p99',
        value: percentile(latencies, 99),
        unit: 'ms',
      },
      {
        suite: 'browser drag',
        metric: 'doc updates sent',
        value: perSecond(dragged.sent.sync),
        unit: 'B/s',
        note: `${dragged.steps} moves in ${dragged.elapsed.toFixed(1)} s`,
      },
      {
        suite: 'browser drag',
        metric: 'presence sent',
        value: perSecond(dragged.sent.awareness),
        unit: 'B/s',
      },
      {
        suite: 'browser drag',
        metric: 'frames sent',
        value: perSecond(dragged.sent.frames),
        unit: '/s',
      },
      {
        suite: 'browser drag',
        metric: 'doc growth',
        value: dragged.after - dragged.before,
        unit: 'B',
        note: `doc ${dragged.before} → ${dragged.after} B (one note added)`,
      },
      {
        suite: 'browser load',
        metric: 'cold start to interactive',
        value: median(colds),
        unit: 'ms',
        note: `median of ${colds.length}, fresh contexts`,
      },
    ]
  } finally {
    for (const context of contexts) await context.close().catch(() => {})
    await browser.close()
  }
}
