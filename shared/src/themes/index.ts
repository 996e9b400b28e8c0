/** `@common-ground/shared/themes`: sorting the brainstorm: themes, merged duplicates, the parking lot. */
export * from './merge.ts'
export * from './parkingLot.ts'
export * from './theme.ts'
