/**
 * Where e2e tests leave the screenshots (and the report's PDF) that a person looks at after a
 * run: `test/screenshots/` of this checkout, or `SCREENSHOTS_DIR`. One directory per checkout, so
 * two clones testing at once do not overwrite each other's pictures.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const SCREENSHOTS_DIR = process.env.SCREENSHOTS_DIR
  ? path.resolve(process.env.SCREENSHOTS_DIR)
  : fileURLToPath(new URL('../screenshots', import.meta.url))

/** The path to save `name` at, its directory made if needed. */
export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true })
  return path.join(SCREENSHOTS_DIR, name)
}
