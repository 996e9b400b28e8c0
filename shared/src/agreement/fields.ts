/**
 * What only the written agreements need and the retreat's stages do not ask: when the agreement
 * takes effect, how long it runs, who signs it and whom to call. Kept in the plan map like every
 * other answer, one key per field or per person, validated on the way in (the write review, via
 * `planData.ts`) and on the way out (`readAgreementFields`):
 *
 * | key                            | value |
 * |--------------------------------|-------|
 * | `agreement/effectiveDate`      | `yyyy-mm-dd`, or `null` |
 * | `agreement/term`               | text, one line ("two years, renewed by letter") |
 * | `agreement/signatories/<id>`   | `SignatoryEntry` {name, title, organization} |
 * | `agreement/contacts/<id>`      | `ContactEntry` {name, organization, email, phone} |
 *
 * `organization` is an organization card's shape id, or `null` for someone outside the cards
 * (a parent agency, a funder). `PartnershipPlan.agreement` carries them (so `plan.json` does);
 * the agreement drafts are what reads them.
 */
import { T } from '@tldraw/validate'
import { boundedText, MAX_LINE_LENGTH } from '../board/text.ts'
import { isoDateValidator, shapeIdValidator } from '../plan/actionPlan.ts'

export const AGREEMENT_PREFIX = 'agreement'

export interface SignatoryEntry {
  name: string
  /** Their title or position ("Executive director"). */
  title: string
  /** The organization card they sign for, or null. */
  organization: string | null
}

export interface ContactEntry {
  name: string
  organization: string | null
  email: string
  phone: string
}

export interface Signatory extends SignatoryEntry {
  id: string
}

export interface Contact extends ContactEntry {
  id: string
}

export interface AgreementFields {
  /** `yyyy-mm-dd`, or null until decided. */
  effectiveDate: string | null
  /** How long the agreement runs, as the partners put it; '' until decided. */
  term: string
  /** In id order (ids made by `newAgreementItemId` sort by creation). */
  signatories: Signatory[]
  contacts: Contact[]
}

const line = boundedText(MAX_LINE_LENGTH)
const organization = T.nullable(shapeIdValidator)

export const signatoryEntryValidator: T.ObjectValidator<SignatoryEntry> = T.object({
  name: line,
  title: line,
  organization,
})

export const contactEntryValidator: T.ObjectValidator<ContactEntry> = T.object({
  name: line,
  organization,
  email: line,
  phone: line,
})

/** The fields as `PartnershipPlan.agreement` (and `plan.json`) hold them. */
export const agreementFieldsValidator: T.Validator<AgreementFields> = T.object({
  effectiveDate: T.nullable(isoDateValidator),
  term: line,
  signatories: T.arrayOf(signatoryEntryValidator.extend({ id: T.string })),
  contacts: T.arrayOf(contactEntryValidator.extend({ id: T.string })),
})

/** The single-value fields, for `planData.ts` (keys `agreement/<field>`). */
export const agreementFieldValidators = {
  effectiveDate: T.nullable(isoDateValidator),
  term: line,
}
export type AgreementField = keyof typeof agreementFieldValidators

export const AGREEMENT_LISTS = {
  signatories: signatoryEntryValidator,
  contacts: contactEntryValidator,
} as const
export type AgreementList = keyof typeof AGREEMENT_LISTS

export const agreementFieldKey = (field: AgreementField) => `${AGREEMENT_PREFIX}/${field}`
export const agreementItemKey = (list: AgreementList, id: string) =>
  `${AGREEMENT_PREFIX}/${list}/${id}`

export function emptyAgreementFields(): AgreementFields {
  return { effectiveDate: null, term: '', signatories: [], contacts: [] }
}

/**
 * An id for a new signatory or contact: the time in base 36 (so ids sort as they were made, and
 * the document lists people in the order they were added), then a random tail.
 */
export function newAgreementItemId(now = Date.now()): string {
  const random = Math.random().toString(36).slice(2, 8).padEnd(6, '0')
  return `${now.toString(36).padStart(9, '0')}${random}`
}

/**
 * The agreement-only fields from plan entries as the doc holds them (plain JSON). An entry that
 * does not validate is left out, as `derivePlan` leaves out a bad answer; the caller gets what
 * stands.
 */
export function agreementFieldsFrom(entries: ReadonlyMap<string, unknown>): AgreementFields {
  const fields = emptyAgreementFields()
  const valid = <V>(validator: T.Validator<V>, value: unknown): V | undefined => {
    try {
      return validator.validate(value)
    } catch {
      return undefined
    }
  }
  const date = valid(agreementFieldValidators.effectiveDate, entries.get('agreement/effectiveDate'))
  if (date !== undefined) fields.effectiveDate = date
  const term = valid(agreementFieldValidators.term, entries.get('agreement/term'))
  if (term !== undefined) fields.term = term
  const keys = [...entries.keys()].filter((key) => key.startsWith(`${AGREEMENT_PREFIX}/`)).sort()
  for (const key of keys) {
    const [, list, id, extra] = key.split('/')
    if (!id || extra !== undefined) continue
    if (list === 'signatories') {
      const entry = valid(signatoryEntryValidator, entries.get(key))
      if (entry) fields.signatories.push({ id, ...entry })
    } else if (list === 'contacts') {
      const entry = valid(contactEntryValidator, entries.get(key))
      if (entry) fields.contacts.push({ id, ...entry })
    }
  }
  return fields
}
