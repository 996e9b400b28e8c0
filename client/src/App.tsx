import { BoardPage } from './board/BoardPage.tsx'
import { HomePage } from './home/HomePage.tsx'

/** Two routes: `/` starts a board, `/b/:boardId` opens one. The server serves both. */
export function App() {
  const match = /^\/b\/([^/]+)\/?$/.exec(window.location.pathname)
  if (match?.[1]) return <BoardPage boardId={decodeURIComponent(match[1])} />
  return <HomePage />
}
