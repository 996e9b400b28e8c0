/**
 * The sort panel beside the canvas: group the selected notes into a theme, merge duplicates,
 * park notes; the themes with "ungroup"; the parking lot with "bring back", for the review at
 * the end of the day. Every action is a button reachable by keyboard and named for screen
 * readers; what it did is said in a live region (SortAnnouncer).
 */
import { MAX_LINE_LENGTH } from '@common-ground/shared/board'
import { itemTextOf, partsOf, storedParts } from '@common-ground/shared/themes'
import { type FormEvent, useId, useState } from 'react'
import { type TLShapeId, useValue } from 'tldraw'
import { useBoardView } from '../board/BoardViewContext.tsx'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardAccess } from '../session/BoardModelContext.tsx'
import { notesOfTheme, parkedNotes, selectedNotes, themesOnPage } from './sortNotes.ts'
import { sortNotice } from './sortNotice.ts'
import { useSorting } from './useSorting.ts'
import './sort.css'

export const SORT_PANEL_ID = 'cg-sort-panel'

export function SortPanel() {
  const { t } = useI18n()
  const { editor } = useBoardView()
  const { readOnly } = useBoardAccess()
  const sorting = useSorting(editor)
  const headingId = useId()
  const id = useId()
  const [title, setTitle] = useState('')
  const selected = useValue('selected notes', () => (editor ? selectedNotes(editor).length : 0), [
    editor,
  ])
  const themes = useValue(
    'themes',
    () =>
      editor
        ? themesOnPage(editor).map((theme) => ({
            id: theme.id,
            title: itemTextOf(theme),
            count: notesOfTheme(editor, theme.id).length,
          }))
        : [],
    [editor],
  )
  const parked = useValue(
    'parked notes',
    () =>
      editor
        ? parkedNotes(editor).map((note) => ({
            id: note.id,
            text: itemTextOf(note),
            merged: storedParts(note) ? partsOf(note).length : 0,
          }))
        : [],
    [editor],
  )
  const notice = useValue('sort notice', () => sortNotice.get(), [])

  function group(event: FormEvent) {
    event.preventDefault()
    if (sorting.group(title)) setTitle('')
  }

  return (
    <aside id={SORT_PANEL_ID} className="cg-plan-panel cg-sort-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('sort.title')}</h2>
      {!readOnly && (
        <section className="cg-sort-actions" aria-labelledby={`${id}-sel`}>
          <p className="cg-hint">{t('sort.intro')}</p>
          <p id={`${id}-sel`} data-testid="sort-selected">
            <strong>{t('sort.selected', { count: selected })}</strong>
          </p>
          <form onSubmit={group} className="cg-sort-group">
            <label htmlFor={`${id}-title`}>{t('sort.themeTitle')}</label>
            <input
              id={`${id}-title`}
              className="cg-input"
              value={title}
              maxLength={MAX_LINE_LENGTH}
              placeholder={t('sort.themeTitleDefault')}
              onChange={(event) => setTitle(event.target.value)}
            />
            <button type="submit" className="cg-button">
              {t('sort.group')}
            </button>
          </form>
          <button type="button" className="cg-button" onClick={() => sorting.merge()}>
            {t('sort.merge')}
          </button>
          <p className="cg-hint">{t('sort.mergeHint')}</p>
          <button type="button" className="cg-button" onClick={() => sorting.park()}>
            {t('sort.park')}
          </button>
          <p className="cg-hint">{t('sort.parkShortcut')}</p>
          {notice && (
            <p className="cg-hint" data-testid="sort-notice">
              {notice.text}
            </p>
          )}
        </section>
      )}
      <section aria-labelledby={`${id}-themes`}>
        <h3 id={`${id}-themes`}>{t('sort.themes')}</h3>
        {themes.length === 0 ? (
          <p className="cg-hint">{t('sort.noThemes')}</p>
        ) : (
          <ul className="cg-plan-list" data-testid="theme-list">
            {themes.map((theme) => (
              <li key={theme.id} className="cg-sort-row" data-theme={theme.id}>
                <button
                  type="button"
                  className="cg-link-button"
                  aria-label={t('sort.showTheme', { title: theme.title })}
                  onClick={() => {
                    editor?.select(theme.id as TLShapeId)
                    editor?.zoomToSelection({ animation: { duration: 200 } })
                  }}
                >
                  {t('sort.themeRow', { title: theme.title, count: theme.count })}
                </button>
                {!readOnly && (
                  <button
                    type="button"
                    className="cg-button"
                    aria-label={t('sort.ungroup', { title: theme.title })}
                    onClick={() => sorting.ungroup(theme.id as TLShapeId)}
                  >
                    {t('sort.ungroupShort')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby={`${id}-parked`}>
        <h3 id={`${id}-parked`}>{t('sort.parkingLot')}</h3>
        {parked.length === 0 ? (
          <p className="cg-hint">{t('sort.parkingEmpty')}</p>
        ) : (
          <ul className="cg-plan-list" data-testid="parking-list">
            {parked.map((note) => (
              <li key={note.id} className="cg-sort-row" data-note={note.id}>
                <span>
                  {note.text || t('plan.emptyNote')}
                  {note.merged > 0 && (
                    <span className="cg-hint">
                      {' '}
                      · {t('sort.mergedFrom', { count: note.merged })}
                    </span>
                  )}
                </span>
                {!readOnly && (
                  <button
                    type="button"
                    className="cg-button"
                    aria-label={t('sort.bringBack', { text: note.text || t('plan.emptyNote') })}
                    onClick={() => sorting.bringBack(note.id as TLShapeId)}
                  >
                    {t('sort.bringBackShort')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </aside>
  )
}
