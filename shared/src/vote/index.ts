/** `@common-ground/shared/vote`: dot voting: sessions, ballots, `votes` map, tallies, results. */
export * from './ballot.ts'
export * from './results.ts'
export * from './session.ts'
export * from './tally.ts'
export * from './voteDoc.ts'
export * from './voteKeys.ts'
export * from './voteRules.ts'
