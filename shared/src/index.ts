export * from './boardDoc.ts'
export * from './boardId.ts'
export * from './i18n/index.ts'
export * from './reconnectPolicy.ts'
