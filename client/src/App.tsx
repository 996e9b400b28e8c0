import { lazy, Suspense } from 'react'
import { HomePage } from './home/HomePage.tsx'
import { useI18n } from './i18n/I18nProvider.tsx'

// The board is a chunk of its own: it brings tldraw, which the start page does not need.
const BoardPage = lazy(() =>
  import('./board/BoardPage.tsx').then((module) => ({ default: module.BoardPage })),
)

/** Two routes: `/` starts a board, `/b/:boardId` opens one. The server serves both. */
export function App() {
  const match = /^\/b\/([^/]+)\/?$/.exec(window.location.pathname)
  if (!match?.[1]) return <HomePage />
  return (
    <Suspense fallback={<Loading />}>
      <BoardPage boardId={decodeURIComponent(match[1])} />
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
