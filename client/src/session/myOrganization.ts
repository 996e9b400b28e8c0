/**
 * Which organization this person belongs to, per board, kept on this device only (observers may
 * choose too). The board model holds it as a signal; this is its storage.
 */
const STORAGE_KEY = 'common-ground.my-organization'

function readAll(): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}')
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {}
  } catch {
    return {}
  }
}

export function loadMyOrganization(boardId: string): string | null {
  const value = readAll()[boardId]
  return typeof value === 'string' && value !== '' ? value : null
}

export function saveMyOrganization(boardId: string, organization: string | null): void {
  const all = readAll()
  if (organization) all[boardId] = organization
  else delete all[boardId]
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(all))
  } catch {
    // Private windows may refuse storage: the choice then lasts for this visit only.
  }
}
