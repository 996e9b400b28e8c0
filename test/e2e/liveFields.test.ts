/**
 * Plan fields are as live as a note on the canvas (issue 15): what Ana types in a step reaches
 * Ben while she is still in the field, and survives a reload made at once, without leaving the
 * field — the text was written as she typed and kept in the browser's copy.
 *
 * Then, on each of the three screens (`VIEWPORTS`: a 390×844 touch phone, where the panel has
 * the whole screen under the bar, 1280×800 and 1440×900), one pass over every kind of field of
 * the plan panel on one board: a step's what, person, organization, due date (typed month, day,
 * year) and status; an organization's three commitment cells; the answers of stages 0 and 6-8
 * (readiness answers and notes, community and capacity text, an indicator and its kind and data
 * source, the evaluation's text and cadence, the backbone, a role and its holder, a governing
 * body, the agreement and its notes). Ana reloads right after the last keystroke of the date,
 * of a commitment cell and of the agreement notes, without leaving the field; after each reload
 * everything she has entered so far is in her panel and in Ben's.
 */
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import { press, promote, VIEWPORTS } from './boardSteps.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

async function openPlan(page: Page, touch = false): Promise<Locator> {
  await press(page.getByRole('button', { name: 'Plan', exact: true }), touch)
  const panel = page.getByRole('complementary', { name: 'Partnership plan' })
  await panel.waitFor()
  return panel
}

const field = (issue: Locator, name: string, step: number) =>
  issue.getByLabel(`${name}, step ${step}`, { exact: true })

describe('live plan fields', () => {
  it('sends text as it is typed and keeps it through an immediate reload', async () => {
    const board = await createBoard(session.server, { title: 'Live fields', template: 'blank' })
    const ana = await openBoardAs(session.browser, board.url, 'Ana')
    const ben = await openBoardAs(session.browser, board.links.edit, 'Ben')
    await promote(ana, 'shape:issueCare', 'Evening childcare', 1)
    const anaIssue = (await openPlan(ana)).getByRole('region', { name: '1. Evening childcare' })
    const benIssue = (await openPlan(ben)).getByRole('region', { name: '1. Evening childcare' })
    await anaIssue.getByRole('button', { name: 'Add a step' }).click()
    await expect
      .poll(() => ana.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('What, step 1')
    await ana.keyboard.type('Ask the school about evening rooms')
    // Still in the field: Ben already has it.
    await expect
      .poll(() => field(benIssue, 'What', 1).inputValue())
      .toBe('Ask the school about evening rooms')

    // More typing, then a reload straight away, without leaving the field.
    await ana.keyboard.type(' and buses')
    await ana.reload()
    await ana.waitForFunction(() => Boolean(window.commonGround?.editor))
    const again = (await openPlan(ana)).getByRole('region', { name: '1. Evening childcare' })
    await expect
      .poll(() => field(again, 'What', 1).inputValue())
      .toBe('Ask the school about evening rooms and buses')
    await expect
      .poll(() => field(benIssue, 'What', 1).inputValue())
      .toBe('Ask the school about evening rooms and buses')
  })

  for (const screen of VIEWPORTS) {
    it(`keeps every kind of plan field live and through an immediate reload on a ${screen.name} (${screen.size})`, async () => {
      const { touch } = screen
      const board = await createBoard(session.server, { title: 'Every field', template: 'retreat' })
      // en-US: the date field takes month, day, year in that order.
      const options = { ...screen.options, locale: 'en-US' }
      const ana = await openBoardAs(session.browser, board.url, 'Ana', options)
      const ben = await openBoardAs(session.browser, board.links.edit, 'Ben', options)
      await ana.evaluate((id) => {
        window.commonGround.editor.createShape({
          id,
          type: 'cg-organization',
          parentId: 'shape:stage-organizations',
          x: 60,
          y: 160,
          props: { name: 'Eastside Library' },
        } as never)
      }, ORG)
      await promote(ana, ISSUE, 'Evening childcare', 1)
      const anaPanel = await openPlan(ana, touch)
      const benPanel = await openPlan(ben, touch)
      // On a phone the panel has the screen under the bar: the canvas is not shown at all.
      if (touch) expect(await ana.locator('.tl-container').isVisible()).toBe(false)
      const issueOf = (panel: Locator) =>
        panel.getByRole('region', { name: '1. Evening childcare' })
      await expect.poll(() => issueOf(anaPanel).count()).toBe(1)
      for (const panel of [anaPanel, benPanel]) {
        await expect.poll(() => cell('Takes on')(panel).count()).toBe(1)
      }

      /** Everything entered so far: where it is in a panel and what it should hold. */
      const entered: Entered[] = []
      const typeInto = async (locate: Find, text: string, at?: { x: number; y: number }) => {
        const target = locate(anaPanel)
        // A tap can land beside a field that moved at that moment (a choice above it shows or
        // hides fields once the plan is derived again): like a person, look, and tap again.
        await expect
          .poll(async () => {
            if (touch) await target.tap({ position: at })
            else await target.click({ position: at })
            return target.evaluate((element) => element === document.activeElement)
          })
          .toBe(true)
        await ana.keyboard.type(text)
      }
      const typed = async (locate: Find, text: string) => {
        await typeInto(locate, text)
        entered.push({ locate, value: text })
        // Live: Ben has it while Ana is still in the field.
        await expect.poll(() => locate(benPanel).inputValue()).toBe(text)
      }
      const chose = async (locate: Find, value: string) => {
        await locate(anaPanel).selectOption(value)
        entered.push({ locate, value })
      }
      const ticked = async (locate: Find) => {
        await press(locate(anaPanel), touch)
        entered.push({ locate, value: true })
      }
      /**
       * Types `first` into a field, sees it reach Ben while Ana is still in it, types `more`, and
       * reloads Ana's page straight after that last keystroke.
       */
      const typeThenReload = async (locate: Find, first: string, more: string) => {
        await typeInto(locate, first)
        await expect.poll(() => locate(benPanel).inputValue()).toBe(first)
        await ana.keyboard.type(more)
        entered.push({ locate, value: first + more })
        await reloadAndCheck()
      }
      const reloadAndCheck = async () => {
        await ana.reload()
        await ana.waitForFunction(() => Boolean(window.commonGround?.editor))
        await ana.locator('[data-status="live"]').waitFor()
        await openPlan(ana, touch)
        for (const { locate, value } of entered) {
          for (const panel of [anaPanel, benPanel]) {
            const field = locate(panel)
            try {
              if (typeof value === 'boolean') await expect.poll(() => field.isChecked()).toBe(value)
              else await expect.poll(() => field.inputValue()).toBe(value)
            } catch (error) {
              throw await withPlansShown(error, panel === anaPanel ? 'Ana' : 'Ben', [ana, ben])
            }
          }
        }
      }

      // A step: each of its fields, the reload straight after the date's last digit.
      await press(issueOf(anaPanel).getByRole('button', { name: 'Add a step' }), touch)
      await expect
        .poll(() => ana.evaluate(() => document.activeElement?.getAttribute('aria-label')))
        .toBe('What, step 1')
      await ana.keyboard.type('Ask the school about evening rooms')
      entered.push({ locate: step('What'), value: 'Ask the school about evening rooms' })
      await typed(step('Person responsible'), 'Rosa Martínez')
      await chose(step('Organization responsible'), ORG)
      await chose(step('Status'), 'in-progress')
      // Into the month part (the left of the field), then month, day and year.
      await typeInto(step('Due date'), '03152027', { x: 12, y: 12 })
      entered.push({ locate: step('Due date'), value: '2027-03-15' })
      await reloadAndCheck()

      // The organization's commitments; the reload straight after typing in the last cell.
      await press(
        issueOf(anaPanel).getByText('What each organization takes on and needs', { exact: true }),
        touch,
      )
      await typed(cell('Takes on'), 'Keeps the doors open two evenings')
      await typed(cell('Needs from the partners'), 'Rides home after 8 pm')
      await typeThenReload(cell('Needs from its parent organization'), 'Paid staff', ' hours')

      // The answers of stages 0 and 6-8; the reload straight after the agreement notes.
      for (const [id, question] of READINESS) {
        await ticked((panel) =>
          panel.getByRole('group', { name: question }).getByRole('radio', { name: 'Not sure' }),
        )
        await typed(
          (panel) =>
            panel
              .locator('.cg-plan-question')
              .filter({ has: panel.page().getByRole('group', { name: question }) })
              .getByLabel('Note', { exact: true }),
          `Note on ${id}: ask the boards in May`,
        )
      }
      for (const [i, label] of TEXT_ANSWERS.entries()) {
        await typed(byLabel(label), `Answer ${i + 1}: ${label.toLowerCase()}, in our words`)
      }
      await ticked((panel) =>
        panel
          .getByRole('group', { name: 'Does our leadership reflect the people we serve?' })
          .getByRole('radio', { name: 'Yes' }),
      )
      await press(anaPanel.getByRole('button', { name: 'Add an indicator' }), touch)
      await typed(byLabel('Indicator 1'), 'Families housed within 90 days')
      await chose(byLabel('Kind of indicator'), 'qualitative')
      await typed(byLabel('Where the data comes from'), 'The shared intake form')
      await typed(byLabel('How we collect and share the data'), 'A monthly export, names removed')
      await chose(byLabel('How often we review progress'), 'quarterly')
      await typed(byLabel('How we keep it going'), 'A line in each partner’s budget')
      await typed(byLabel('Lead (backbone) organization'), 'Eastside Library')
      await press(anaPanel.getByRole('button', { name: 'Add a role' }), touch)
      await chose(byLabel('Role 1'), 'data')
      await typed(byLabel('Who holds it (person or organization)'), 'Rosa, Eastside Library')
      await ticked((panel) => panel.getByRole('checkbox', { name: 'Steering committee' }))
      await chose(byLabel('Written agreement (MOU)'), 'drafting')
      await typeThenReload(
        byLabel('Notes on the agreement'),
        'Lawyers read it in June',
        ', signed by July',
      )
      await ana.context().close()
      await ben.context().close()
    })
  }
})

const ISSUE = 'shape:issueCare'
const ORG = 'shape:liveOrg'

/**
 * A failed check, with what each page's copy of the board holds in its plan and what the server
 * refused or closed, so a failure says whether a value was never written, lost on the way (a
 * refused update makes its page load the board afresh), or only not shown.
 */
async function withPlansShown(error: unknown, who: string, pages: Page[]): Promise<Error> {
  const boards = await Promise.all(
    pages.map((page) =>
      page
        .evaluate(() => JSON.stringify(window.commonGround.connection.doc.getMap('plan').toJSON()))
        .catch((reason: Error) => `(not readable: ${reason.message})`),
    ),
  )
  const failure = error instanceof Error ? error : new Error(String(error))
  const refusals = session.server.logs
    .filter((line) => /refused|closed for bad input|failed/.test(line.msg))
    .map((line) => JSON.stringify(line))
  failure.message +=
    `\nin ${who}'s panel; plans: Ana ${boards[0]}\nBen ${boards[1]}` +
    `\nserver: ${refusals.length > 0 ? refusals.join('\n') : 'nothing refused'}`
  return failure
}

/** Where a field is in a plan panel. */
type Find = (panel: Locator) => Locator
interface Entered {
  locate: Find
  /** The field's value, or whether a radio or checkbox is on. */
  value: string | boolean
}

/** A field of step 1 of the one issue. */
const step =
  (name: string): Find =>
  (panel) =>
    panel
      .getByRole('region', { name: '1. Evening childcare' })
      .getByLabel(`${name}, step 1`, { exact: true })

/** A commitment cell of the one organization. */
const cell =
  (name: string): Find =>
  (panel) =>
    panel
      .getByRole('region', { name: '1. Evening childcare' })
      .getByLabel(`Eastside Library: ${name}`, { exact: true })

const byLabel =
  (label: string): Find =>
  (panel) =>
    panel.getByLabel(label, { exact: true })

/** The retreat template's readiness questions (stage 0). */
const READINESS = [
  ['leadership', 'Do the leaders of every organization back this partnership?'],
  ['capacity', 'Do we have the staff and the time to carry it?'],
  ['funding', 'Do we have a plan for paying for the shared work?'],
  ['conflict', 'Have we agreed how we will settle disagreements?'],
  ['tracking', 'Will we keep track of what the partnership achieves?'],
  ['signatory', 'Do we know who will sign the partnership agreement?'],
] as const

/** The free-text answers of stage 6: the community, then the capacity. */
const TEXT_ANSWERS = [
  'What the community needs most',
  'What it already has to draw on',
  'Who we mean to serve',
  'Who they are (age, language, income…)',
  'How we will reach them',
  'Trends that affect them',
  'Who leads the work',
  'Which organizations take part',
  'Training we need',
  'Staff hours each partner can give',
  'What could get in the way',
]
