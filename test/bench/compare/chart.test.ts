import { describe, expect, it } from 'vitest'
import { latencyChartSvg, logTicks } from './chart.ts'

describe('logTicks', () => {
  it('gives 1-2-5 steps inside the range', () => {
    expect(logTicks(1, 100)).toEqual([1, 2, 5, 10, 20, 50, 100])
    expect(logTicks(10, 10)).toEqual([10])
  })
})

describe('latencyChartSvg', () => {
  it('draws one line and one legend entry per server, escaping labels', () => {
    const svg = latencyChartSvg([
      {
        label: 'ours',
        points: [
          { x: 10, y: 5 },
          { x: 200, y: 20 },
        ],
      },
      {
        label: 'a<b',
        points: [
          { x: 10, y: 7 },
          { x: 200, y: 900 },
        ],
      },
    ])
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg.match(/<polyline/g)).toHaveLength(2)
    expect(svg).toContain('a&lt;b')
    expect(svg).not.toContain('NaN')
  })

  it('skips points without a value', () => {
    const svg = latencyChartSvg([
      {
        label: 'x',
        points: [
          { x: 10, y: Number.NaN },
          { x: 50, y: 3 },
        ],
      },
    ])
    expect(svg).not.toContain('NaN')
    expect(svg).not.toContain('<polyline')
  })
})
