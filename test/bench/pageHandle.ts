/**
 * The slice of the client's `window.commonGround` handle (client/src/board/automationHandle.ts)
 * that code running inside pages (page.evaluate) uses. Kept structural so the test package does
 * not compile the client.
 */
type Point = { x: number; y: number }
type ShapeRef = { id: string }

export interface PageEditor {
  createShape(shape: { id?: string; type: string; x?: number; y?: number }): void
  updateShape(shape: { id: never; type: string; x?: number; meta?: Record<string, unknown> }): void
  getShape(id: never): unknown
  getCurrentPageShapes(): ShapeRef[]
  getShapePageBounds(shape: ShapeRef | string): { center: Point } | undefined
  pageToViewport(point: Point): Point
  store: {
    listen(
      listener: (entry: {
        changes: { updated: Record<string, [unknown, { meta: object }]> }
      }) => void,
      filters: { source: string; scope: string },
    ): () => void
  }
}

declare global {
  interface Window {
    /** Present once a board is open; benchmarks wait for that before using it. */
    commonGround: {
      editor: PageEditor
      connection: {
        status: { get(): string }
        /** The board's Yjs document (typed only as far as tests read it). */
        doc: { getMap(name: string): { toJSON(): unknown } }
      }
      docBytes(): number
    }
  }
}
