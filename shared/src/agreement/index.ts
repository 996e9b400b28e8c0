/**
 * `@common-ground/shared/agreement`: written agreements drafted from the plan — a memorandum of
 * understanding and a data-sharing agreement — as a model (model.ts), as a Word file (docx.ts),
 * and the agreement-only fields the board keeps for them (fields.ts, commands.ts).
 */
export * from './commands.ts'
export * from './docx.ts'
export * from './fields.ts'
export * from './model.ts'
