/**
 * `@common-ground/shared/board`: a board as both sides see it. Its document layout and meta, its
 * id, who may do what (roles, links, write rules and their results), what it may hold (plain
 * JSON, bounded text), presence, reconnecting, and the wire and HTTP contracts.
 *
 * For other packages only: modules inside shared import each other by file path, never through
 * a barrel, so no barrel can close an import cycle.
 */
export * from './access.ts'
export * from './boardDoc.ts'
export * from './boardId.ts'
export * from './boardMeta.ts'
export * from './commands.ts'
export * from './http.ts'
export * from './json.ts'
export * from './lanLinks.ts'
export * from './presence.ts'
export * from './reconnectPolicy.ts'
export * from './rules.ts'
export * from './text.ts'
export * from './wire.ts'
export * from './writeRules.ts'
