/**
 * Sorting from the canvas itself: Shift+P sends the selected notes to the parking lot (not a
 * tldraw shortcut), the context menu (right click, long press, or the keyboard's menu key) offers
 * the same actions as the sort panel for selected notes, and a live region says what happened.
 */
import { useEffect } from 'react'
import {
  DefaultContextMenu,
  DefaultContextMenuContent,
  type Editor,
  type TLUiContextMenuProps,
  TldrawUiMenuGroup,
  TldrawUiMenuItem,
  useEditor,
  useValue,
} from 'tldraw'
import { useBoardView } from '../board/BoardViewContext.tsx'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardAccess } from '../session/BoardModelContext.tsx'
import { isThemeShape, selectedNotes } from './sortNotes.ts'
import { sortNotice } from './sortNotice.ts'
import { type Sorting, useSorting } from './useSorting.ts'

/** Shift+P on the canvas parks the selected notes. */
function useParkingShortcut(editor: Editor | null, sorting: Sorting, readOnly: boolean) {
  useEffect(() => {
    if (!editor || readOnly) return
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'P' || !event.shiftKey) return
      if (event.ctrlKey || event.metaKey || event.altKey) return
      const target = event.target as HTMLElement | null
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return
      // Like tldraw's own shortcuts: only while the canvas has focus and nothing is being edited.
      if (!editor.getInstanceState().isFocused || editor.getEditingShapeId() !== null) return
      event.preventDefault()
      event.stopPropagation()
      sorting.park()
    }
    document.addEventListener('keydown', onKey, true)
    return () => document.removeEventListener('keydown', onKey, true)
  }, [editor, sorting, readOnly])
}

/**
 * The parking shortcut, and each sorting notice said once, politely, wherever the keyboard is.
 */
export function SortingKeys() {
  const { editor } = useBoardView()
  const { readOnly } = useBoardAccess()
  const sorting = useSorting(editor)
  useParkingShortcut(editor, sorting, readOnly)
  const notice = useValue('sort notice', () => sortNotice.get(), [])
  return (
    <div className="cg-visually-hidden" role="status" aria-live="polite">
      {notice && <span key={notice.serial}>{notice.text}</span>}
    </div>
  )
}

/** tldraw's context menu, with the sorting actions first when notes or a theme are selected. */
export function SortContextMenu(props: TLUiContextMenuProps) {
  return (
    <DefaultContextMenu {...props}>
      <SortMenuGroup />
      <DefaultContextMenuContent />
    </DefaultContextMenu>
  )
}

function SortMenuGroup() {
  const editor = useEditor()
  const { t } = useI18n()
  const { openPanel } = useBoardView()
  const { readOnly } = useBoardAccess()
  const sorting = useSorting(editor)
  const notes = useValue('selected notes', () => selectedNotes(editor).length, [editor])
  const theme = useValue('selected theme', () => {
    const only = editor.getOnlySelectedShape()
    return isThemeShape(only ?? undefined) ? only?.id : undefined
  }, [editor])
  if (readOnly || (notes === 0 && !theme)) return null
  return (
    <TldrawUiMenuGroup id="cg-sort">
      {notes > 0 && (
        <TldrawUiMenuItem
          id="cg-group-theme"
          label={t('sort.group')}
          onSelect={() => openPanel('sort')}
        />
      )}
      {notes > 1 && (
        <TldrawUiMenuItem
          id="cg-merge"
          label={t('sort.merge')}
          onSelect={() => {
            sorting.merge()
          }}
        />
      )}
      {notes > 0 && (
        <TldrawUiMenuItem
          id="cg-park"
          label={t('sort.park')}
          kbd="shift+p"
          onSelect={() => {
            sorting.park()
          }}
        />
      )}
      {theme && (
        <TldrawUiMenuItem
          id="cg-ungroup-theme"
          label={t('sort.ungroupShort')}
          onSelect={() => sorting.ungroup(theme)}
        />
      )}
    </TldrawUiMenuGroup>
  )
}
