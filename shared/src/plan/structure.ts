/** Stage 8, "Roles and agreement": who coordinates, who does what, and how it is formalized. */
import { T } from '@tldraw/validate'
import { boundedText, MAX_LINE_LENGTH } from '../board/text.ts'

export const PARTNERSHIP_ROLES = [
  'outreach',
  'data',
  'projectManager',
  'communications',
  'fundraising',
  'other',
] as const
export type PartnershipRole = (typeof PARTNERSHIP_ROLES)[number]

export const GOVERNING_BODIES = ['steeringCommittee', 'advisoryCouncil', 'workingGroups'] as const
export type GoverningBody = (typeof GOVERNING_BODIES)[number]

export const AGREEMENT_STATUSES = ['none', 'drafting', 'inReview', 'signed'] as const
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number]

export interface RoleAssignment {
  id: string
  role: PartnershipRole
  /** Who holds it (a person, an organization, or both). */
  holder: string
  note: string
}

export type RoleEntry = Omit<RoleAssignment, 'id'>

/** A role assignment's fields, as its entry in the doc and the plan's assignment both hold them. */
const roleFields = {
  role: T.literalEnum(...PARTNERSHIP_ROLES),
  holder: boundedText(MAX_LINE_LENGTH),
  note: boundedText(),
}

export const roleEntryValidator: T.Validator<RoleEntry> = T.object(roleFields)

export const roleAssignmentValidator: T.Validator<RoleAssignment> = T.object({
  id: T.string,
  ...roleFields,
})

export interface PartnershipStructure {
  /** The backbone (lead) organization. */
  backbone: string
  roles: RoleAssignment[]
  /** Which bodies the partnership sets up. */
  bodies: GoverningBody[]
  /** Where the written agreement (an MOU) stands; `null` until discussed. */
  agreement: AgreementStatus | null
  agreementNotes: string
}

const bodiesValidator = T.arrayOf(T.literalEnum(...GOVERNING_BODIES)).check((bodies) => {
  if (new Set(bodies).size !== bodies.length) throw new T.ValidationError('Expected no repeats')
})

/** The single-value fields (roles are a list, stored one entry each). */
export const structureFieldValidators = {
  backbone: boundedText(MAX_LINE_LENGTH),
  bodies: bodiesValidator,
  agreement: T.nullable(T.literalEnum(...AGREEMENT_STATUSES)),
  agreementNotes: boundedText(),
}

export const partnershipStructureValidator: T.Validator<PartnershipStructure> = T.object({
  roles: T.arrayOf(roleAssignmentValidator),
  ...structureFieldValidators,
})

export function emptyPartnershipStructure(): PartnershipStructure {
  return { backbone: '', roles: [], bodies: [], agreement: null, agreementNotes: '' }
}

/**
 * Whether a role's holder names an organization: its whole name, as a phrase of the holder
 * ("Mia, Aldea Niños" names "Aldea Niños"; "Aldeana" does not name "Aldea"), ignoring case and
 * Unicode composition. Holders are free text, so this is the only link between a role and a
 * partner; the agreement drafts list a partner's roles by it.
 */
export function holderNames(holder: string, organizationName: string): boolean {
  const fold = (text: string) => text.normalize('NFC').trim().toLocaleLowerCase()
  const name = fold(organizationName)
  if (!name) return false
  const text = fold(holder)
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    const before = text.slice(0, at)
    const after = text.slice(at + name.length)
    if (!/[\p{L}\p{N}]$/u.test(before) && !/^[\p{L}\p{N}]/u.test(after)) return true
  }
  return false
}
