/** Production bundle size of the client, as shipped (raw and gzip). */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Measurement } from './report.ts'

export function bundleSize(clientDist: string): Measurement[] {
  const assets = join(clientDist, 'assets')
  let js = 0
  let jsGzip = 0
  let css = 0
  let cssGzip = 0
  for (const name of readdirSync(assets)) {
    const bytes = readFileSync(join(assets, name))
    if (name.endsWith('.js')) {
      js += bytes.byteLength
      jsGzip += gzipSync(bytes, { level: 9 }).byteLength
    } else if (name.endsWith('.css')) {
      css += bytes.byteLength
      cssGzip += gzipSync(bytes, { level: 9 }).byteLength
    }
  }
  const kib = (n: number) => Math.round(n / 102.4) / 10
  return [
    { suite: 'bundle', metric: 'JS (raw)', value: kib(js), unit: 'KiB' },
    { suite: 'bundle', metric: 'JS (gzip -9)', value: kib(jsGzip), unit: 'KiB' },
    {
      suite: 'bundle',
      metric: 'CSS (gzip -9)',
      value: kib(cssGzip),
      unit: 'KiB',
      note: `raw ${kib(css)} KiB`,
    },
  ]
}
