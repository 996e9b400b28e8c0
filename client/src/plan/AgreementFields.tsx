/**
 * The agreement-only fields (effective date, term, who signs, contacts), edited in the plan
 * panel for the MOU and data-sharing drafts. They are plan entries (`agreement/…`, see
 * shared/src/agreement/fields.ts); the derived plan carries them too, but it is re-derived at
 * most every 250 ms, so this part reads them from the doc and follows the plan map itself. Every
 * write goes through `boardCommands`, which validates it as the server's write review does.
 */
import {
  type AgreementList,
  type Contact,
  type AgreementFields as Fields,
  newAgreementItemId,
  readAgreementFields,
  type Signatory,
} from '@common-ground/shared/agreement'
import { MAX_LINE_LENGTH } from '@common-ground/shared/board'
import { type Organization, PLAN } from '@common-ground/shared/plan'
import { type ReactNode, useEffect, useState } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardModel } from '../session/BoardModelContext.tsx'
import { CommitSelect } from './CommitSelect.tsx'
import { CommitText } from './CommitText.tsx'

/** The agreement fields of the open board, live. */
function useAgreementFields(): Fields {
  const { doc } = useBoardModel()
  const [fields, setFields] = useState(() => readAgreementFields(doc))
  useEffect(() => {
    const plan = doc.getMap(PLAN)
    const update = () => setFields(readAgreementFields(doc))
    update()
    plan.observe(update)
    return () => plan.unobserve(update)
  }, [doc])
  return fields
}

export function AgreementFields({ organizations }: { organizations: readonly Organization[] }) {
  const { t } = useI18n()
  const { commands } = useBoardModel()
  const fields = useAgreementFields()
  const organizationOptions = [
    { value: '', label: t('agreement.fields.noOrganization') },
    ...organizations.map((org) => ({ value: org.id, label: org.name || t('card.org.untitled') })),
  ]
  // A person's label: their name, or "Person 2" until they have one.
  const personName = (person: { name: string }, index: number) =>
    person.name.trim() || t('agreement.fields.person', { number: index + 1 })

  const people = <P extends Signatory | Contact>(
    list: AgreementList,
    items: readonly P[],
    render: (person: P, index: number) => ReactNode,
    addLabel: string,
  ) => (
    <>
      <ul className="cg-plan-items">
        {items.map((person, index) => (
          <li key={person.id}>
            {render(person, index)}
            <button
              type="button"
              className="cg-link-button"
              onClick={() => commands.setAgreementPerson(list, person.id, null)}
            >
              {t('agreement.fields.remove', { name: personName(person, index) })}
            </button>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="cg-button"
        onClick={() => commands.setAgreementPerson(list, newAgreementItemId(), {})}
      >
        {addLabel}
      </button>
    </>
  )

  const nameField = (list: AgreementList, person: Signatory | Contact, index: number) => (
    <CommitText
      label={t('agreement.fields.name')}
      accessibleName={`${t('agreement.fields.name')}, ${t('agreement.fields.person', { number: index + 1 })}`}
      value={person.name}
      maxLength={MAX_LINE_LENGTH}
      onCommit={(name) => commands.setAgreementPerson(list, person.id, { name })}
    />
  )
  const organizationField = (list: AgreementList, person: Signatory | Contact, index: number) => (
    <CommitSelect
      label={t('agreement.fields.organization')}
      accessibleName={`${t('agreement.fields.organization')}, ${personName(person, index)}`}
      value={person.organization ?? ''}
      options={organizationOptions}
      onCommit={(organization) =>
        commands.setAgreementPerson(list, person.id, { organization: organization || null })
      }
    />
  )

  return (
    <div className="cg-plan-answers">
      <p className="cg-hint">{t('agreement.fields.help')}</p>
      <CommitText
        label={t('agreement.fields.effectiveDate')}
        type="date"
        value={fields.effectiveDate ?? ''}
        onCommit={(date) => commands.setAgreementDate(date || null)}
      />
      <CommitText
        label={t('agreement.fields.term')}
        value={fields.term}
        maxLength={MAX_LINE_LENGTH}
        onCommit={(term) => commands.setAgreementTerm(term)}
      />
      <fieldset className="cg-plan-people">
        <legend>{t('agreement.fields.signatories')}</legend>
        {people(
          'signatories',
          fields.signatories,
          (person, index) => (
            <>
              {nameField('signatories', person, index)}
              <CommitText
                label={t('agreement.fields.jobTitle')}
                value={person.title}
                maxLength={MAX_LINE_LENGTH}
                onCommit={(title) =>
                  commands.setAgreementPerson('signatories', person.id, { title })
                }
              />
              {organizationField('signatories', person, index)}
            </>
          ),
          t('agreement.fields.addSignatory'),
        )}
      </fieldset>
      <fieldset className="cg-plan-people">
        <legend>{t('agreement.fields.contacts')}</legend>
        {people(
          'contacts',
          fields.contacts,
          (person, index) => (
            <>
              {nameField('contacts', person, index)}
              {organizationField('contacts', person, index)}
              <CommitText
                label={t('agreement.fields.email')}
                value={person.email}
                maxLength={MAX_LINE_LENGTH}
                onCommit={(email) => commands.setAgreementPerson('contacts', person.id, { email })}
              />
              <CommitText
                label={t('agreement.fields.phone')}
                value={person.phone}
                maxLength={MAX_LINE_LENGTH}
                onCommit={(phone) => commands.setAgreementPerson('contacts', person.id, { phone })}
              />
            </>
          ),
          t('agreement.fields.addContact'),
        )}
      </fieldset>
    </div>
  )
}
