import { describe, expect, it } from 'vitest'
import { derivePlan } from './derivePlan.ts'
import { boardWith, boundArrow, intersectionCard, organizationCard } from './fixtures.ts'
import { intersectionMatrix } from './intersectionMap.ts'

describe('intersectionMatrix', () => {
  it('marks the linked cells, organizations down and intersections across', () => {
    const plan = derivePlan(
      boardWith([
        organizationCard('bank', { name: 'Bank' }),
        organizationCard('school', { name: 'School' }),
        intersectionCard('savings', { title: 'Savings' }),
        intersectionCard('jobs', { title: 'Jobs' }),
        intersectionCard('alone', { title: 'Alone' }),
        ...boundArrow('a', 'bank', 'savings'),
        ...boundArrow('b', 'school', 'jobs'),
        ...boundArrow('c', 'school', 'savings'),
      ]),
    )
    expect(intersectionMatrix(plan)).toEqual({
      organizations: [
        { id: 'shape:bank', name: 'Bank' },
        { id: 'shape:school', name: 'School' },
      ],
      intersections: [
        { id: 'shape:alone', title: 'Alone' },
        { id: 'shape:jobs', title: 'Jobs' },
        { id: 'shape:savings', title: 'Savings' },
      ],
      linked: [
        [false, false, true],
        [false, true, true],
      ],
    })
  })

  it('is empty for a plan without cards', () => {
    expect(intersectionMatrix({ organizations: [], intersections: [] })).toEqual({
      organizations: [],
      intersections: [],
      linked: [],
    })
  })
})
