/** A board as both sides see it: its wire contract and its HTTP contract. */
export * from './http.ts'
export * from './lanLinks.ts'
export * from './wire.ts'
