/** The few HTTP calls the app makes to its own server (same origin). */
import type { BoardTemplate, Locale } from '@common-ground/shared'

export interface BoardSummary {
  id: string
  title: string
  template: BoardTemplate
  createdAt: number
}

export type ApiResult<T> =
  | { ok: true; value: T }
  | { ok: false; kind: 'not-found' }
  | { ok: false; kind: 'network' }
  | { ok: false; kind: 'server'; status: number; message: string }

async function call<T>(input: string, init?: RequestInit): Promise<ApiResult<T>> {
  let response: Response
  try {
    response = await fetch(input, init)
  } catch {
    return { ok: false, kind: 'network' }
  }
  if (response.ok) return { ok: true, value: (await response.json()) as T }
  if (response.status === 404) return { ok: false, kind: 'not-found' }
  let message = response.statusText
  try {
    message =
      ((await response.json()) as { error?: { message?: string } }).error?.message ?? message
  } catch {
    // Not JSON: keep the status text.
  }
  return { ok: false, kind: 'server', status: response.status, message }
}

/** `locale` words the template's stage titles and prompts, which are laid out once. */
export function createBoard(title: string, template: BoardTemplate, locale: Locale) {
  return call<BoardSummary & { links: { board: string } }>('/api/boards', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title, template, locale }),
  })
}

export function getBoard(id: string) {
  return call<BoardSummary>(`/api/boards/${encodeURIComponent(id)}`)
}
