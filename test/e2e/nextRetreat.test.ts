/**
 * "Start the next retreat from this plan" end to end: the facilitator finds the button in the
 * plan panel (by keyboard), confirms, and lands on the new board, which has the partners and the
 * open step (not the done one) and links back to the last retreat; the last retreat's Progress
 * view links to the new one; a participant is never offered the button; axe finds no serious or
 * critical violation in the panel's part.
 */
import { organizationCard, putRecords } from '@common-ground/shared/fixtures'
import { addStep, setActionIssue } from '@common-ground/shared/plan'
import { describe, expect, it } from 'vitest'
import { createBoard, withToken } from '../support/boards.ts'
import { connectClient } from '../support/yclient.ts'
import { seriousViolations } from './axe.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()
const ISSUE = 'shape:issueHousing'

describe('the next retreat', () => {
  it('starts from the plan panel and opens with the partners and the open steps', async () => {
    const board = await createBoard(session.server, {
      title: 'Eastside partnership',
      template: 'retreat',
    })
    const seed = connectClient(session.server.wsUrl, board.id)
    await seed.whenSynced()
    putRecords(seed.doc, [
      organizationCard('eastside', { name: 'Eastside Housing Authority' }),
      organizationCard('aldea', { name: 'Aldea Niños' }, { x: 400 }),
    ])
    setActionIssue(seed.doc, ISSUE, {
      title: 'Safe housing for families',
      rank: 1,
      sessionId: null,
    })
    addStep(seed.doc, ISSUE, {
      id: 'hall',
      what: 'Book the hall',
      person: 'Ana',
      organization: 'shape:eastside',
      order: 'a1',
    })
    addStep(seed.doc, ISSUE, { id: 'flyer', what: 'Print the flyer', status: 'done', order: 'a2' })
    await expect
      .poll(async () => {
        const response = await fetch(
          withToken(`${session.server.url}/api/boards/${board.id}/plan.json`, board.id),
        )
        return JSON.stringify(await response.json()).includes('Print the flyer')
      })
      .toBe(true)
    seed.destroy()

    // A participant is shown no button.
    const ben = await openBoardAs(session.browser, board.links.edit, 'Ben')
    await ben.getByRole('button', { name: 'Plan', exact: true }).click()
    await ben.getByRole('complementary', { name: 'Partnership plan' }).waitFor()
    expect(
      await ben.getByRole('button', { name: 'Start the next retreat from this plan' }).count(),
    ).toBe(0)

    const fran = await openBoardAs(session.browser, board.url, 'Fran')
    await fran.getByRole('button', { name: 'Plan', exact: true }).click()
    const panel = fran.getByRole('complementary', { name: 'Partnership plan' })
    const nextRetreat = panel.getByRole('region', { name: 'The next retreat' })
    const start = nextRetreat.getByRole('button', { name: 'Start the next retreat from this plan' })
    await start.waitFor()
    // No retreat before this one: no links.
    expect(await panel.getByRole('region', { name: 'Retreats' }).count()).toBe(0)
    expect(await seriousViolations(fran, '[data-testid="next-retreat"]')).toEqual([])
    // By keyboard: focus, Enter, and the confirmation says what comes along.
    let question = ''
    fran.once('dialog', (dialog) => {
      question = dialog.message()
      void dialog.accept()
    })
    await start.focus()
    await Promise.all([
      fran.waitForURL((url) => url.pathname.startsWith('/b/') && !url.pathname.endsWith(board.id)),
      fran.keyboard.press('Enter'),
    ])
    expect(question).toContain('partners (2)')
    expect(question).toContain('open steps (1)')
    const newId = new URL(fran.url()).pathname.split('/')[2] as string
    expect(newId).not.toBe(board.id)
    // This browser holds the new board's facilitator key: it opens live, as a facilitator.
    await fran.locator('[data-status="live"]').waitFor()
    await fran.getByRole('button', { name: 'Plan', exact: true }).click()
    const newPanel = fran.getByRole('complementary', { name: 'Partnership plan' })
    const partners = newPanel.getByRole('region', { name: 'Organizations (2)' })
    await partners.getByText('Eastside Housing Authority', { exact: true }).waitFor()
    await partners.getByText('Aldea Niños', { exact: true }).waitFor()
    // The steps are fields of the action plan: the open one came along, the done one did not.
    const fieldValues = () =>
      newPanel
        .locator('textarea, input')
        .evaluateAll((fields) => fields.map((field) => (field as HTMLInputElement).value))
    await expect
      .poll(async () => (await fieldValues()).includes('Book the hall'), { timeout: 10_000 })
      .toBe(true)
    expect(await fieldValues()).not.toContain('Print the flyer')
    const back = newPanel.getByRole('region', { name: 'Retreats' }).getByRole('link', {
      name: 'Eastside partnership',
    })
    expect(await back.getAttribute('href')).toBe(`/b/${board.id}`)
    // This new board has no next retreat yet: a facilitator may start one from it too.
    await newPanel.getByRole('button', { name: 'Start the next retreat from this plan' }).waitFor()

    // The last retreat's Progress view links to the new one.
    const progress = await openBoardAs(
      session.browser,
      board.links.view.replace(`/b/${board.id}`, `/b/${board.id}/progress`),
      'Mia',
    )
    const onward = progress
      .getByRole('region', { name: 'Retreats' })
      .getByRole('link', { name: 'Eastside partnership (next retreat)' })
    await onward.waitFor()
    expect(await onward.getAttribute('href')).toBe(`/b/${newId}`)
  })
})
