import { describe, expect, it } from 'vitest'
import { ACTION_ISSUE_CARD } from './actionCard.ts'
import { homeStageOf } from './homeStage.ts'
import { INTERSECTION_CARD } from './intersection.ts'
import { ORGANIZATION_CARD } from './organization.ts'

describe('the stage a new shape belongs in', () => {
  it('puts notes with the issues and each card with its stage', () => {
    expect(homeStageOf('note')).toBe('issues')
    expect(homeStageOf(ORGANIZATION_CARD)).toBe('organizations')
    expect(homeStageOf(INTERSECTION_CARD)).toBe('intersections')
    expect(homeStageOf(ACTION_ISSUE_CARD)).toBe('actionPlan')
  })

  it('has none for other shapes, nor for names inherited from Object', () => {
    expect(homeStageOf('geo')).toBeNull()
    expect(homeStageOf('frame')).toBeNull()
    expect(homeStageOf('toString')).toBeNull()
  })
})
