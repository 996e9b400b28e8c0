/** Creating boards over the public HTTP API, as a facilitator's browser does. */
import type { RunningServer } from './server.ts'

export interface CreatedBoard {
  id: string
  /** The board's page, to open in a browser. */
  url: string
}

export async function createBoard(
  server: RunningServer,
  body: { title?: string; template?: 'blank' | 'retreat'; locale?: string } = {},
): Promise<CreatedBoard> {
  const response = await fetch(`${server.url}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (response.status !== 201) throw new Error(`creating a board answered ${response.status}`)
  const { id } = (await response.json()) as { id: string }
  return { id, url: `${server.url}/b/${id}` }
}
