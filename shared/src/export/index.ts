/**
 * `@common-ground/shared/export`: the plan as Markdown, CSV, JSON and an iCalendar of its due
 * dates; a board from a JSON plan.
 */
export * from './actionTables.ts'
export * from './calendar.ts'
export * from './checkInRecords.ts'
export * from './csv.ts'
export * from './escape.ts'
export * from './ics.ts'
export * from './indicatorTables.ts'
export * from './json.ts'
export * from './markdown.ts'
export * from './nextRetreat.ts'
export * from './ranking.ts'
export * from './rounds.ts'
export * from './seedPlan.ts'
export * from './sorting.ts'
