import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import './styles.css'
import { App } from './App.tsx'
import { I18nProvider } from './i18n/I18nProvider.tsx'

// A board's link check and connection start while the board page's code (tldraw) still loads.
const boardId = /^\/b\/([^/]+)\/?$/.exec(window.location.pathname)?.[1]
if (boardId) {
  void import('./board/boardOpening.ts').then(({ startOpeningBoard }) =>
    startOpeningBoard(decodeURIComponent(boardId)),
  )
}

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <App />
    </I18nProvider>
  </StrictMode>,
)

// The app keeps working when the venue wifi or the server drops (see public/sw.js).
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch((error) => {
    console.warn('Offline support is unavailable:', error)
  })
}
