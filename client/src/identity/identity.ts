import { newParticipantSecret } from '@common-ground/shared/board'
import { MAX_NAME_LENGTH } from '@common-ground/shared/facilitation'

/**
 * Who I am on this device: a stable random id, the name others see, and a cursor colour.
 * Kept in localStorage; participant identity is per browser until access links arrive.
 */
export interface Identity {
  id: string
  name: string
  color: string
}

const STORAGE_KEY = 'common-ground.identity'

/** Cursor and selection colours, each with at least 3:1 contrast against the light canvas. */
export const PRESENCE_COLORS = [
  '#d6336c',
  '#ae3ec9',
  '#7048e8',
  '#1c7ed6',
  '#0c8599',
  '#2b8a3e',
  '#e8590c',
  '#c92a2a',
] as const

export function loadIdentity(): Identity | null {
  try {
    const parsed = JSON.parse(
      localStorage.getItem(STORAGE_KEY) ?? 'null',
    ) as Partial<Identity> | null
    if (parsed && typeof parsed.id === 'string' && typeof parsed.name === 'string' && parsed.name) {
      return { id: parsed.id, name: parsed.name, color: parsed.color ?? PRESENCE_COLORS[0] }
    }
  } catch {
    // A corrupted entry is treated as a first visit.
  }
  return null
}

export function saveIdentity(identity: Identity): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(identity))
}

export function normalizeName(raw: string): string | null {
  const name = raw.replace(/\s+/g, ' ').trim()
  return name.length > 0 && name.length <= MAX_NAME_LENGTH ? name : null
}

export function createIdentity(name: string): Identity {
  const color = PRESENCE_COLORS[Math.floor(Math.random() * PRESENCE_COLORS.length)] as string
  // Not crypto.randomUUID: it exists only in secure contexts, and a venue LAN is plain http.
  return { id: newParticipantSecret(), name, color }
}
