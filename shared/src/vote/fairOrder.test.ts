import { describe, expect, it } from 'vitest'
import { fairOrder } from './fairOrder.ts'

const items = Array.from({ length: 12 }, (_, i) => `shape:issue${i}`)

describe('fairOrder', () => {
  it('is a permutation of the items, and leaves the input as it was', () => {
    const copy = [...items]
    for (let p = 0; p < 50; p++) {
      const order = fairOrder(items, `person-${p}`, 'round-1')
      expect([...order].sort()).toEqual([...items].sort())
    }
    expect(items).toEqual(copy)
  })

  it('is fixed per person and round', () => {
    expect(fairOrder(items, 'ana', 'r1')).toEqual(fairOrder([...items], 'ana', 'r1'))
  })

  it('differs between people and between rounds', () => {
    const orders = new Set<string>()
    for (let p = 0; p < 20; p++) orders.add(fairOrder(items, `person-${p}`, 'r1').join())
    expect(orders.size).toBeGreaterThan(15)
    expect(fairOrder(items, 'ana', 'r1')).not.toEqual(fairOrder(items, 'ana', 'r2'))
  })

  it('puts each item first about equally often across people', () => {
    const first = new Map<string, number>()
    const people = 6000
    for (let p = 0; p < people; p++) {
      const top = fairOrder(items, `p${p}`, 'round')[0] as string
      first.set(top, (first.get(top) ?? 0) + 1)
    }
    const expected = people / items.length
    for (const item of items) {
      expect(first.get(item) ?? 0).toBeGreaterThan(expected * 0.8)
      expect(first.get(item) ?? 0).toBeLessThan(expected * 1.2)
    }
  })

  it('keeps the order without a person id, and handles empty and single lists', () => {
    expect(fairOrder(items, null, 'r')).toEqual(items)
    expect(fairOrder([], 'ana', 'r')).toEqual([])
    expect(fairOrder(['a'], 'ana', 'r')).toEqual(['a'])
  })
})
