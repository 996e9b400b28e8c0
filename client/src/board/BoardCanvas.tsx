import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { type Editor, EditorProvider, type TLComponents, Tldraw, useValue } from 'tldraw'
import { ChangeAnnouncer } from '../a11y/ChangeAnnouncer.tsx'
import { WriteRefusedAlert } from '../access/WriteRefusedAlert.tsx'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { ActionCards } from '../plan/ActionCards.tsx'
import { PLAN_PANEL_ID, PlanPanel } from '../plan/PlanPanel.tsx'
import { BrainstormNotice } from '../room/BrainstormNotice.tsx'
import { PEOPLE_PANEL_ID, PeoplePanel } from '../room/PeoplePanel.tsx'
import { StageHighlight } from '../room/StageHighlight.tsx'
import { useRoomCanvas } from '../room/useRoomCanvas.ts'
import { BoardModelContext } from '../session/BoardModelContext.tsx'
import { cardShapeUtils } from '../shapes/index.ts'
import { stageShapeUtils } from '../shapes/stageShapes.tsx'
import { SortContextMenu, SortingKeys } from '../themes/SortingCanvas.tsx'
import { SORT_PANEL_ID, SortPanel } from '../themes/SortPanel.tsx'
import { installSortingGuards } from '../themes/sortNotes.ts'
import { VoteOverlay } from '../vote/VoteOverlay.tsx'
import { VOTE_PANEL_ID, VotePanel } from '../vote/VotePanel.tsx'
import { AppBarNoticesContext } from './AppBarNotices.tsx'
import { BoardBar } from './BoardBar.tsx'
import { type BoardView, BoardViewContext, type SidePanel } from './BoardViewContext.tsx'
import { BoardNoteShapeUtil } from './noteShape.ts'
import { SidePanelFrame } from './SidePanelFrame.tsx'
import { EDITOR_OPTIONS } from './textEditing.ts'
import { type BoardToOpen, useEditorOnBoard, useOpenBoard } from './useOpenBoard.ts'

// Fonts, icons and translations are bundled and served by our own server: venues are offline.
const assetUrls = getAssetUrlsByImport()
// Our own controls are not in tldraw's slots: they live in the board's bar above the canvas
// (BoardBar), so they never float over the board or over tldraw's menus.
const components: TLComponents = {
  InFrontOfTheCanvas: VoteOverlay,
  OnTheCanvas: StageHighlight,
  ContextMenu: SortContextMenu,
}
/**
 * Our cards, tldraw's sticky note with smaller type for long text, and its frame and text
 * drawing the template's stage titles and prompts in each person's language.
 */
const shapeUtils = [...cardShapeUtils, BoardNoteShapeUtil, ...stageShapeUtils]
const PANEL_IDS = {
  plan: PLAN_PANEL_ID,
  vote: VOTE_PANEL_ID,
  people: PEOPLE_PANEL_ID,
  sort: SORT_PANEL_ID,
} as const
const licenseKey = import.meta.env.VITE_TLDRAW_LICENSE_KEY || undefined

export function BoardCanvas(
  props: Omit<BoardToOpen, 'locale'> & {
    /** False while the join dialog asks for a name: nothing of this person is published yet. */
    present: boolean
    requestRename(): void
  },
) {
  const { t, locale } = useI18n()
  const { open: live, failure, users } = useOpenBoard({ ...props, locale })
  const [editor, setEditor] = useState<Editor | null>(null)
  useEditorOnBoard(editor, live, users, locale, props.present)
  // Which side panel shows beside the canvas: one at a time.
  const [panel, setPanel] = useState<SidePanel | null>(null)
  const togglePanel = useCallback(
    (next: SidePanel) => setPanel((open) => (open === next ? null : next)),
    [],
  )

  // Our bar and panels sit outside tldraw's container: they follow its light or dark theme too.
  const colorMode = useValue('color mode', () => editor?.getColorMode() ?? null, [editor])
  const [notices, setNotices] = useState<HTMLElement | null>(null)
  // People list, private brainstorm and stage locks (running the room).
  useRoomCanvas(live?.model ?? null, editor, props.present)
  // A pasted merged note starts unmerged (themes/sortNotes.ts).
  useEffect(() => (editor ? installSortingGuards(editor) : undefined), [editor])
  // Once named, the keyboard is on the canvas, as when a board opens (tldraw could not take it
  // while the board behind the join dialog was inert).
  const wasPresent = useRef(props.present)
  useEffect(() => {
    if (props.present && !wasPresent.current) editor?.focus()
    wasPresent.current = props.present
  }, [editor, props.present])

  const view = useMemo<BoardView>(
    () => ({
      editor,
      panel,
      togglePanel,
      openPanel: setPanel,
      requestRename: props.requestRename,
    }),
    [editor, panel, togglePanel, props.requestRename],
  )

  if (failure) {
    return (
      <main className="cg-page">
        <p role="alert" className="cg-error">
          {failure}
        </p>
      </main>
    )
  }
  if (!live) {
    return (
      <main className="cg-page cg-loading" aria-busy="true">
        <p role="status">{t('board.loading')}</p>
      </main>
    )
  }
  return (
    <BoardModelContext.Provider value={live.model}>
      <BoardViewContext.Provider value={view}>
        <div
          className={`cg-board${colorMode ? ` tl-theme__${colorMode}` : ''}`}
          data-panel-open={panel !== null}
        >
          {/* One bar for the whole page: status, panels, running the room, adding, sharing;
              under it a row of notices. It takes its height from the canvas, which never has
              our controls over it. The editor's context reaches the bar's room controls. */}
          <header className="cg-appbar">
            {editor && (
              <EditorProvider editor={editor}>
                <BoardBar />
              </EditorProvider>
            )}
            <div className="cg-appbar-notices" ref={setNotices}>
              <BrainstormNotice />
              <WriteRefusedAlert />
            </div>
          </header>
          <AppBarNoticesContext.Provider value={notices}>
            <div className="cg-canvas">
              <Tldraw
                store={live.store}
                shapeUtils={shapeUtils}
                assetUrls={assetUrls}
                components={components}
                // Keys typed as a note opens stay in order (textEditing.ts).
                options={EDITOR_OPTIONS}
                licenseKey={licenseKey}
                // Follow the device's light/dark setting until the person picks one in tldraw's menu.
                colorScheme="system"
                onMount={(mounted) => {
                  setEditor(mounted)
                  mounted.user.updateUserPreferences({ locale })
                  return () => setEditor(null)
                }}
              />
            </div>
          </AppBarNoticesContext.Provider>
          {panel && (
            <SidePanelFrame panelId={PANEL_IDS[panel]} onClose={() => setPanel(null)}>
              {panel === 'plan' && <PlanPanel />}
              {panel === 'vote' && <VotePanel />}
              {panel === 'people' && <PeoplePanel />}
              {panel === 'sort' && <SortPanel />}
            </SidePanelFrame>
          )}
        </div>
        <ChangeAnnouncer />
        <SortingKeys />
        <ActionCards />
      </BoardViewContext.Provider>
    </BoardModelContext.Provider>
  )
}
