/**
 * A hand-written SVG line chart: p99 latency (log scale) against clients, one line per server.
 * Pure string building, so it is unit-tested without a browser.
 */

export interface Series {
  label: string
  points: { x: number; y: number }[]
}

const COLORS = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#7f7f7f']

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Powers of ten (and 2×, 5× between them) covering [min, max]. */
export function logTicks(min: number, max: number): number[] {
  const ticks: number[] = []
  const low = Math.floor(Math.log10(Math.max(min, 1e-3)))
  const high = Math.ceil(Math.log10(Math.max(max, min, 1e-3)))
  for (let power = low; power <= high && ticks.length < 40; power++) {
    for (const step of [1, 2, 5]) {
      const value = step * 10 ** power
      if (value >= min / 1.0001 && value <= max * 1.0001) ticks.push(value)
    }
  }
  return ticks
}

export function latencyChartSvg(
  series: readonly Series[],
  { title = 'Fan-out p99 latency', xLabel = 'clients on one board', yLabel = 'p99 ms (log)' } = {},
): string {
  const width = 720
  const height = 420
  const left = 70
  const right = 170
  const top = 40
  const bottom = 50
  const plotW = width - left - right
  const plotH = height - top - bottom
  const points = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.y) && p.y > 0)
  const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b)
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...points.map((p) => p.y), 1)))
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...points.map((p) => p.y), 10)))
  // x: evenly spaced categories (the client counts), so 10 and 50 do not crowd together.
  const xAt = (x: number) =>
    left + (xs.length <= 1 ? plotW / 2 : (xs.indexOf(x) / (xs.length - 1)) * plotW)
  const yAt = (y: number) =>
    top +
    plotH -
    ((Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * plotH
  const parts: string[] = []
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="24" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  )
  for (const tick of logTicks(yMin, yMax)) {
    const y = yAt(tick).toFixed(1)
    parts.push(
      `<line x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${tick}</text>`,
    )
  }
  for (const x of xs) {
    const px = xAt(x).toFixed(1)
    parts.push(
      `<line x1="${px}" x2="${px}" y1="${top}" y2="${top + plotH}" stroke="#eee"/>`,
      `<text x="${px}" y="${top + plotH + 16}" text-anchor="middle">${x}</text>`,
    )
  }
  parts.push(
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
    `<text x="${left + plotW / 2}" y="${height - 10}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text transform="translate(16 ${top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`,
  )
  for (const [index, s] of series.entries()) {
    const color = COLORS[index % COLORS.length]
    const valid = s.points.filter((p) => Number.isFinite(p.y) && p.y > 0)
    const path = valid.map((p) => `${xAt(p.x).toFixed(1)},${yAt(p.y).toFixed(1)}`).join(' ')
    if (valid.length > 1) {
      parts.push(`<polyline points="${path}" fill="none" stroke="${color}" stroke-width="2"/>`)
    }
    for (const p of valid) {
      parts.push(
        `<circle cx="${xAt(p.x).toFixed(1)}" cy="${yAt(p.y).toFixed(1)}" r="3.5" fill="${color}"><title>${escapeXml(s.label)}: ${p.y.toFixed(1)} ms at ${p.x}</title></circle>`,
      )
    }
    const ly = top + 10 + index * 20
    parts.push(
      `<line x1="${left + plotW + 15}" x2="${left + plotW + 40}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${left + plotW + 46}" y="${ly}" dominant-baseline="middle">${escapeXml(s.label)}</text>`,
    )
  }
  parts.push('</svg>')
  return `${parts.join('\n')}\n`
}
