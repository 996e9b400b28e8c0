/**
 * Writing the agreement-only fields (see fields.ts). Each write goes through `setPlanEntry`, so
 * it is validated exactly as the server's write review validates it, and throws
 * `PlanDataError` before anything is sent.
 */
import type * as Y from 'yjs'
import { readPlanEntries, readPlanEntry, setPlanEntry } from '../plan/planData.ts'
import {
  type AgreementFields,
  type AgreementList,
  agreementFieldKey,
  agreementFieldsFrom,
  agreementItemKey,
  type ContactEntry,
  type SignatoryEntry,
} from './fields.ts'

/** Sets when the agreement takes effect (`yyyy-mm-dd`), or clears it with `null`. */
export function setAgreementDate(doc: Y.Doc, date: string | null, origin?: unknown): void {
  setPlanEntry(doc, agreementFieldKey('effectiveDate'), date, origin)
}

/** Sets how long the agreement runs ('' clears it). */
export function setAgreementTerm(doc: Y.Doc, term: string, origin?: unknown): void {
  setPlanEntry(doc, agreementFieldKey('term'), term === '' ? undefined : term, origin)
}

type EntryOf<L extends AgreementList> = L extends 'signatories' ? SignatoryEntry : ContactEntry

/**
 * Adds, changes (some fields, merged into the entry as the doc holds it now) or, with `null`,
 * removes one signatory or contact.
 */
export function setAgreementPerson<L extends AgreementList>(
  doc: Y.Doc,
  list: L,
  id: string,
  change: Partial<EntryOf<L>> | null,
  origin?: unknown,
): void {
  const key = agreementItemKey(list, id)
  if (change === null) {
    setPlanEntry(doc, key, undefined, origin)
    return
  }
  const current = readPlanEntry(doc, key)
  const blank: ContactEntry | SignatoryEntry =
    list === 'signatories'
      ? { name: '', title: '', organization: null }
      : { name: '', organization: null, email: '', phone: '' }
  const base = typeof current === 'object' && current !== null ? current : blank
  setPlanEntry(doc, key, { ...base, ...change }, origin)
}

/** The agreement-only fields of a doc as they stand (invalid entries left out). */
export function readAgreementFields(doc: Y.Doc): AgreementFields {
  return agreementFieldsFrom(readPlanEntries(doc))
}
