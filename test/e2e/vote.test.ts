/**
 * Dot voting, end to end: the facilitator (page A) starts a vote over the Issues stage; A and B
 * place dots (A with the + button on a note, B from the keyboard); B sees only its own dots until
 * A reveals, then every note's count and the ranked list with ties as ties. Ballots are the
 * server's: no page's copy of the document holds one, a hidden vote shows others only how many
 * voted, a visible named vote shows counts and names as they come, and offline no dot is queued.
 * A tie at the promotion cut is left to the facilitator, on each of the three screens
 * (`VIEWPORTS`: a 390×844 touch phone, 1280×800, 1440×900).
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import { screenshotPath } from '../support/screenshots.ts'
import { seriousViolations } from './axe.ts'
import { addIssueNotes, press, VIEWPORTS, voteKeys } from './boardSteps.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

const person = (url: string, name: string) => openBoardAs(session.browser, url, name)

const NOTES = [
  ['shape:vote-intake', 'Shared intake form'],
  ['shape:vote-hours', 'Evening hours'],
  ['shape:vote-rides', 'Rides to appointments'],
] as const

/** Brings the notes into view, large enough to click, as a person zooms in on them. */
async function showNotes(page: Page) {
  await page.evaluate(
    (ids) => {
      const editor = window.commonGround.editor as unknown as {
        select(...ids: string[]): void
        zoomToSelection(): void
        selectNone(): void
      }
      editor.select(...ids)
      editor.zoomToSelection()
      editor.selectNone()
    },
    NOTES.map(([id]) => id),
  )
}

const chip = (page: Page, itemId: string) => page.locator(`.cg-vote-chip[data-item="${itemId}"]`)

describe('dot voting', () => {
  it('keeps B blind to A’s dots until the facilitator reveals, then shows counts and ties', async () => {
    const { url, links } = await createBoard(session.server, {
      title: 'Vote check',
      template: 'retreat',
    })
    const ana = await person(url, 'Ana')
    await addIssueNotes(ana, NOTES)
    await showNotes(ana)
    const ben = await person(links.edit, 'Ben') // a participant
    await ben.waitForFunction(() =>
      Boolean(window.commonGround.editor.getShape('shape:vote-rides' as never)),
    )
    await showNotes(ben)

    await ana.getByRole('button', { name: 'Vote', exact: true }).click()
    const panel = ana.getByRole('complementary', { name: 'Dot voting' })
    await expect.poll(() => panel.getByText('The Issues stage (3 notes)').count()).toBe(1)
    await panel.getByRole('button', { name: 'Start the vote' }).click()
    await expect.poll(() => panel.getByTestId('dots-left').getAttribute('data-count')).toBe('5')

    // A: two dots on the intake form, one on evening hours, with the + buttons on the notes.
    // (The open panel lists the same buttons; the ones here are the chips'.)
    const addIntake = chip(ana, 'shape:vote-intake').getByRole('button', {
      name: 'Add a dot to “Shared intake form”',
    })
    await addIntake.click()
    await addIntake.click()
    await chip(ana, 'shape:vote-hours')
      .getByRole('button', { name: 'Add a dot to “Evening hours”' })
      .click()
    await expect.poll(() => panel.getByTestId('dots-left').getAttribute('data-count')).toBe('2')

    // B: the chips appear; B votes from the keyboard: select a note, press "." (and "," to undo one).
    await expect.poll(() => chip(ben, 'shape:vote-hours').count()).toBe(1)
    await ben.evaluate(() => {
      const editor = window.commonGround.editor as unknown as {
        select(...ids: string[]): void
        focus(): void
      }
      editor.select('shape:vote-hours')
      editor.focus()
    })
    await ben.keyboard.press('.')
    await ben.keyboard.press('.')
    await ben.keyboard.press(',')
    await expect
      .poll(() => chip(ben, 'shape:vote-hours').getByTestId('my-dots').getAttribute('data-count'))
      .toBe('1')
    // The per-note cap (3) holds, with a visible reason.
    await ben.getByRole('button', { name: 'Add a dot to “Rides to appointments”' }).click()
    await ben.getByRole('button', { name: 'Add a dot to “Rides to appointments”' }).click()
    await ben.getByRole('button', { name: 'Add a dot to “Rides to appointments”' }).click()
    await ben.getByRole('button', { name: 'Add a dot to “Rides to appointments”' }).click()
    await expect
      .poll(() => ben.getByTestId('vote-notice').textContent())
      .toContain('as many of your dots as one note may take')

    // B always sees the dots it has left, panel open or not.
    await expect
      .poll(() => ben.getByTestId('bar-dots-left').textContent())
      .toBe('You have 1 dot left')

    // A's panel sees that two people voted; B sees nothing of A's dots, only its own.
    await expect.poll(() => panel.getByTestId('voters').getAttribute('data-count')).toBe('2')
    // Two ballots, two people who may vote (counted by the person ids in presence): no warning.
    const check = panel.getByTestId('ballot-check')
    await expect.poll(() => check.getAttribute('data-ballots')).toBe('2')
    expect(await check.getAttribute('data-people')).toBe('2')
    expect(await check.getByRole('alert').count()).toBe(0)
    expect(
      await chip(ben, 'shape:vote-intake').getByTestId('my-dots').getAttribute('data-count'),
    ).toBe('0')
    expect(await ben.getByTestId('dot-count').count()).toBe(0)
    expect(await ben.getByTestId('ranked-item').count()).toBe(0)

    // A reveals: every note shows its count on B's page; intake 2, hours 2 (tied), rides 3.
    await panel.getByRole('button', { name: 'Reveal the results' }).click()
    const count = (itemId: string) =>
      chip(ben, itemId).getByTestId('dot-count').getAttribute('data-count')
    await expect.poll(() => count('shape:vote-intake')).toBe('2')
    expect(await count('shape:vote-hours')).toBe('2')
    expect(await count('shape:vote-rides')).toBe('3')
    await ben.getByRole('button', { name: 'Vote', exact: true }).click()
    const benPanel = ben.getByRole('complementary', { name: 'Dot voting' })
    const ranked = benPanel.getByTestId('ranked-item')
    await expect.poll(() => ranked.count()).toBe(3)
    const rows = await ranked.evaluateAll((items) =>
      items.map((item) => [item.getAttribute('data-item'), item.getAttribute('data-rank')]),
    )
    expect(rows).toEqual([
      ['shape:vote-rides', '1'],
      ['shape:vote-intake', '2'],
      ['shape:vote-hours', '2'],
    ])
    expect(await ranked.nth(1).textContent()).toContain('tied')

    // The panel with its ranking, and the counts on the notes, pass axe's WCAG checks.
    await ana.screenshot({ path: screenshotPath('vote-panel.png') })
    expect(await seriousViolations(ana)).toEqual([])

    // Promote the top two: second place is tied, so the panel says so instead of breaking the tie
    // silently, and the facilitator picks which tied issue goes in (or all, or a runoff).
    await panel.getByRole('spinbutton', { name: 'How many to promote' }).fill('2')
    expect(await panel.getByRole('button', { name: 'Promote to action plan' }).count()).toBe(0)
    const tie = panel.getByTestId('promotion-tie')
    await expect
      .poll(() => tie.locator('legend').textContent())
      .toBe('Place 2 is a tie between 2 issues, and 1 more fits. Choose:')
    const promotePicked = tie.getByRole('button', {
      name: 'Promote 2 with the tied issues I picked',
    })
    expect(await promotePicked.getAttribute('aria-disabled')).toBe('true')
    await tie.getByRole('checkbox', { name: 'Shared intake form' }).check()
    expect(await promotePicked.getAttribute('aria-disabled')).toBe('false')
    expect(await seriousViolations(ana)).toEqual([])
    await promotePicked.click()
    await expect
      .poll(() =>
        ana.evaluate(() => {
          const plan = (
            window.commonGround as unknown as {
              connection: { doc: { getMap(name: string): { toJSON(): Record<string, unknown> } } }
            }
          ).connection.doc
            .getMap('plan')
            .toJSON()
          return Object.entries(plan).filter(([key]) => key.startsWith('action/issues/'))
        }),
      )
      .toEqual([
        [
          'action/issues/shape:vote-rides',
          expect.objectContaining({ rank: 1, title: 'Rides to appointments' }),
        ],
        [
          'action/issues/shape:vote-intake',
          expect.objectContaining({ rank: 2, title: 'Shared intake form' }),
        ],
      ])

    // The facilitator can settle the tie with a runoff over exactly the two tied notes.
    await panel.getByRole('button', { name: 'Runoff among the tied notes' }).click()
    await expect.poll(() => chip(ben, 'shape:vote-rides').count()).toBe(0)
    expect(await chip(ben, 'shape:vote-intake').count()).toBe(1)
    expect(await chip(ben, 'shape:vote-hours').count()).toBe(1)
  })

  it('takes someone who sees none of the notes to them, and keeps off-screen buttons out of reach', async () => {
    const { url, links } = await createBoard(session.server, {
      title: 'Vote from afar',
      template: 'retreat',
    })
    const ana = await person(url, 'Ana')
    await addIssueNotes(ana, NOTES)
    await ana.getByRole('button', { name: 'Vote', exact: true }).click()
    const panel = ana.getByRole('complementary', { name: 'Dot voting' })
    await panel.getByRole('button', { name: 'Start the vote' }).click()

    // Cy looks at the Rank stage's frame, as the agenda shows it: the notes are in another one.
    const cy = await person(links.edit, 'Cy')
    await cy.waitForFunction(() =>
      Boolean(window.commonGround.editor.getShape('shape:vote-rides' as never)),
    )
    await cy.evaluate(() => {
      const editor = window.commonGround.editor as unknown as {
        getShapePageBounds(id: string): object
        zoomToBounds(bounds: object, options: object): void
      }
      editor.zoomToBounds(editor.getShapePageBounds('shape:stage-vote'), { immediate: true })
    })
    const show = cy.getByRole('button', { name: 'Show what we are voting on' })
    await show.waitFor()
    // No dot buttons for notes off screen: Tab would reach them with nothing to see.
    expect(await cy.locator('.cg-vote-chip').count()).toBe(0)
    await show.click()
    await expect.poll(() => cy.locator('.cg-vote-chip').count()).toBe(NOTES.length)
    await expect.poll(() => show.count()).toBe(0)
    await chip(cy, 'shape:vote-hours')
      .getByRole('button', { name: 'Add a dot to “Evening hours”' })
      .click()
    await expect
      .poll(() => cy.getByTestId('bar-dots-left').textContent())
      .toBe('You have 4 dots left')
    await ana.context().close()
    await cy.context().close()
  })
})

describe('a tie at the promotion cut, on every screen', () => {
  for (const screen of VIEWPORTS) {
    it(`leaves the tie at the cut to the facilitator on a ${screen.name} (${screen.size})`, async () => {
      const { touch } = screen
      const { url } = await createBoard(session.server, { title: 'Tie check', template: 'retreat' })
      const ana = await openBoardAs(session.browser, url, 'Ana', screen.options)
      await addIssueNotes(ana, NOTES)
      await press(ana.locator('.cg-bar').getByRole('button', { name: 'Vote', exact: true }), touch)
      const panel = ana.getByRole('complementary', { name: 'Dot voting' })
      await expect.poll(() => panel.getByText('The Issues stage (3 notes)').count()).toBe(1)
      await press(panel.getByRole('button', { name: 'Start the vote' }), touch)

      // Ana's five dots from the panel's ballot list, through the server's ballot box: three on
      // rides, one each on the intake form and evening hours, so places 2 and 3 tie.
      const add = (title: string) => panel.getByRole('button', { name: `Add a dot to “${title}”` })
      const dots = (itemId: string) =>
        panel
          .locator(`.cg-vote-ballot-item[data-item="${itemId}"]`)
          .getByTestId('ballot-dots')
          .getAttribute('data-count')
      for (const count of ['1', '2', '3']) {
        await press(add('Rides to appointments'), touch)
        await expect.poll(() => dots('shape:vote-rides')).toBe(count)
      }
      await press(add('Shared intake form'), touch)
      await press(add('Evening hours'), touch)
      await expect.poll(() => panel.getByTestId('dots-left').getAttribute('data-count')).toBe('0')

      await press(panel.getByRole('button', { name: 'Reveal the results' }), touch)
      const ranked = panel.getByTestId('ranked-item')
      await expect.poll(() => ranked.count()).toBe(3)
      const ranks = await ranked.evaluateAll((items) =>
        Object.fromEntries(
          items.map((item) => [item.getAttribute('data-item'), item.getAttribute('data-rank')]),
        ),
      )
      expect(ranks).toEqual({
        'shape:vote-rides': '1',
        'shape:vote-intake': '2',
        'shape:vote-hours': '2',
      })

      // Promoting the top two cuts through the tie: no plain "Promote", the facilitator picks.
      const howMany = panel.getByRole('spinbutton', { name: 'How many to promote' })
      await press(howMany, touch)
      await howMany.fill('2')
      expect(await panel.getByRole('button', { name: 'Promote to action plan' }).count()).toBe(0)
      const tie = panel.getByTestId('promotion-tie')
      await expect
        .poll(() => tie.locator('legend').textContent())
        .toBe('Place 2 is a tie between 2 issues, and 1 more fits. Choose:')
      const promotePicked = tie.getByRole('button', {
        name: 'Promote 2 with the tied issues I picked',
      })
      expect(await promotePicked.getAttribute('aria-disabled')).toBe('true')
      await press(tie.getByRole('checkbox', { name: 'Evening hours' }), touch)
      expect(await tie.getByRole('checkbox', { name: 'Evening hours' }).isChecked()).toBe(true)
      expect(await promotePicked.getAttribute('aria-disabled')).toBe('false')
      expect(await actionIssues(ana)).toEqual([])
      await press(promotePicked, touch)
      await expect
        .poll(() => actionIssues(ana))
        .toEqual([
          [
            'action/issues/shape:vote-rides',
            expect.objectContaining({ rank: 1, title: 'Rides to appointments' }),
          ],
          [
            'action/issues/shape:vote-hours',
            expect.objectContaining({ rank: 2, title: 'Evening hours' }),
          ],
        ])
      await ana.context().close()
    })
  }
})

/** The issues in the page's action plan (its copy of the shared document), by plan key. */
function actionIssues(page: Page): Promise<[string, unknown][]> {
  return page.evaluate(() => {
    const plan = (
      window.commonGround as unknown as {
        connection: { doc: { getMap(name: string): { toJSON(): Record<string, unknown> } } }
      }
    ).connection.doc
      .getMap('plan')
      .toJSON()
    return Object.entries(plan).filter(([key]) => key.startsWith('action/issues/'))
  })
}

/**
 * A retreat board with the vote's notes in its Issues stage, Ana (facilitating) with the vote
 * panel open and Ben (a participant) holding the notes.
 */
async function anaAndBenAtTheVotePanel(title: string) {
  const { url, links } = await createBoard(session.server, { title, template: 'retreat' })
  const ana = await person(url, 'Ana')
  await addIssueNotes(ana, NOTES)
  const ben = await person(links.edit, 'Ben')
  await ben.waitForFunction(() =>
    Boolean(window.commonGround.editor.getShape('shape:vote-rides' as never)),
  )
  await ana.getByRole('button', { name: 'Vote', exact: true }).click()
  const panel = ana.getByRole('complementary', { name: 'Dot voting' })
  return { ana, ben, panel }
}

describe('ballots kept by the server', () => {
  it('keeps a hidden vote’s ballots out of every page: the others see only how many voted', async () => {
    const { ana, ben, panel } = await anaAndBenAtTheVotePanel('Secret ballot')
    await panel.getByRole('button', { name: 'Start the vote' }).click()
    await panel.getByTestId('ballot').waitFor()

    // Ben places three dots from the panel's list.
    await ben.getByRole('button', { name: 'Vote', exact: true }).click()
    const benPanel = ben.getByRole('complementary', { name: 'Dot voting' })
    const addRides = benPanel.getByRole('button', { name: 'Add a dot to “Rides to appointments”' })
    await addRides.click()
    await addRides.click()
    await benPanel.getByRole('button', { name: 'Add a dot to “Evening hours”' }).click()
    const benDots = (itemId: string) =>
      benPanel
        .locator(`.cg-vote-ballot-item[data-item="${itemId}"]`)
        .getByTestId('ballot-dots')
        .getAttribute('data-count')
    await expect.poll(() => benDots('shape:vote-rides')).toBe('2')
    expect(await benDots('shape:vote-hours')).toBe('1')

    // Ana's panel learns that one person voted, and nothing more.
    await expect.poll(() => panel.getByTestId('voters').getAttribute('data-count')).toBe('1')
    expect(await panel.getByTestId('voters').textContent()).toBe('1 person has voted')
    expect(await ana.getByTestId('dot-count').count()).toBe(0)
    expect(await panel.getByTestId('ranked-item').count()).toBe(0)
    const anaDots = await panel
      .getByTestId('ballot-dots')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-count')))
    expect(anaDots).toEqual(['0', '0', '0'])
    // Neither page's copy of the shared document holds a ballot: only the vote itself.
    for (const page of [ana, ben]) {
      const keys = await voteKeys(page)
      expect(keys.filter((key) => key.startsWith('ballot/'))).toEqual([])
      expect(keys.filter((key) => key.startsWith('session/'))).toHaveLength(1)
    }

    // Ben reloads: his dots come back from the server, not from the document.
    await ben.reload()
    await ben.locator('[data-status="live"]').waitFor()
    await ben.getByRole('button', { name: 'Vote', exact: true }).click()
    await expect.poll(() => benDots('shape:vote-rides')).toBe('2')
    expect(await benDots('shape:vote-hours')).toBe('1')

    // Offline, a dot is not kept for later: the page says voting needs the connection.
    await ben.context().setOffline(true)
    await ben.locator('[data-status="offline"]').waitFor()
    await expect.poll(() => ben.getByTestId('bar-vote-offline').count()).toBe(1)
    await addRides.click()
    await expect
      .poll(() => ben.getByTestId('vote-notice').textContent())
      .toContain('Voting needs a connection')
    expect(await benDots('shape:vote-rides')).toBe('2')
    await ben.context().setOffline(false)
    await ben.locator('[data-status="live"]').waitFor()
    await addRides.click()
    await expect.poll(() => benDots('shape:vote-rides')).toBe('3')

    // At the reveal the outcome, and only the outcome, enters the document.
    await panel.getByRole('button', { name: 'Reveal the results' }).click()
    await expect.poll(() => panel.getByTestId('ranked-item').count()).toBe(3)
    const rows = await panel
      .getByTestId('ranked-item')
      .evaluateAll((items) =>
        items.map((item) => [item.getAttribute('data-item'), item.getAttribute('data-rank')]),
      )
    expect(rows).toEqual([
      ['shape:vote-rides', '1'],
      ['shape:vote-hours', '2'],
      ['shape:vote-intake', '3'],
    ])
    const keys = await voteKeys(ana)
    expect(keys.filter((key) => key.startsWith('outcome/'))).toHaveLength(1)
    expect(keys.filter((key) => key.startsWith('ballot/'))).toEqual([])
    await ana.context().close()
    await ben.context().close()
  })

  it('shows a visible named vote’s counts and names as they come, from the server', async () => {
    const { ana, ben, panel } = await anaAndBenAtTheVotePanel('Open ballot')
    await panel.getByRole('checkbox', { name: 'Anonymous: ballots carry no names' }).uncheck()
    await panel
      .getByRole('checkbox', { name: 'Hide the results until they are revealed' })
      .uncheck()
    await panel.getByRole('button', { name: 'Start the vote' }).click()
    await panel.getByTestId('ballot').waitFor()

    await ben.getByRole('button', { name: 'Vote', exact: true }).click()
    const benPanel = ben.getByRole('complementary', { name: 'Dot voting' })
    await benPanel.getByRole('button', { name: 'Add a dot to “Evening hours”' }).click()
    await panel.getByRole('button', { name: 'Add a dot to “Evening hours”' }).click()
    await panel.getByRole('button', { name: 'Add a dot to “Shared intake form”' }).click()

    // Both see the counts per note and who voted for each, while the vote runs.
    for (const page of [ana, ben]) {
      const ranked = page
        .getByRole('complementary', { name: 'Dot voting' })
        .getByTestId('ranked-item')
      await expect.poll(() => ranked.first().textContent()).toContain('Evening hours: 2 dots')
      await expect.poll(() => ranked.first().textContent()).toContain('Ana, Ben')
    }
    expect(await voteKeys(ben).then((keys) => keys.filter((k) => k.startsWith('ballot/')))).toEqual(
      [],
    )
    await ana.context().close()
    await ben.context().close()
  })
})
