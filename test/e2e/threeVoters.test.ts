/**
 * Secret until revealed (issue 17), end to end in real Chromium against a real server: three
 * people vote in one board: Ana facilitates at a desk (1280×800), Lupe votes by tapping the vote
 * panel's list on a phone (390×844, touch) and Ben votes with the keyboard alone (. and , on a
 * note selected by keys; not one pointer event on his page).
 * - Ana starts a hidden, anonymous vote from the Vote panel.
 * - While it runs, no page shows a count per note, a ranking or who voted for what: only how many
 *   voted. No page's window holds anyone else's dots: its copy of the shared document has no
 *   ballot, the server's turnout notices carry the number of voters only, and the only ballot the
 *   page knows is its own.
 * - The dots end in a tie at the promotion cut (place 2 of 2); Ana reveals and every page shows
 *   the same ranking, ties marked as ties. Ana holds a runoff among the tied issues, kept just as
 *   secret; Lupe and Ben vote in it the same way; Ana reveals it, promotes the top two issues
 *   into the action plan and every page's plan panel shows them, in rank order.
 */
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import { addIssueNotes, ballotCount, PHONE, press, voteKeys } from './boardSteps.ts'
import {
  COUNT_POINTER_EVENTS,
  pointerEventsSeen,
  selectInFrameByKeyboard,
  tabTo,
} from './keyboard.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

const RIDES = 'shape:three-rides'
const INTAKE = 'shape:three-intake'
const HOURS = 'shape:three-hours'
const CHILDCARE = 'shape:three-childcare'
const NOTES = [
  [RIDES, 'Rides to appointments'],
  [INTAKE, 'Shared intake form'],
  [HOURS, 'Evening hours'],
  [CHILDCARE, 'Childcare at the library'],
] as const
const TEXT: Record<string, string> = Object.fromEntries(NOTES)

const VOTE_TITLE = 'Which issues do we take on first?'
const RUNOFF_TITLE = `Runoff: ${VOTE_TITLE}`

/** Someone in the room: their page, and whether they tap (a phone) or click. */
interface Person {
  name: string
  page: Page
  touch: boolean
}

/** My dots per note in one vote (notes without any left out). */
type Dots = Record<string, number>

describe('three people vote, secret until revealed', () => {
  it('keeps a phone, a keyboard and a desk blind to each other’s dots until the reveal, then ranks, runs off and promotes', async () => {
    const board = await createBoard(session.server, {
      title: 'Eastside retreat',
      template: 'retreat',
    })
    const ana: Person = {
      name: 'Ana',
      page: await openBoardAs(session.browser, board.url, 'Ana', {
        viewport: { width: 1280, height: 800 },
      }),
      touch: false,
    }
    await addIssueNotes(ana.page, NOTES)
    const lupe: Person = {
      name: 'Lupe',
      page: await openBoardAs(session.browser, board.links.edit, 'Lupe', PHONE),
      touch: true,
    }
    // Ben's page counts every mouse, pointer, touch and wheel event from its first moment.
    const ben: Person = {
      name: 'Ben',
      page: await openBoardAs(
        session.browser,
        board.links.edit,
        'Ben',
        { viewport: { width: 1280, height: 800 } },
        COUNT_POINTER_EVENTS,
      ),
      touch: false,
    }
    const everyone = [ana, lupe, ben]
    for (const { page } of [lupe, ben]) await notesArrived(page)

    // 1. Ana starts a hidden, anonymous vote from the panel (both are the defaults: checked).
    const anaPanel = await openPanel(ana, VOTE_PANEL)
    await startHiddenAnonymousVote(anaPanel)
    const [first] = await sessionIds(ana.page)
    if (!first) throw new Error('no vote started')

    // 2–4. Everyone votes, each their own way. Rides 3, intake 2, hours 2, childcare 1: places
    // 2 and 3 tie, so promoting the top two cuts through a tie.
    const firstRound: Record<string, Dots> = {
      Lupe: { [RIDES]: 1, [HOURS]: 1, [CHILDCARE]: 1 },
      Ben: { [INTAKE]: 1, [HOURS]: 1 },
      Ana: { [RIDES]: 2, [INTAKE]: 1 },
    }
    const lupePanel = await openPanel(lupe, VOTE_PANEL)
    await addDotsInPanel(lupe, lupePanel, firstRound.Lupe as Dots)
    // Ben: two dots on the intake form, one taken back with ",", then one on evening hours.
    await dotsByKeys(ben, INTAKE, ['.', '.', ','])
    await dotsByKeys(ben, HOURS, ['.'])
    await expect
      .poll(() => ben.page.getByTestId('bar-dots-left').textContent())
      .toBe('You have 3 dots left')
    await addDotsInPanel(ana, anaPanel, firstRound.Ana as Dots)

    // Ben looks at the vote panel too (from the keyboard) to see the turnout.
    const benPanel = await openPanel(ben, VOTE_PANEL, true)
    const panels = new Map([
      [ana, anaPanel],
      [lupe, lupePanel],
      [ben, benPanel],
    ])
    for (const person of everyone) {
      await expectOnlyTurnout(person, panels.get(person) as Locator, { voters: 3, everyone })
      await expectOnlyOwnDots(person, { [first]: firstRound[person.name] as Dots })
    }

    // 5. The reveal: every page shows the same ranking, with places 2 and 3 tied.
    await press(anaPanel.getByRole('button', { name: 'Reveal the results' }), ana.touch)
    const revealed = [
      `1. ${TEXT[RIDES]}: 3 dots`,
      `2. ${TEXT[INTAKE]}: 2 dots (tied)`,
      `2. ${TEXT[HOURS]}: 2 dots (tied)`,
      `4. ${TEXT[CHILDCARE]}: 1 dot`,
    ]
    for (const person of everyone) {
      await expect.poll(() => ranking(panels.get(person) as Locator, VOTE_TITLE)).toEqual(revealed)
    }
    // Only the outcome entered the document; the anonymous ballots stay out of it for good.
    for (const { page } of everyone) {
      await expect
        .poll(async () => (await voteKeys(page)).map((key) => key.split('/')[0]).sort())
        .toEqual(['outcome', 'session'])
    }

    // Promoting the top two cuts through the tie: Ana settles it with a runoff among the two.
    await howManyToPromote(ana, anaPanel, 2)
    const tie = anaPanel.getByTestId('promotion-tie')
    await expect
      .poll(() => tie.locator('legend').textContent())
      .toBe('Place 2 is a tie between 2 issues, and 1 more fits. Choose:')
    expect(await anaPanel.getByRole('button', { name: 'Promote to action plan' }).count()).toBe(0)
    await press(tie.getByRole('button', { name: 'Hold a runoff among the tied issues' }), ana.touch)

    // The runoff is over exactly the tied notes, one dot each, and as secret as the vote.
    for (const person of everyone) {
      const panel = panels.get(person) as Locator
      await expect
        .poll(() => panel.getByTestId('vote-status').textContent())
        .toBe('Voting is open · 1 dot each, at most 1 per note')
      const ballot = panel.getByTestId('ballot')
      // Each person lists them in an order of their own (fairOrder): compared as a set.
      await expect
        .poll(() =>
          ballot
            .locator('.cg-vote-ballot-item')
            .evaluateAll((items) => items.map((item) => item.getAttribute('data-item')).sort()),
        )
        .toEqual([INTAKE, HOURS].sort())
    }
    const runoff = (await sessionIds(ana.page)).find((id) => id !== first)
    if (!runoff) throw new Error('no runoff started')
    const runoffRound: Record<string, Dots> = {
      Lupe: { [HOURS]: 1 },
      Ben: { [HOURS]: 1 },
      Ana: { [INTAKE]: 1 },
    }
    await addDotsInPanel(lupe, lupePanel, runoffRound.Lupe as Dots)
    await dotsByKeys(ben, HOURS, ['.'])
    await expect
      .poll(() => ben.page.getByTestId('bar-dots-left').textContent())
      .toBe('You have 0 dots left')
    await addDotsInPanel(ana, anaPanel, runoffRound.Ana as Dots)
    for (const person of everyone) {
      // The vote's ranking, revealed before, stays on show under "Earlier votes".
      await expectOnlyTurnout(person, panels.get(person) as Locator, {
        voters: 3,
        everyone,
        revealed,
      })
      await expectOnlyOwnDots(person, {
        [first]: firstRound[person.name] as Dots,
        [runoff]: runoffRound[person.name] as Dots,
      })
    }

    // The runoff's reveal orders the tied pair; the vote's ranking takes it in on every page.
    await press(anaPanel.getByRole('button', { name: 'Reveal the results' }), ana.touch)
    for (const person of everyone) {
      const panel = panels.get(person) as Locator
      await expect
        .poll(() => ranking(panel, RUNOFF_TITLE))
        .toEqual([`1. ${TEXT[HOURS]}: 2 dots`, `2. ${TEXT[INTAKE]}: 1 dot`])
      await expect
        .poll(() => ranking(panel, VOTE_TITLE))
        .toEqual([
          `1. ${TEXT[RIDES]}: 3 dots`,
          `2. ${TEXT[HOURS]}: 2 dots`,
          `3. ${TEXT[INTAKE]}: 2 dots`,
          `4. ${TEXT[CHILDCARE]}: 1 dot`,
        ])
    }

    // No tie at the cut now: Ana promotes the top two, and every page's plan shows them.
    await howManyToPromote(ana, anaPanel, 2)
    expect(await anaPanel.getByTestId('promotion-tie').count()).toBe(0)
    await press(anaPanel.getByRole('button', { name: 'Promote to action plan' }), ana.touch)
    await anaPanel.getByText('2 issues are now in the action plan.').waitFor()
    for (const person of everyone) {
      const plan = await openPanel(person, PLAN_PANEL, person === ben)
      await expect
        .poll(() => plan.locator('.cg-action-issue h4').allTextContents())
        .toEqual([`1. ${TEXT[RIDES]}`, `2. ${TEXT[HOURS]}`])
    }

    // Ben did all of it with the keyboard.
    expect(await pointerEventsSeen(ben.page)).toEqual([])
    for (const { page } of everyone) await page.context().close()
  })
})

/** Waits until Ana's notes have reached a page. */
function notesArrived(page: Page) {
  return page.waitForFunction(
    (ids) => ids.every((id) => Boolean(window.commonGround.editor.getShape(id as never))),
    NOTES.map(([id]) => id),
  )
}

const VOTE_PANEL = { button: 'Vote', panel: 'Dot voting' }
const PLAN_PANEL = { button: 'Plan', panel: 'Partnership plan' }

/**
 * Opens a side panel with the board bar's button: a tap on a phone, a click on a desktop, Tab
 * and Enter for someone on the keyboard only.
 */
async function openPanel(
  { page, touch }: Person,
  { button, panel }: { button: string; panel: string },
  byKeyboard = false,
): Promise<Locator> {
  if (byKeyboard) {
    await tabTo(page, button)
    await page.keyboard.press('Enter')
  } else {
    await press(page.locator('.cg-bar').getByRole('button', { name: button, exact: true }), touch)
  }
  const opened = page.getByRole('complementary', { name: panel })
  await opened.waitFor()
  return opened
}

/** Starts a vote over the Issues stage with the results hidden and the ballots anonymous. */
async function startHiddenAnonymousVote(panel: Locator) {
  await expect.poll(() => panel.getByText('The Issues stage (4 notes)').count()).toBe(1)
  const anonymous = panel.getByRole('checkbox', { name: 'Anonymous: ballots carry no names' })
  const hidden = panel.getByRole('checkbox', { name: 'Hide the results until they are revealed' })
  expect(await anonymous.isChecked()).toBe(true)
  expect(await hidden.isChecked()).toBe(true)
  await panel.getByRole('button', { name: 'Start the vote' }).click()
  await panel.getByTestId('ballot').waitFor()
}

/** The ids of the page's vote sessions, oldest first. */
function sessionIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const { doc } = window.commonGround.connection as unknown as {
      doc: { getMap(name: string): { toJSON(): Record<string, { startedAt?: number }> } }
    }
    return Object.entries(doc.getMap('votes').toJSON())
      .filter(([key]) => key.startsWith('session/'))
      .sort(([, a], [, b]) => (a.startedAt ?? 0) - (b.startedAt ?? 0))
      .map(([key]) => key.slice('session/'.length))
  })
}

/**
 * Places dots with the + buttons of the vote panel's list (tapped on a phone), one at a time,
 * each confirmed by the server's answer before the next.
 */
async function addDotsInPanel(person: Person, panel: Locator, dots: Dots) {
  for (const [itemId, count] of Object.entries(dots)) {
    const add = panel.getByRole('button', { name: `Add a dot to “${TEXT[itemId]}”` })
    const before = Number(await ballotCount(person.page, itemId))
    for (let i = 1; i <= count; i++) {
      await press(add, person.touch)
      await expect.poll(() => ballotCount(person.page, itemId)).toBe(String(before + i))
    }
  }
}

/**
 * Keyboard voting on the canvas: selects the note by keys alone, presses "." (add a dot) and ","
 * (take one back) as given, then Escape: nothing selected, Tab walks the page again.
 */
async function dotsByKeys({ page }: Person, itemId: string, keys: readonly ('.' | ',')[]) {
  await selectInFrameByKeyboard(page, 'shape:stage-issues', itemId)
  for (const key of keys) await page.keyboard.press(key)
  await page.keyboard.press('Escape')
}

async function howManyToPromote({ touch }: Person, panel: Locator, count: number) {
  const howMany = panel.getByRole('spinbutton', { name: 'How many to promote' })
  await press(howMany, touch)
  await howMany.fill(String(count))
}

/** A ranking as its rows read ("2. Evening hours: 2 dots (tied)"), by its vote's title. */
function ranking(panel: Locator, title: string): Promise<string[]> {
  return panel
    .getByRole('list', { name: `Ranking: ${title}`, exact: true })
    .getByTestId('ranked-item')
    .allTextContents()
}

/**
 * What a page shows of a running hidden, anonymous vote: how many have voted, and nothing of
 * what: no count on any note, no ranking of it; in all the page's text (shown or hidden, as a
 * screen reader might find it) no number of dots but my own, the rules and the rows of a ranking
 * revealed before (`revealed`); no one's name in the vote panel (the people list may name who is
 * here, not how they voted).
 */
async function expectOnlyTurnout(
  person: Person,
  panel: Locator,
  { voters, everyone, revealed = [] }: { voters: number; everyone: Person[]; revealed?: string[] },
) {
  const { page } = person
  const current = panel.getByTestId('current-vote')
  await expect
    .poll(() => current.getByTestId('voters').textContent())
    .toBe(`${voters} people have voted`)
  expect(await page.getByTestId('dot-count').count()).toBe(0)
  expect(await current.getByTestId('ranked-item').count()).toBe(0)
  expect(await page.getByTestId('ranked-item').count()).toBe(revealed.length)
  let text = (await page.locator('body').textContent()) ?? ''
  for (const row of revealed) text = text.replace(row, '')
  text = text
    .replace(/You have \d+ dots? left/g, '')
    .replace(/\d+ dots? each, at most \d+ per note/g, '')
  expect(text, `${person.name}'s page`).not.toMatch(/\d+\s*dots?\b/i)
  const panelText = (await panel.textContent()) ?? ''
  for (const other of everyone) {
    if (other !== person) expect(panelText, `${person.name}'s vote panel`).not.toContain(other.name)
  }
}

/**
 * What a page's window holds of the votes: its copy of the shared document has sessions (and
 * outcomes) but no ballot; the server's turnout notices say how many voted and nothing more (no
 * dots, no names); the only ballots it knows are its own (`mine`, by session).
 */
async function expectOnlyOwnDots(person: Person, mine: Record<string, Dots>) {
  const keys = await voteKeys(person.page)
  expect(keys.filter((key) => key.startsWith('ballot/'))).toEqual([])
  const held = await person.page.evaluate(() => {
    const { ballots, turnouts } = window.commonGround.connection as unknown as {
      ballots: { get(): ReadonlyMap<string, Record<string, number>> }
      turnouts: { get(): ReadonlyMap<string, object> }
    }
    return { ballots: [...ballots.get()], turnouts: [...turnouts.get().values()] }
  })
  const ownDots = Object.fromEntries(
    held.ballots.map(([sessionId, dots]) => [
      sessionId,
      Object.fromEntries(Object.entries(dots).filter(([, count]) => count > 0)),
    ]),
  )
  expect(ownDots, `${person.name}'s ballots`).toEqual(mine)
  expect(held.turnouts.length).toBeGreaterThan(0)
  for (const turnout of held.turnouts) {
    expect(Object.keys(turnout).sort(), `${person.name}'s turnouts`).toEqual([
      'sessionId',
      'voters',
    ])
  }
}
