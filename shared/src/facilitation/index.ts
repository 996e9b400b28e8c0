export * from './agenda.ts'
export * from './facilitationKeys.ts'
export * from './facilitationRules.ts'
export * from './timer.ts'
