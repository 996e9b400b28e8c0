/**
 * The intersection map, end to end: in page A a participant fills an organization card and an
 * intersection card and draws an arrow from one to the other; page B's plan panel shows the
 * link in its matrix.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard, withToken } from '../support/boards.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

const person = (url: string, name: string) => openBoardAs(session.browser, url, name)

async function addCard(page: Page, button: string, text: string) {
  await page.getByRole('button', { name: button }).click()
  await page.waitForFunction(() => document.activeElement?.tagName === 'INPUT')
  await page.keyboard.type(text)
  await page.keyboard.press('Escape')
  await page.keyboard.press('Escape')
}

/** Centre of the only shape of `type`, in viewport pixels. */
function centerOf(page: Page, type: string) {
  return page.evaluate((shapeType) => {
    const editor = window.commonGround.editor
    const shape = editor
      .getCurrentPageShapes()
      .find((s) => (s as { type?: string }).type === shapeType)
    if (!shape) throw new Error(`no ${shapeType} on the page`)
    const center = editor.getShapePageBounds(shape)?.center
    if (!center) throw new Error('no bounds')
    return editor.pageToViewport(center)
  }, type)
}

describe('intersection map', () => {
  it('shows in page B the link page A drew by arrow, and links or unlinks from the keyboard', async () => {
    const { url } = await createBoard(session.server, { title: 'Map check', template: 'blank' })
    const ana = await person(url, 'Ana')
    const ben = await person(url, 'Ben')

    await addCard(ana, 'Add organization card', 'Eastside Housing Authority')
    await addCard(ana, 'Add intersection card', 'Safe homes for families')
    // Like a person, first bring both cards into view (zoom to fit), then draw.
    await ana.keyboard.press('Shift+1')
    await ana.waitForTimeout(400)
    const from = await centerOf(ana, 'cg-organization')
    const to = await centerOf(ana, 'cg-intersection')
    await ana.keyboard.press('a')
    await ana.mouse.move(from.x, from.y)
    await ana.mouse.down()
    await ana.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 })
    await ana.mouse.move(to.x, to.y, { steps: 5 })
    await ana.mouse.up()

    await ben.getByRole('button', { name: 'Plan' }).click()
    const panel = ben.getByRole('complementary', { name: 'Partnership plan' })
    const row = panel.getByRole('row', { name: /Eastside Housing Authority/ })
    await expect.poll(() => row.count()).toBe(1)
    expect(await panel.getByRole('columnheader', { name: 'Safe homes for families' }).count()).toBe(
      1,
    )
    const toggle = panel.getByRole('button', {
      name: 'Link Eastside Housing Authority and Safe homes for families',
    })
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true')

    // The same link from the keyboard, in B's panel: unlink, then link again.
    const arrowsIn = (page: Page) =>
      page.evaluate(
        () =>
          window.commonGround.editor
            .getCurrentPageShapes()
            .filter((shape) => (shape as { type?: string }).type === 'arrow').length,
      )
    const boardId = new URL(url).pathname.split('/').pop() as string
    const links = async () =>
      (
        await (
          await fetch(withToken(`${session.server.url}/api/boards/${boardId}/plan.json`, boardId))
        ).json()
      ).links.length
    await toggle.focus()
    await ben.keyboard.press('Space')
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('false')
    await expect.poll(() => arrowsIn(ana)).toBe(0)
    await expect.poll(links).toBe(0)
    await ben.keyboard.press('Space')
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true')
    await expect.poll(() => arrowsIn(ana)).toBe(1)
    await expect.poll(links).toBe(1)

    await ana.context().close()
    await ben.context().close()
  })

  it('takes the answers of stages 0 and 6-8 as fields, live for others and in plan.json', async () => {
    const { id: boardId, url } = await createBoard(session.server, {
      title: 'Answers check',
      template: 'retreat',
    })
    const ana = await person(url, 'Ana')
    const ben = await person(url, 'Ben')
    await ben.getByRole('button', { name: 'Plan' }).click()
    const panel = ben.getByRole('complementary', { name: 'Partnership plan' })

    // Stage 0 and 6 answers, entered in B's panel as structured fields, reach A and the export.
    const readiness = panel.getByRole('group', {
      name: 'Do we have a plan for paying for the shared work?',
    })
    await readiness.getByRole('radio', { name: 'Yes' }).check()
    await panel.getByLabel('What the community needs most').fill('Evening childcare near transit')
    await ana.getByRole('button', { name: 'Plan' }).click()
    const anaPanel = ana.getByRole('complementary', { name: 'Partnership plan' })
    await expect
      .poll(() =>
        anaPanel
          .getByRole('group', { name: 'Do we have a plan for paying for the shared work?' })
          .getByRole('radio', { name: 'Yes' })
          .isChecked(),
      )
      .toBe(true)
    await expect
      .poll(() => anaPanel.getByLabel('What the community needs most').inputValue())
      .toBe('Evening childcare near transit')

    // Stages 7 and 8: an indicator, a review cadence, a role and a governing body.
    await panel.getByRole('button', { name: 'Add an indicator' }).click()
    await panel.getByLabel('Indicator 1').fill('Families housed within 90 days')
    await panel.getByLabel('Unit (what the numbers count)').fill('families')
    await panel.getByLabel('Baseline').fill('12')
    await panel.getByLabel('Target').fill('40.5')
    await panel.getByLabel('How often it is measured').selectOption('monthly')
    await panel.getByLabel('How often we review progress').selectOption('quarterly')
    await panel.getByRole('button', { name: 'Add a role' }).click()
    await panel.getByLabel('Role 1').selectOption('data')
    await panel.getByLabel('Who holds it (person or organization)').fill('Rosa, Eastside Housing')
    await panel.getByRole('checkbox', { name: 'Steering committee' }).check()
    await expect
      .poll(async () => {
        const current = await (
          await fetch(withToken(`${session.server.url}/api/boards/${boardId}/plan.json`, boardId))
        ).json()
        return {
          indicators: current.evaluation.indicators.map(
            (i: {
              name: string
              unit: string
              baseline: number
              target: number
              frequency: string
            }) => [i.name, i.unit, i.baseline, i.target, i.frequency],
          ),
          cadence: current.evaluation.reviewCadence,
          roles: current.structure.roles.map((r: { role: string; holder: string }) => [
            r.role,
            r.holder,
          ]),
          bodies: current.structure.bodies,
        }
      })
      .toEqual({
        indicators: [['Families housed within 90 days', 'families', 12, 40.5, 'monthly']],
        cadence: 'quarterly',
        roles: [['data', 'Rosa, Eastside Housing']],
        bodies: ['steeringCommittee'],
      })

    const plan = await (
      await fetch(withToken(`${session.server.url}/api/boards/${boardId}/plan.json`, boardId))
    ).json()
    expect(plan.community.needs).toBe('Evening childcare near transit')
    expect(plan.readiness.find((item: { id: string }) => item.id === 'funding')?.answer).toBe('yes')

    await ana.context().close()
    await ben.context().close()
  })
})
