import { describe, expect, it } from 'vitest'
import { fairOrder } from './fairOrder.ts'

const items = Array.from({ length: 12 }, (_, i) => `shape:note-${i}`)

describe('fairOrder', () => {
  it('gives one person the same order in one round, whatever order the items come in', () => {
    const first = fairOrder(items, 'hAlice', 'vote-1')
    expect(fairOrder(items, 'hAlice', 'vote-1')).toEqual(first)
    expect(fairOrder([...items].reverse(), 'hAlice', 'vote-1')).toEqual(first)
  })

  it('keeps every item exactly once and leaves the input alone', () => {
    const copy = [...items]
    const order = fairOrder(items, 'hBob', 'vote-1')
    expect([...order].sort()).toEqual([...items].sort())
    expect(items).toEqual(copy)
  })

  it('gives different people different orders', () => {
    const orders = new Set(
      Array.from({ length: 20 }, (_, i) => fairOrder(items, `hPerson${i}`, 'vote-1').join()),
    )
    // 12! orders: twenty people sharing one would mean the seed ignores the person.
    expect(orders.size).toBe(20)
  })

  it('shuffles anew for a new round', () => {
    expect(fairOrder(items, 'hAlice', 'vote-2')).not.toEqual(fairOrder(items, 'hAlice', 'vote-1'))
  })

  it('puts each item first about equally often across people', () => {
    const firsts = new Map<string, number>()
    for (let i = 0; i < 1200; i++) {
      const first = fairOrder(items, `h${i}`, 'vote-1')[0] as string
      firsts.set(first, (firsts.get(first) ?? 0) + 1)
    }
    expect(firsts.size).toBe(items.length)
    // 100 expected each; a seeded run, so the bounds are fixed, not flaky.
    for (const count of firsts.values()) {
      expect(count).toBeGreaterThan(60)
      expect(count).toBeLessThan(140)
    }
  })

  it('orders objects by their key', () => {
    const objects = items.map((id) => ({ id }))
    expect(fairOrder(objects, 'hAlice', 'vote-1', (o) => o.id).map((o) => o.id)).toEqual(
      fairOrder(items, 'hAlice', 'vote-1'),
    )
  })

  it('keeps the order without a person id, and handles empty and single lists', () => {
    expect(fairOrder(items, null, 'r')).toEqual(items)
    expect(fairOrder([], 'hAna', 'r')).toEqual([])
    expect(fairOrder(['a'], 'hAna', 'r')).toEqual(['a'])
  })
})
