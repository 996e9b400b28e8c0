/**
 * `@common-ground/shared/agreement`: written agreements drafted from the plan — a memorandum of
 * understanding and a data-sharing agreement — as a model (model.ts), and the agreement-only
 * fields the board keeps for them (fields.ts, commands.ts). The Word renderer is a subpath of
 * its own, `@common-ground/shared/agreement/docx` (docx.ts), so what imports the model does not
 * pull the `docx` package in with it (the app loads it only when someone downloads a draft).
 */
export * from './commands.ts'
export * from './fields.ts'
export * from './model.ts'
