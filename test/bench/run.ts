/**
 * `pnpm bench` (`--quick` for a shorter run): measures, prints a table, writes JSON under
 * test/bench/results/. Numbers live here, never as timed assertions in the test suite.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer } from '../support/server.ts'
import { browserLiveBoard } from './browserLiveBoard.ts'
import { bundleSize } from './bundleSize.ts'
import { type Measurement, printTable, writeResults } from './report.ts'

const here = dirname(fileURLToPath(import.meta.url))
const quick = process.argv.includes('--quick')
const rows: Measurement[] = [...bundleSize(join(here, '../../client/dist'))]

const server = await startServer()
try {
  rows.push(...(await browserLiveBoard(server, quick)))
} finally {
  await server.stop()
}

printTable(rows)
console.log(`\nwritten: ${writeResults(rows, join(here, 'results'), { quick })}`)
