/**
 * The sorting actions as this person may use them, worded in their language: the sort panel,
 * the context menu and the Shift+P shortcut all go through here, so they say the same things.
 */
import { itemTextOf, MergeError, voteStoppingMerge } from '@common-ground/shared/themes'
import { useCallback, useMemo } from 'react'
import type { Editor, TLShapeId } from 'tldraw'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useVotes } from '../session/BoardModelContext.tsx'
import {
  bringBack,
  groupIntoTheme,
  mergeSelected,
  notesOfTheme,
  parkNotes,
  selectedNotes,
  ungroupTheme,
} from './sortNotes.ts'
import { showSortNotice } from './sortNotice.ts'

export interface Sorting {
  group(title: string): boolean
  merge(): boolean
  park(): boolean
  ungroup(themeId: TLShapeId): void
  bringBack(noteId: TLShapeId): void
}

export function useSorting(editor: Editor | null): Sorting {
  const { t } = useI18n()
  const votes = useVotes()
  const park = useCallback(() => {
    if (!editor) return false
    const notes = selectedNotes(editor)
    if (notes.length === 0) {
      showSortNotice(t('sort.needNotes'))
      return false
    }
    parkNotes(editor, notes, t('stage.parkingLot.title'))
    showSortNotice(t('sort.parked', { count: notes.length }))
    return true
  }, [editor, t])
  return useMemo(
    () => ({
      group(title) {
        if (!editor) return false
        const notes = selectedNotes(editor)
        if (notes.length === 0) {
          showSortNotice(t('sort.needNotes'))
          return false
        }
        const name = title.trim() || t('sort.themeTitleDefault')
        groupIntoTheme(editor, notes, name)
        showSortNotice(t('sort.grouped', { count: notes.length, title: name }))
        return true
      },
      merge() {
        if (!editor) return false
        const notes = selectedNotes(editor)
        if (notes.length < 2) {
          showSortNotice(t('sort.needTwo'))
          return false
        }
        // The server's rule, asked first: a running vote's notes merge only among themselves.
        const [kept, ...absorbed] = notes
        if (
          voteStoppingMerge(
            kept?.id as string,
            absorbed.map((note) => note.id),
            [...votes.sessions.values()],
          ) !== null
        ) {
          showSortNotice(t('sort.voteStops'))
          return false
        }
        try {
          mergeSelected(editor, notes)
        } catch (error) {
          if (!(error instanceof MergeError)) throw error
          showSortNotice(t(error.reason === 'tooMany' ? 'sort.tooMany' : 'sort.tooLong'))
          return false
        }
        showSortNotice(t('sort.merged', { count: notes.length }))
        return true
      },
      park,
      ungroup(themeId) {
        if (!editor) return
        const theme = editor.getShape(themeId)
        const title = (theme?.props as { name?: string } | undefined)?.name ?? ''
        const count = notesOfTheme(editor, themeId).length
        ungroupTheme(editor, themeId)
        showSortNotice(`${t('sort.ungrouped', { title })} ${t('sort.selected', { count })}`)
      },
      bringBack(noteId) {
        if (!editor) return
        const text = itemTextOf(editor.getShape(noteId))
        bringBack(editor, noteId)
        showSortNotice(t('sort.broughtBack', { text }))
      },
    }),
    [editor, t, park, votes],
  )
}
