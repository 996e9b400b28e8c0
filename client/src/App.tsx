import { lazy, Suspense } from 'react'
import { HomePage } from './home/HomePage.tsx'
import { useI18n } from './i18n/I18nProvider.tsx'

// Each page is its own chunk: the board brings tldraw; the Progress view is light enough for a
// phone and never loads it.
const BoardPage = lazy(() =>
  import('./board/BoardPage.tsx').then((module) => ({ default: module.BoardPage })),
)
const ProgressPage = lazy(() =>
  import('./progress/ProgressPage.tsx').then((module) => ({ default: module.ProgressPage })),
)

/**
 * Three routes: `/` starts a board, `/b/:boardId` opens one, `/b/:boardId/progress` follows its
 * action plan. The server serves all three.
 */
export function App() {
  const match = /^\/b\/([^/]+)(\/progress)?\/?$/.exec(window.location.pathname)
  if (!match?.[1]) return <HomePage />
  const boardId = decodeURIComponent(match[1])
  return (
    <Suspense fallback={<Loading />}>
      {match[2] ? <ProgressPage boardId={boardId} /> : <BoardPage boardId={boardId} />}
    </Suspense>
  )
}

function Loading() {
  const { t } = useI18n()
  return (
    <main className="cg-page cg-loading" aria-busy="true">
      <p role="status">{t('board.loading')}</p>
    </main>
  )
}
