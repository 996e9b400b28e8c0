export * from './facilitationKeys.ts'
export * from './facilitationRules.ts'
