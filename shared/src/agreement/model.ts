/**
 * `buildAgreement(plan, fields, {kind, locale})`: the text of a written agreement — a memorandum
 * of understanding (`mou`) or a data-sharing agreement (`dsa`) — drafted from a board's
 * `PartnershipPlan` and its agreement-only fields (fields.ts), as numbered sections of
 * paragraphs, labelled fields, lists, tables and signature blocks. Renderers (docx.ts) only lay it
 * out.
 *
 * It never writes what the plan does not say: every part the board leaves open is a
 * `Placeholder`, a typed marker naming what to fill in, which renderers show visibly
 * (`placeholderText`: "[To fill in: …]"). Board text is carried as it was typed; headings,
 * labels and the fixed sentences come from the catalogue, in `locale`.
 */
import { type Locale, type MessageKey, type MessageParams, translate } from '../i18n/index.ts'
import { type ActionPlanItem, type ActionStep, isBlankStep } from '../plan/actionPlan.ts'
import type { Organization } from '../plan/organization.ts'
import type { PartnershipPlan } from '../plan/partnershipPlan.ts'
import type { ReadinessItem } from '../plan/readiness.ts'
import { holderNames } from '../plan/structure.ts'
import type { AgreementFields } from './fields.ts'

export const AGREEMENT_KINDS = ['mou', 'dsa'] as const
export type AgreementKind = (typeof AGREEMENT_KINDS)[number]

export function isAgreementKind(value: unknown): value is AgreementKind {
  return typeof value === 'string' && (AGREEMENT_KINDS as readonly string[]).includes(value)
}

/** A part of the agreement the plan does not answer: what to fill in, in the document's language. */
export interface Placeholder {
  readonly placeholder: string
}

/** A piece of text: words from the board or the catalogue, or a placeholder. */
export type AgreementText = string | Placeholder

export function isPlaceholder(value: AgreementText): value is Placeholder {
  return typeof value === 'object' && value !== null && 'placeholder' in value
}

export type AgreementBlock =
  /** One paragraph; its parts run on, one after the other. */
  | { type: 'paragraph'; parts: AgreementText[] }
  /** "Label: value", the value from the board or a placeholder. */
  | { type: 'field'; label: string; value: AgreementText }
  /** A bulleted list, one item per entry. */
  | { type: 'list'; items: AgreementText[] }
  /** `widths`: each column's share of the page width, in percent (equal when absent). */
  | { type: 'table'; head: string[]; rows: AgreementText[][]; widths?: number[] }
  | { type: 'signatures'; blocks: SignatureBlock[] }

/** Room for one person to sign for one party. */
export interface SignatureBlock {
  /** The party (an organization's name), or the catalogue's "also signing". */
  party: string
  name: AgreementText
  title: AgreementText
}

export interface AgreementSection {
  /** "3", or "4.2" for a subsection. */
  number: string
  heading: string
  blocks: AgreementBlock[]
  subsections: AgreementSection[]
}

export interface AgreementParty {
  /** The organization card's shape id. */
  id: string
  name: string
}

export interface AgreementDocument {
  kind: AgreementKind
  locale: Locale
  /** "Memorandum of understanding", in `locale`. */
  title: string
  /** The board's title, as typed. */
  boardTitle: string
  /** The draft's date, `yyyy-mm-dd`, and as the language writes it. */
  date: string
  dateText: string
  /** A short note for the cover: what this draft is and what is left to do. */
  note: string
  parties: AgreementParty[]
  sections: AgreementSection[]
}

export interface AgreementOptions {
  kind: AgreementKind
  locale: Locale
  /** The draft's date, `yyyy-mm-dd` (today, UTC, by default). */
  date?: string
}

/** How a placeholder reads in a document: "[To fill in: the date this agreement takes effect]". */
export function placeholderText(locale: Locale, placeholder: Placeholder): string {
  return `[${translate(locale, 'agreement.fillIn', { what: placeholder.placeholder })}]`
}

/** Every placeholder of a document, in reading order (for tests and a "still open" list). */
export function placeholdersIn(document: AgreementDocument): Placeholder[] {
  const found: Placeholder[] = []
  const take = (text: AgreementText) => {
    if (isPlaceholder(text)) found.push(text)
  }
  const walk = (section: AgreementSection) => {
    for (const block of section.blocks) {
      if (block.type === 'paragraph') block.parts.forEach(take)
      else if (block.type === 'field') take(block.value)
      else if (block.type === 'list') block.items.forEach(take)
      else if (block.type === 'table') block.rows.flat().forEach(take)
      else for (const sign of block.blocks) [sign.name, sign.title].forEach(take)
    }
    section.subsections.forEach(walk)
  }
  document.sections.forEach(walk)
  return found
}

/** Every piece of text of a document as one string per piece (for tests and search). */
export function agreementTexts(document: AgreementDocument): string[] {
  const out: string[] = [document.title, document.boardTitle, document.dateText, document.note]
  const text = (value: AgreementText) =>
    out.push(isPlaceholder(value) ? placeholderText(document.locale, value) : value)
  const walk = (section: AgreementSection) => {
    out.push(`${section.number}. ${section.heading}`)
    for (const block of section.blocks) {
      if (block.type === 'paragraph') block.parts.forEach(text)
      else if (block.type === 'field') {
        out.push(block.label)
        text(block.value)
      } else if (block.type === 'list') block.items.forEach(text)
      else if (block.type === 'table') {
        out.push(...block.head)
        block.rows.flat().forEach(text)
      } else
        for (const sign of block.blocks) {
          out.push(sign.party)
          text(sign.name)
          text(sign.title)
        }
    }
    section.subsections.forEach(walk)
  }
  document.sections.forEach(walk)
  return out
}

export function formatAgreementDate(locale: Locale, iso: string): string {
  const [year, month, day] = iso.split('-').map(Number)
  const date = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1))
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date)
}

/** Sections as the builders write them: numbered afterwards, in order. */
interface Draft {
  heading: string
  blocks: AgreementBlock[]
  subsections?: Draft[]
}

export function buildAgreement(
  plan: PartnershipPlan,
  fields: AgreementFields,
  options: AgreementOptions,
): AgreementDocument {
  const { kind, locale } = options
  const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params)
  const date = options.date ?? new Date().toISOString().slice(0, 10)
  const ctx = context(plan, fields, locale)
  const drafts = kind === 'mou' ? memorandum(ctx) : dataSharing(ctx)
  const number = (draft: Draft, prefix: string, index: number): AgreementSection => {
    const own = prefix ? `${prefix}.${index + 1}` : String(index + 1)
    return {
      number: own,
      heading: draft.heading,
      blocks: draft.blocks,
      subsections: (draft.subsections ?? []).map((sub, i) => number(sub, own, i)),
    }
  }
  return {
    kind,
    locale,
    title: t(kind === 'mou' ? 'agreement.mou.title' : 'agreement.dsa.title'),
    boardTitle: plan.title,
    date,
    dateText: formatAgreementDate(locale, date),
    note: t('agreement.draftNote'),
    parties: plan.organizations.map((org) => ({ id: org.id, name: ctx.nameOf(org.id) })),
    sections: drafts.map((draft, i) => number(draft, '', i)),
  }
}

interface Context {
  plan: PartnershipPlan
  fields: AgreementFields
  locale: Locale
  t: (key: MessageKey, params?: MessageParams) => string
  /** A placeholder for the catalogue's `agreement.fill.*` text. */
  fill: (key: MessageKey, params?: MessageParams) => Placeholder
  /** Board text, or the placeholder when it is blank. */
  or: (value: string | null | undefined, key: MessageKey, params?: MessageParams) => AgreementText
  nameOf: (organization: string | null) => string
}

function context(plan: PartnershipPlan, fields: AgreementFields, locale: Locale): Context {
  const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params)
  const fill = (key: MessageKey, params?: MessageParams): Placeholder => ({
    placeholder: t(key, params),
  })
  const names = new Map(plan.organizations.map((org) => [org.id, org.name.trim()]))
  return {
    plan,
    fields,
    locale,
    t,
    fill,
    or: (value, key, params) => (value?.trim() ? value.trim() : fill(key, params)),
    nameOf: (organization) =>
      (organization ? names.get(organization) : '') || t('card.org.untitled'),
  }
}

const paragraph = (...parts: AgreementText[]): AgreementBlock => ({ type: 'paragraph', parts })
const field = (label: string, value: AgreementText): AgreementBlock => ({
  type: 'field',
  label,
  value,
})

// ——— Parts both kinds share ———

function partiesSection(ctx: Context, intro: MessageKey): Draft {
  const { plan, t } = ctx
  const blocks: AgreementBlock[] = [paragraph(t(intro))]
  if (plan.organizations.length === 0) blocks.push(paragraph(ctx.fill('agreement.fill.parties')))
  else {
    blocks.push({
      type: 'table',
      head: [t('export.organization'), t('card.org.kind'), t('card.org.offers')],
      widths: [30, 25, 45],
      rows: plan.organizations.map((org) => [
        ctx.nameOf(org.id),
        org.kind ? t(`orgKind.${org.kind}`) : ctx.fill('agreement.fill.kind'),
        ctx.or(org.offers, 'agreement.fill.offers'),
      ]),
    })
  }
  return { heading: t('agreement.parties'), blocks }
}

/** The action plan's priorities in rank order, "1. Childcare", or a placeholder. */
function priorities(ctx: Context): AgreementBlock {
  if (ctx.plan.actionPlan.length === 0) return paragraph(ctx.fill('agreement.fill.priorities'))
  return {
    type: 'list',
    items: ctx.plan.actionPlan.map((item) => `${item.rank}. ${item.title.trim()}`),
  }
}

function readinessNote(plan: PartnershipPlan, id: string): string {
  const item: ReadinessItem | undefined = plan.readiness.find((entry) => entry.id === id)
  return item?.note.trim() ?? ''
}

function cadenceText(ctx: Context): string {
  const cadence = ctx.plan.evaluation.reviewCadence
  return cadence ? ctx.t(`evaluation.cadence.${cadence}`) : ''
}

function contactsTable(ctx: Context): AgreementBlock {
  const { t, fields } = ctx
  if (fields.contacts.length === 0) return paragraph(ctx.fill('agreement.fill.contacts'))
  return {
    type: 'table',
    head: [
      t('agreement.table.name'),
      t('export.organization'),
      t('agreement.table.email'),
      t('agreement.table.phone'),
    ],
    rows: fields.contacts.map((contact) => [
      ctx.or(contact.name, 'agreement.fill.signatoryName'),
      contact.organization ? ctx.nameOf(contact.organization) : '',
      contact.email.trim(),
      contact.phone.trim(),
    ]),
  }
}

function termFields(ctx: Context): AgreementBlock[] {
  const { t, fields, locale } = ctx
  return [
    field(
      t('agreement.term.effective'),
      fields.effectiveDate
        ? formatAgreementDate(locale, fields.effectiveDate)
        : ctx.fill('agreement.fill.effectiveDate'),
    ),
    field(t('agreement.term.length'), ctx.or(fields.term, 'agreement.fill.term')),
    field(t('agreement.term.review'), ctx.or(cadenceText(ctx), 'agreement.fill.review')),
  ]
}

/**
 * One block per party with at least one line to sign on: the signatories the facilitator named
 * for it, or one block of placeholders; then those who sign for no card.
 */
function signaturesSection(ctx: Context): Draft {
  const { plan, fields, t } = ctx
  const blocks: SignatureBlock[] = []
  const known = new Set(plan.organizations.map((org) => org.id))
  for (const org of plan.organizations) {
    const people = fields.signatories.filter((person) => person.organization === org.id)
    const party = ctx.nameOf(org.id)
    if (people.length === 0) {
      blocks.push({
        party,
        name: ctx.fill('agreement.fill.signatoryName'),
        title: ctx.fill('agreement.fill.signatoryTitle'),
      })
    }
    for (const person of people) {
      blocks.push({
        party,
        name: ctx.or(person.name, 'agreement.fill.signatoryName'),
        title: ctx.or(person.title, 'agreement.fill.signatoryTitle'),
      })
    }
  }
  for (const person of fields.signatories) {
    if (person.organization && known.has(person.organization)) continue
    blocks.push({
      party: t('agreement.signatures.other'),
      name: ctx.or(person.name, 'agreement.fill.signatoryName'),
      title: ctx.or(person.title, 'agreement.fill.signatoryTitle'),
    })
  }
  const body: AgreementBlock[] = [paragraph(t('agreement.signatures.intro'))]
  if (blocks.length === 0) body.push(paragraph(ctx.fill('agreement.fill.parties')))
  else body.push({ type: 'signatures', blocks })
  return { heading: t('agreement.signatures'), blocks: body }
}

// ——— The memorandum of understanding ———

function memorandum(ctx: Context): Draft[] {
  return [
    partiesSection(ctx, 'agreement.parties.mouIntro'),
    purposeSection(ctx),
    backgroundSection(ctx),
    commitmentsSection(ctx),
    governanceSection(ctx),
    actionPlanSection(ctx),
    communicationSection(ctx),
    resourcesSection(ctx),
    {
      heading: ctx.t('agreement.dataSharing'),
      blocks: [
        paragraph(ctx.t('agreement.dataSharing.pointer')),
        field(
          ctx.t('evaluation.dataSharing'),
          ctx.or(ctx.plan.evaluation.dataSharing, 'agreement.fill.dataSharing'),
        ),
      ],
    },
    {
      heading: ctx.t('agreement.term'),
      blocks: [
        ...termFields(ctx),
        field(ctx.t('agreement.term.amend'), ctx.fill('agreement.fill.amend')),
        field(ctx.t('agreement.term.end'), ctx.fill('agreement.fill.end')),
      ],
    },
    signaturesSection(ctx),
  ]
}

function purposeSection(ctx: Context): Draft {
  const { t, plan } = ctx
  return {
    heading: t('agreement.purpose'),
    blocks: [
      paragraph(t('agreement.purpose.intro')),
      priorities(ctx),
      field(t('agreement.purpose.vision'), ctx.fill('agreement.fill.vision')),
      field(t('community.needs'), ctx.or(plan.community.needs, 'agreement.fill.need')),
      field(
        t('community.whoWeServe'),
        ctx.or(plan.community.whoWeServe, 'agreement.fill.whoWeServe'),
      ),
    ],
  }
}

function backgroundSection(ctx: Context): Draft {
  const { t, plan } = ctx
  const blocks: AgreementBlock[] = [paragraph(t('agreement.background.intro'))]
  if (plan.intersections.length === 0) {
    blocks.push(paragraph(ctx.fill('agreement.fill.intersections')))
    return { heading: t('agreement.background'), blocks }
  }
  return {
    heading: t('agreement.background'),
    blocks,
    subsections: plan.intersections.map((area) => {
      const inner: AgreementBlock[] = []
      if (area.organizations.length > 0) {
        inner.push(
          field(
            t('agreement.background.partners'),
            area.organizations.map((id) => ctx.nameOf(id)).join(', '),
          ),
        )
      }
      // Only what the group wrote: an empty answer is left out here, not asked for.
      for (const [key, value] of [
        ['card.intersection.ideal', area.ideal],
        ['card.intersection.result', area.result],
        ['card.intersection.evidence', area.evidence],
      ] as const) {
        if (value.trim()) inner.push(field(t(key), value.trim()))
      }
      return { heading: area.title.trim() || t('card.intersection.untitled'), blocks: inner }
    }),
  }
}

function commitmentsSection(ctx: Context): Draft {
  const { t, plan } = ctx
  const blocks: AgreementBlock[] = [paragraph(t('agreement.commitments.intro'))]
  if (plan.organizations.length === 0) {
    blocks.push(paragraph(ctx.fill('agreement.fill.parties')))
    return { heading: t('agreement.commitments'), blocks }
  }
  return {
    heading: t('agreement.commitments'),
    blocks,
    subsections: plan.organizations.map((org) => partyCommitments(ctx, org)),
  }
}

function partyCommitments(ctx: Context, org: Organization): Draft {
  const { t, plan } = ctx
  const name = ctx.nameOf(org.id)
  const blocks: AgreementBlock[] = []
  if (org.offers.trim()) blocks.push(field(t('card.org.offers'), org.offers.trim()))
  // A role whose holder names the organization (holders are free text: "Ana, Aldea Niños").
  const roles = plan.structure.roles.filter((role) => holderNames(role.holder, org.name))
  if (roles.length > 0) {
    blocks.push(
      field(
        t('agreement.commitments.roles'),
        roles.map((role) => t(`structure.role.${role.role}`)).join(', '),
      ),
    )
  }
  const rows: AgreementText[][] = []
  for (const item of plan.actionPlan) {
    const commitment = item.commitments.find((row) => row.organization === org.id)
    if (!commitment) continue
    rows.push([
      item.title.trim(),
      ctx.or(commitment.takesOn, 'agreement.fill.takesOn'),
      ctx.or(commitment.fromPartners, 'agreement.fill.fromPartners'),
      ctx.or(commitment.fromParent, 'agreement.fill.fromParent'),
    ])
  }
  if (rows.length === 0) {
    blocks.push(paragraph(ctx.fill('agreement.fill.commitments', { organization: name })))
  } else {
    blocks.push({
      type: 'table',
      head: [
        t('action.issue'),
        t('action.takesOn'),
        t('action.fromPartners'),
        t('action.fromParent'),
      ],
      rows,
    })
  }
  return { heading: name, blocks }
}

function governanceSection(ctx: Context): Draft {
  const { t, plan } = ctx
  const { structure } = plan
  const blocks: AgreementBlock[] = [
    field(t('structure.backbone'), ctx.or(structure.backbone, 'agreement.fill.backbone')),
    field(
      t('structure.bodies'),
      structure.bodies.length > 0
        ? structure.bodies.map((body) => t(`structure.body.${body}`)).join(', ')
        : ctx.fill('agreement.fill.bodies'),
    ),
  ]
  if (structure.roles.length === 0) {
    blocks.push(field(t('agreement.governance.roles'), ctx.fill('agreement.fill.roles')))
  } else {
    blocks.push({
      type: 'table',
      head: [t('agreement.table.role'), t('agreement.table.holder'), t('agreement.table.note')],
      widths: [25, 35, 40],
      rows: structure.roles.map((role) => [
        t(`structure.role.${role.role}`),
        ctx.or(role.holder, 'agreement.fill.owner'),
        role.note.trim(),
      ]),
    })
  }
  blocks.push(field(t('agreement.governance.decisions'), ctx.fill('agreement.fill.decisions')))
  if (structure.agreementNotes.trim()) {
    blocks.push(field(t('structure.agreementNotes'), structure.agreementNotes.trim()))
  }
  return { heading: t('agreement.governance'), blocks }
}

function actionPlanSection(ctx: Context): Draft {
  const { t, plan } = ctx
  if (plan.actionPlan.length === 0) {
    return {
      heading: t('agreement.actionPlan'),
      blocks: [paragraph(ctx.fill('agreement.fill.actionPlan'))],
    }
  }
  return {
    heading: t('agreement.actionPlan'),
    blocks: [paragraph(t('agreement.actionPlan.intro'))],
    subsections: plan.actionPlan.map((item) => ({
      heading: t('agreement.actionPlan.priority', { rank: item.rank, issue: item.title.trim() }),
      blocks: [stepsTable(ctx, item)],
    })),
  }
}

/** Who answers for a step: "Ana (Aldea Niños)", the person or the organization alone, or a placeholder. */
function ownerOf(ctx: Context, step: ActionStep): AgreementText {
  const person = step.person.trim()
  const organization = step.organization ? ctx.nameOf(step.organization) : ''
  if (person && organization) return `${person} (${organization})`
  return person || organization || ctx.fill('agreement.fill.owner')
}

function stepsTable(ctx: Context, item: ActionPlanItem): AgreementBlock {
  const { t } = ctx
  const steps = item.steps.filter((step) => !isBlankStep(step))
  if (steps.length === 0) return paragraph(ctx.fill('agreement.fill.steps'))
  return {
    type: 'table',
    head: ['#', t('action.step'), t('agreement.table.owner'), t('action.due')],
    widths: [6, 40, 30, 24],
    rows: steps.map((step, i) => [
      String(i + 1),
      ctx.or(step.what, 'agreement.fill.step'),
      ownerOf(ctx, step),
      step.due ? formatAgreementDate(ctx.locale, step.due) : ctx.fill('agreement.fill.due'),
    ]),
  }
}

function communicationSection(ctx: Context): Draft {
  const { t, plan } = ctx
  return {
    heading: t('agreement.communication'),
    blocks: [
      field(t('agreement.communication.review'), ctx.or(cadenceText(ctx), 'agreement.fill.review')),
      field(
        t('agreement.communication.conflict'),
        ctx.or(readinessNote(plan, 'conflict'), 'agreement.fill.conflict'),
      ),
    ],
    subsections: [{ heading: t('agreement.communication.contacts'), blocks: [contactsTable(ctx)] }],
  }
}

function resourcesSection(ctx: Context): Draft {
  const { t, plan } = ctx
  return {
    heading: t('agreement.resources'),
    blocks: [
      field(
        t('capacity.staffHours'),
        ctx.or(plan.capacity.staffHours, 'agreement.fill.staffHours'),
      ),
      field(
        t('agreement.resources.funding'),
        ctx.or(readinessNote(plan, 'funding'), 'agreement.fill.funding'),
      ),
      field(t('evaluation.sustain'), ctx.or(plan.evaluation.sustain, 'agreement.fill.sustain')),
    ],
  }
}

// ——— The data-sharing agreement ———

function dataSharing(ctx: Context): Draft[] {
  const { t, plan } = ctx
  const dataLeads = plan.structure.roles
    .filter((role) => role.role === 'data' && role.holder.trim())
    .map((role) => role.holder.trim())
  const receiver = dataLeads.length > 0 ? dataLeads.join(', ') : ''
  const frequency = cadenceText(ctx)
  const elements: AgreementBlock =
    plan.evaluation.indicators.length === 0
      ? paragraph(ctx.fill('agreement.fill.indicators'))
      : {
          type: 'table',
          head: [
            t('agreement.table.element'),
            t('agreement.table.kind'),
            t('agreement.table.source'),
            t('agreement.table.provider'),
            t('agreement.table.receiver'),
            t('agreement.table.frequency'),
          ],
          widths: [20, 14, 15, 19, 14, 18],
          rows: plan.evaluation.indicators.map((indicator) => [
            ctx.or(indicator.name, 'agreement.fill.indicators'),
            t(`evaluation.kind.${indicator.kind}`),
            ctx.or(indicator.dataSource, 'agreement.fill.source'),
            ctx.fill('agreement.fill.provider'),
            ctx.or(receiver, 'agreement.fill.receiver'),
            ctx.or(frequency, 'agreement.fill.frequency'),
          ]),
        }
  const breakdowns: AgreementBlock[] = [paragraph(ctx.fill('agreement.fill.breakdowns'))]
  if (plan.community.demographics.trim()) {
    breakdowns.push(field(t('community.demographics'), plan.community.demographics.trim()))
  }
  return [
    partiesSection(ctx, 'agreement.parties.dsaIntro'),
    {
      heading: t('agreement.dsa.purpose'),
      blocks: [paragraph(t('agreement.dsa.purpose.intro')), priorities(ctx)],
    },
    {
      heading: t('agreement.dsa.elements'),
      blocks: [paragraph(t('agreement.dsa.elements.intro')), elements],
    },
    {
      heading: t('agreement.dsa.flow'),
      blocks: [
        paragraph(ctx.or(plan.evaluation.dataSharing, 'agreement.fill.dataSharing')),
        field(t('agreement.communication.review'), ctx.or(frequency, 'agreement.fill.review')),
      ],
    },
    { heading: t('agreement.dsa.breakdowns'), blocks: breakdowns },
    {
      heading: t('agreement.dsa.protection'),
      blocks: [
        paragraph(ctx.fill('agreement.fill.protection')),
        paragraph(ctx.fill('agreement.fill.consent')),
      ],
    },
    {
      heading: t('agreement.dsa.retention'),
      blocks: [paragraph(ctx.fill('agreement.fill.retention'))],
    },
    {
      heading: t('agreement.dsa.term'),
      blocks: [
        ...termFields(ctx),
        field(t('agreement.term.amend'), ctx.fill('agreement.fill.amend')),
        field(t('agreement.term.end'), ctx.fill('agreement.fill.end')),
      ],
    },
    {
      heading: t('agreement.dsa.contacts'),
      blocks: [
        field(t('structure.role.data'), ctx.or(receiver, 'agreement.fill.dataContact')),
        contactsTable(ctx),
      ],
    },
    signaturesSection(ctx),
  ]
}
