/**
 * Roles in three browsers: the facilitator (A, facilitate link), a participant (B, edit link)
 * and an observer (C, view link). C cannot add anything: the controls are gone and a write forced
 * from its console is taken back by the server, with a message. A closes the board and reopens
 * it; A replaces the participant link and B's page says its link no longer works. A change B
 * forces from the console is refused whole and B's page loads the board afresh without it.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import { screenshotPath } from '../support/screenshots.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

const person = (url: string, name: string) => openBoardAs(session.browser, url, name)

const isReadonly = (page: Page) =>
  page.evaluate(
    () =>
      (
        window.commonGround.editor as unknown as { getInstanceState(): { isReadonly: boolean } }
      ).getInstanceState().isReadonly,
  )
const hasShape = (page: Page, id: string) =>
  page.evaluate((shapeId) => Boolean(window.commonGround.editor.getShape(shapeId as never)), id)

/**
 * What someone can do from the browser's console: put a complete, valid note on the board (and,
 * with `lockStage`, lock that stage in the same transaction), past every control of the app.
 */
const forceFromConsole = (page: Page, noteId: string, lockStage?: string) =>
  page.evaluate(
    ({ noteId, lockStage }) => {
      const { editor, connection } = window.commonGround as unknown as {
        editor: {
          store: { schema: { types: { shape: { create(r: object): { id: string } } } } }
          getShapeUtil(type: string): { getDefaultProps(): object }
        }
        connection: {
          doc: {
            transact(f: () => void): void
            getMap(name: string): { set(key: string, value: unknown): void }
            getArray(name: string): { push(items: unknown[]): void }
          }
        }
      }
      const note = editor.store.schema.types.shape.create({
        id: noteId,
        type: 'note',
        parentId: 'page:page',
        index: 'a9',
        props: editor.getShapeUtil('note').getDefaultProps(),
      })
      connection.doc.transact(() => {
        if (lockStage) connection.doc.getMap('facilitation').set(`locked/${lockStage}`, true)
        connection.doc.getArray('records').push([{ key: note.id, val: note }])
      })
    },
    { noteId, lockStage },
  )

describe('roles', () => {
  it('keeps an observer from changing the board, in the UI and at the server', async () => {
    const { links } = await createBoard(session.server, {
      title: 'Roles check',
      template: 'retreat',
    })
    const ana = await person(links.facilitate, 'Ana')
    const cleo = await person(links.view, 'Cleo')
    // Opening the board writes nothing from a view link (tldraw's own user record stays local).
    await cleo.waitForTimeout(1000)
    expect(await cleo.getByTestId('write-refused').textContent()).toBe('')
    // The key left the address bar (it may be on a projector) and stayed in the browser.
    expect(new URL(cleo.url()).hash).toBe('')

    expect(await isReadonly(cleo)).toBe(true)
    expect(await cleo.getByTestId('read-only').textContent()).toBe('View only')
    expect(await cleo.getByRole('button', { name: 'Add sticky note' }).count()).toBe(0)
    expect(await cleo.getByRole('button', { name: 'Share' }).count()).toBe(0)
    expect(await ana.getByRole('button', { name: 'Add sticky note' }).count()).toBe(1)

    // A write forced from the console: the server takes it back and Cleo is told why.
    await forceFromConsole(cleo, 'shape:forced')
    await expect
      .poll(() => cleo.getByTestId('write-refused').textContent())
      .toContain('can only view the board')
    await ana.getByRole('button', { name: 'Add sticky note' }).click()
    await expect
      .poll(() => cleo.evaluate(() => window.commonGround.editor.getCurrentPageShapes().length))
      .toBeGreaterThan(0)
    expect(await hasShape(ana, 'shape:forced')).toBe(false)
    expect(await hasShape(cleo, 'shape:forced')).toBe(false)
    expect(await cleo.locator('[data-status="live"]').count()).toBe(1)
  })

  it('closes the board to participants and lets a facilitator replace their link', async () => {
    const { links } = await createBoard(session.server, { title: 'After the retreat' })
    const ana = await person(links.facilitate, 'Ana')
    const ben = await person(links.edit, 'Ben')
    expect(await isReadonly(ben)).toBe(false)

    await ana.getByRole('button', { name: 'Share' }).click()
    const dialog = ana.getByRole('dialog', { name: 'Share this board' })
    expect(await dialog.getByLabel('Observer link', { exact: true }).inputValue()).toBe(links.view)
    await dialog.getByRole('button', { name: 'Close the board to edits' }).click()
    await expect.poll(() => ben.getByTestId('read-only').textContent()).toBe('Closed to edits')
    expect(await isReadonly(ben)).toBe(true)
    expect(await isReadonly(ana)).toBe(false)
    await dialog.getByRole('button', { name: 'Reopen the board for edits' }).click()
    await expect.poll(() => isReadonly(ben)).toBe(false)

    ana.once('dialog', (confirm) => confirm.accept())
    await dialog.getByRole('button', { name: 'Replace the Participant link' }).click()
    await expect
      .poll(() => dialog.getByLabel('Participant link', { exact: true }).inputValue())
      .not.toBe(links.edit)
    await ben.locator('[data-status="refused"]').waitFor()
    expect(await ben.locator('[data-status="refused"]').textContent()).toContain(
      'no longer lets this link open the board',
    )
    // The facilitator is still live.
    expect(await ana.locator('[data-status="live"]').count()).toBe(1)
  })

  it('reloads a participant whose forced change was refused, without the change', async () => {
    const { links } = await createBoard(session.server, { title: 'Refused', template: 'retreat' })
    const ana = await person(links.facilitate, 'Ana')
    const ben = await person(links.edit, 'Ben')
    await ben.getByRole('button', { name: 'Add sticky note' }).click()
    await expect
      .poll(() => ana.evaluate(() => window.commonGround.editor.getCurrentPageShapes().length))
      .toBeGreaterThan(0)
    const shapesBefore = await ana.evaluate(
      () => window.commonGround.editor.getCurrentPageShapes().length,
    )
    // From Ben's console: lock a stage (a facilitator's change) and add a note in the same go.
    const reloaded = ben.waitForEvent('load')
    await forceFromConsole(ben, 'shape:sneaky', 'issues')
    // Ben's page drops its copy and loads the board afresh; the reason stays on screen.
    await reloaded
    await expect
      .poll(() => ben.getByTestId('write-refused').textContent())
      .toContain('Only a facilitator can change that')
    await ben.locator('[data-status="live"]').waitFor()
    expect(await hasShape(ben, 'shape:sneaky')).toBe(false)
    expect(await hasShape(ana, 'shape:sneaky')).toBe(false)
    expect(await ana.evaluate(() => window.commonGround.editor.getCurrentPageShapes().length)).toBe(
      shapesBefore,
    )
    // Ben carries on: his next note reaches Ana.
    await ben.getByRole('button', { name: 'Add sticky note' }).click()
    await expect
      .poll(() => ana.evaluate(() => window.commonGround.editor.getCurrentPageShapes().length))
      .toBe(shapesBefore + 1)
    await ben.screenshot({ path: screenshotPath('refused-reload.png') })
  })
})
