import { T } from '@tldraw/validate'
import { describe, expect, it } from 'vitest'
import { MAX_LINE_LENGTH, MAX_TEXT_LENGTH } from '../board/text.ts'
import { answerValidator } from './answer.ts'
import { capacityAssessmentValidator, emptyCapacityAssessment } from './capacity.ts'
import { communityAssessmentValidator, emptyCommunityAssessment } from './community.ts'
import { blankIndicatorEntry, emptyEvaluationPlan, evaluationPlanValidator } from './evaluation.ts'
import { boardSchemaForTests, intersectionCard, organizationCard } from './fixtures.ts'
import { intersectionCardProps, intersectionValidator } from './intersection.ts'
import { issueCandidateValidator, plainTextOf } from './issue.ts'
import { MAX_ACTIVITIES, organizationCardProps, organizationValidator } from './organization.ts'
import { readinessItemValidator } from './readiness.ts'
import { emptyPartnershipStructure, partnershipStructureValidator } from './structure.ts'

const organization = {
  id: 'shape:org',
  name: 'Eastside Housing Authority',
  kind: 'public',
  activities: [{ activity: 'Rental assistance', measure: 'Households housed' }],
  fundingSources: 'HUD',
  performanceAffectsFunding: 'unsure',
  offers: 'Caseworkers',
  needs: 'Job referrals',
}

const intersection = {
  id: 'shape:meet',
  title: 'Referrals',
  ideal: 'A shared intake',
  result: 'Fewer missed families',
  evidence: 'Monthly referral counts',
  organizations: ['shape:org'],
}

describe('plan structure validators', () => {
  it('accept every valid structure', () => {
    expect(organizationValidator.validate(organization)).toEqual(organization)
    expect(organizationValidator.isValid({ ...organization, kind: null })).toBe(true)
    expect(intersectionValidator.validate(intersection)).toEqual(intersection)
    expect(
      readinessItemValidator.isValid({ id: 'q', question: 'Ready?', answer: null, note: '' }),
    ).toBe(true)
    for (const answer of ['yes', 'no', 'unsure', null])
      expect(answerValidator.isValid(answer)).toBe(true)
    expect(communityAssessmentValidator.isValid(emptyCommunityAssessment())).toBe(true)
    expect(capacityAssessmentValidator.isValid(emptyCapacityAssessment())).toBe(true)
    expect(evaluationPlanValidator.isValid(emptyEvaluationPlan())).toBe(true)
    expect(
      evaluationPlanValidator.isValid({
        indicators: [
          {
            id: 'i',
            ...blankIndicatorEntry('qualitative'),
            name: 'Stories',
            dataSource: 'Interviews',
            values: [],
          },
        ],
        dataSharing: 'Monthly',
        reviewCadence: 'twiceYearly',
        sustain: '',
      }),
    ).toBe(true)
    expect(partnershipStructureValidator.isValid(emptyPartnershipStructure())).toBe(true)
    expect(
      partnershipStructureValidator.isValid({
        backbone: 'United Way',
        roles: [{ id: 'r', role: 'fundraising', holder: 'Luis', note: '' }],
        bodies: ['advisoryCouncil'],
        agreement: 'signed',
        agreementNotes: 'MOU signed in May',
      }),
    ).toBe(true)
    expect(
      issueCandidateValidator.isValid({ id: 'shape:n', text: 'x', color: 'blue', cluster: null }),
    ).toBe(true)
  })

  it('reject each kind of invalid structure', () => {
    const invalidOrganizations = [
      { ...organization, kind: 'government' }, // not a kind
      { ...organization, name: 7 }, // wrong type
      { ...organization, name: 'x'.repeat(MAX_LINE_LENGTH + 1) }, // too long
      { ...organization, offers: 'x'.repeat(MAX_TEXT_LENGTH + 1) },
      { ...organization, performanceAffectsFunding: 'maybe' },
      { ...organization, activities: [{ activity: 'x' }] }, // row missing a field
      { ...organization, activities: 'teaching' },
      { ...organization, extra: true }, // unknown field
      (({ needs: _needs, ...rest }) => rest)(organization), // missing field
    ]
    for (const value of invalidOrganizations)
      expect(organizationValidator.isValid(value)).toBe(false)
    expect(intersectionValidator.isValid({ ...intersection, organizations: [1] })).toBe(false)
    expect(intersectionValidator.isValid({ ...intersection, evidence: null })).toBe(false)
    expect(readinessItemValidator.isValid({ id: 'q', question: 'Q', answer: 'Y', note: '' })).toBe(
      false,
    )
    expect(
      communityAssessmentValidator.isValid({ ...emptyCommunityAssessment(), needs: undefined }),
    ).toBe(false)
    expect(
      capacityAssessmentValidator.isValid({
        ...emptyCapacityAssessment(),
        leadershipDiverse: true,
      }),
    ).toBe(false)
    expect(
      evaluationPlanValidator.isValid({
        ...emptyEvaluationPlan(),
        indicators: [{ id: 'i', ...blankIndicatorEntry(), kind: 'numeric', values: [] }],
      }),
    ).toBe(false)
    expect(
      evaluationPlanValidator.isValid({ ...emptyEvaluationPlan(), reviewCadence: 'daily' }),
    ).toBe(false)
    expect(
      partnershipStructureValidator.isValid({
        ...emptyPartnershipStructure(),
        bodies: ['steeringCommittee', 'steeringCommittee'],
      }),
    ).toBe(false)
    expect(
      partnershipStructureValidator.isValid({ ...emptyPartnershipStructure(), agreement: 'maybe' }),
    ).toBe(false)
    expect(issueCandidateValidator.isValid({ id: 'shape:n', text: 'x', color: 'blue' })).toBe(false)
  })
})

describe('card props', () => {
  const organizationProps = T.object(organizationCardProps)
  const intersectionProps = T.object(intersectionCardProps)

  it('accept the default and filled cards', () => {
    expect(organizationProps.isValid(organizationCard('o').props)).toBe(true)
    expect(intersectionProps.isValid(intersectionCard('i', { title: 'Meet' }).props)).toBe(true)
  })

  it('reject bad sizes, too many activities and unknown props', () => {
    const props = organizationCard('o').props
    expect(organizationProps.isValid({ ...props, w: 10 })).toBe(false)
    expect(organizationProps.isValid({ ...props, h: Number.NaN })).toBe(false)
    const rows = Array.from({ length: MAX_ACTIVITIES + 1 }, () => ({ activity: '', measure: '' }))
    expect(organizationProps.isValid({ ...props, activities: rows })).toBe(false)
    expect(intersectionProps.isValid({ ...intersectionCard('i').props, colour: 'red' })).toBe(false)
  })

  it('the board schema refuses a card record with invalid props', () => {
    const card = organizationCard('o')
    expect(() =>
      boardSchemaForTests.validateRecord(
        null as never,
        { ...card, props: { ...card.props, kind: 'spaceship' } } as never,
        'tests',
        null,
      ),
    ).toThrow(/kind/)
  })
})

describe('plainTextOf', () => {
  it('joins blocks by lines and keeps hard breaks', () => {
    const doc = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'One ' },
            { type: 'text', text: 'idea' },
          ],
        },
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'a' },
            { type: 'hardBreak' },
            { type: 'text', text: 'b' },
          ],
        },
      ],
    }
    expect(plainTextOf(doc)).toBe('One idea\na\nb')
  })

  it('survives odd input', () => {
    expect(plainTextOf(null)).toBe('')
    expect(plainTextOf({ type: 'doc', content: 'nope' })).toBe('')
    expect(plainTextOf({ type: 'text', text: 5 })).toBe('')
  })
})
