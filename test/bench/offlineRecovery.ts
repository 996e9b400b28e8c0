/**
 * Back from offline: page A goes offline (Chromium's network emulation), makes N edits, comes
 * back online; how long until page B holds all of them.
 */
import { launchChromium } from '../e2e/browser.ts'
import type { RunningServer } from '../support/server.ts'
import { createBoardLink, personOnBoard } from './browserLiveBoard.ts'
import './pageHandle.ts'
import { type Measurement, median } from './report.ts'

export async function offlineRecovery(
  server: RunningServer,
  quick: boolean,
): Promise<Measurement[]> {
  const edits = 200
  const rounds = quick ? 2 : 5
  const browser = await launchChromium()
  const times: number[] = []
  try {
    for (let round = 0; round < rounds; round++) {
      const url = await createBoardLink(server, `Offline ${round}`)
      const a = await personOnBoard(browser, url, 'A')
      const b = await personOnBoard(browser, url, 'B')
      await a.context.setOffline(true)
      await a.page.waitForFunction(() => window.commonGround.connection.status.get() === 'offline')
      await a.page.evaluate((count) => {
        for (let i = 0; i < count; i++) {
          window.commonGround.editor.createShape({
            type: 'note',
            x: (i % 20) * 220,
            y: Math.floor(i / 20) * 220,
          })
        }
      }, edits)
      const started = Date.now()
      await a.context.setOffline(false)
      await b.page.waitForFunction(
        (count) => window.commonGround.editor.getCurrentPageShapes().length >= count,
        edits,
        { timeout: 60_000, polling: 5 },
      )
      times.push(Date.now() - started)
      await a.context.close()
      await b.context.close()
    }
  } finally {
    await browser.close()
  }
  return [
    {
      suite: 'offline recovery',
      metric: `back online → ${edits} offline edits at B`,
      value: median(times),
      unit: 'ms',
      note: `median of ${rounds}; all: ${times.join(', ')}`,
    },
  ]
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./report.ts')
  const { withServer } = await import('../support/server.ts')
  printTable(
    await withServer((server) => offlineRecovery(server, process.argv.includes('--quick'))),
  )
}
