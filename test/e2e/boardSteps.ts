/**
 * Steps several end-to-end files take on a board: notes written into the Issues stage, an issue
 * promoted into the action plan, and a phone joining and adding a note by touch; what a page
 * shows and holds of a vote (my dots in the vote panel's list, the keys of its `votes` map); the
 * three screen sizes (`VIEWPORTS`) the checks of issue 15 run at.
 */
import type { BrowserContextOptions, Page } from 'playwright-core'
import '../bench/pageHandle.ts'

/** A phone-sized touch screen. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
}

/**
 * The three screens of issue 15, each end-to-end check that depends on the screen runs at: a
 * phone (`PHONE`, touch), a laptop and a wide screen. `touch`: tap rather than click.
 */
export const VIEWPORTS: readonly {
  name: 'phone' | 'laptop' | 'wide'
  /** For test titles: "390×844". */
  size: string
  options: BrowserContextOptions
  touch: boolean
}[] = [
  { name: 'phone', size: '390×844', options: PHONE, touch: true },
  {
    name: 'laptop',
    size: '1280×800',
    options: { viewport: { width: 1280, height: 800 } },
    touch: false,
  },
  {
    name: 'wide',
    size: '1440×900',
    options: { viewport: { width: 1440, height: 900 } },
    touch: false,
  },
]

/** A tap on a touch screen, a click elsewhere. */
export function press(
  target: { tap(): Promise<void>; click(): Promise<void> },
  touch: boolean,
): Promise<void> {
  return touch ? target.tap() : target.click()
}

/** Notes (`[id, text]`) in the Issues stage of the retreat template, by the page's editor. */
export async function addIssueNotes(page: Page, notes: readonly (readonly [string, string])[]) {
  await page.evaluate((notes) => {
    const editor = window.commonGround.editor as unknown as {
      createShapes(shapes: object[]): void
    }
    editor.createShapes(
      notes.map(([id, text], i) => ({
        id,
        type: 'note',
        parentId: 'shape:stage-issues',
        x: 80 + i * 260,
        y: 200,
        props: {
          richText: {
            type: 'doc',
            content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
          },
        },
      })),
    )
  }, notes)
}

/** Writes a ranked issue into the action plan, as a vote's "promote" does. */
export function promote(page: Page, issue: string, title: string, rank: number) {
  return page.evaluate(
    ({ issue, title, rank }) => {
      // The handle's connection carries the board's Yjs doc (automationHandle.ts).
      const { doc } = window.commonGround.connection as unknown as {
        doc: { getMap(name: string): { set(key: string, value: unknown): void } }
      }
      doc.getMap('plan').set(`action/issues/${issue}`, { title, rank, sessionId: null })
    },
    { issue, title, rank },
  )
}

/** My dots on a note, as the open vote panel's list ("Your dots, note by note") shows them. */
export function ballotCount(page: Page, itemId: string): Promise<string | null> {
  return page
    .locator(`#cg-vote-panel .cg-vote-ballot-item[data-item="${itemId}"]`)
    .getByTestId('ballot-dots')
    .getAttribute('data-count')
}

/** The keys of a page's `votes` map (its own copy of the shared document). */
export function voteKeys(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const { doc } = window.commonGround.connection as unknown as {
      doc: { getMap(name: string): { toJSON(): Record<string, unknown> } }
    }
    return Object.keys(doc.getMap('votes').toJSON())
  })
}

/**
 * On a touch screen showing a board's join dialog: joins as `name` (a tap, no keyboard), then taps
 * "Add sticky note" and types `text` into the new note.
 */
export async function joinAndAddNoteByTouch(page: Page, name: string, text: string) {
  await page.getByLabel('Your name, as others will see it').fill(name)
  await page.getByRole('button', { name: 'Join the board' }).tap()
  await page.locator('[data-status="live"]').waitFor()
  await page.getByRole('button', { name: 'Add sticky note' }).tap()
  await page.waitForFunction(
    () => (document.activeElement as HTMLElement | null)?.isContentEditable === true,
  )
  await page.keyboard.type(text)
  await page.keyboard.press('Escape')
}
