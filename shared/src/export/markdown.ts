/**
 * `planToMarkdown(plan, locale)`: the plan as one readable document, in the order a funder reads
 * it: partners, where their work meets, the ranked issues, the action plan, its check-ins, then readiness,
 * community and capacity, evaluation, roles. Headings and labels come from the catalogue, so a
 * Spanish export reads Spanish; every piece of user text is escaped (escape.ts).
 */
import { type Locale, type MessageKey, type MessageParams, translate } from '../i18n/index.ts'
import { intersectionMatrix } from '../plan/intersectionMap.ts'
import type { PartnershipPlan } from '../plan/partnershipPlan.ts'
import { localDate } from '../plan/progress.ts'
import { actionTables, describeUpdate } from './actionTables.ts'
import { checkInRecords } from './checkInRecords.ts'
import { markdownBlock, markdownInline } from './escape.ts'
import { indicatorTables } from './indicatorTables.ts'
import { rankedIssuesOf } from './ranking.ts'
import { consensusLine, roundSections } from './rounds.ts'
import { themesWithIssues } from './sorting.ts'

export interface MarkdownOptions {
  /** The export date, `yyyy-mm-dd` (today, UTC, by default). */
  date?: string
  /** The time zone the dates of step updates are given in (an IANA name; UTC by default). */
  timeZone?: string
}

const longDates = new Map<Locale, Intl.DateTimeFormat>()

/** A `yyyy-mm-dd` date in words ("May 4, 2026", "4 de mayo de 2026"). */
export function formatDate(locale: Locale, iso: string): string {
  const [year, month, day] = iso.split('-').map(Number)
  const date = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1))
  // Making a formatter costs far more than using one: a 300-step page formats 300 dates.
  let format = longDates.get(locale)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' })
    longDates.set(locale, format)
  }
  return format.format(date)
}

export function planToMarkdown(
  plan: PartnershipPlan,
  locale: Locale,
  options: MarkdownOptions = {},
): string {
  const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params)
  const out: string[] = []
  const heading = (level: number, text: string) => out.push(`${'#'.repeat(level)} ${text}`, '')
  const paragraph = (text: string) => out.push(text, '')
  const field = (label: string, value: string) => {
    if (value.trim()) out.push(`**${markdownInline(label)}**`, '', markdownBlock(value), '')
  }
  const table = (header: string[], rows: string[][]) => {
    out.push(`| ${header.join(' | ')} |`, `|${header.map(() => ' --- |').join('')}`)
    for (const row of rows) out.push(`| ${row.join(' | ')} |`)
    out.push('')
  }
  const none = () => paragraph(`*${t('export.none')}*`)

  heading(1, markdownInline(plan.title) || t('plan.title'))
  paragraph(
    `*${t('export.exportedOn', { date: formatDate(locale, options.date ?? new Date().toISOString().slice(0, 10)) })}*`,
  )

  // Partners.
  heading(2, t('export.partners'))
  if (plan.organizations.length === 0) none()
  for (const org of plan.organizations) {
    heading(3, markdownInline(org.name || t('card.org.untitled')))
    if (org.kind) out.push(`- **${t('card.org.kind')}:** ${t(`orgKind.${org.kind}`)}`)
    if (org.performanceAffectsFunding) {
      out.push(
        `- **${t('card.org.performanceFunding')}** ${t(`answer.${org.performanceAffectsFunding}`)}`,
      )
    }
    if (out[out.length - 1] !== '') out.push('')
    if (org.activities.length > 0) {
      table(
        [t('card.org.activities'), t('export.measure')],
        org.activities.map((row) => [markdownInline(row.activity), markdownInline(row.measure)]),
      )
    }
    field(t('card.org.funding'), org.fundingSources)
    field(t('card.org.offers'), org.offers)
    field(t('card.org.needs'), org.needs)
  }

  // The intersection map, as a table, then each intersection's answers.
  heading(2, t('plan.map'))
  const matrix = intersectionMatrix(plan)
  if (matrix.organizations.length === 0 || matrix.intersections.length === 0) none()
  else {
    table(
      [
        t('export.organization'),
        ...matrix.intersections.map((c) =>
          markdownInline(c.title || t('card.intersection.untitled')),
        ),
      ],
      matrix.organizations.map((row, r) => [
        markdownInline(row.name || t('card.org.untitled')),
        ...matrix.intersections.map((_, c) =>
          matrix.linked[r]?.[c] ? `● ${t('export.linked')}` : '',
        ),
      ]),
    )
  }
  for (const intersection of plan.intersections) {
    heading(3, markdownInline(intersection.title || t('card.intersection.untitled')))
    field(t('card.intersection.ideal'), intersection.ideal)
    field(t('card.intersection.result'), intersection.result)
    field(t('card.intersection.evidence'), intersection.evidence)
  }

  // Ranked issues, with dots when a vote counted them; then every candidate.
  heading(2, t('export.rankedIssues'))
  const ranked = rankedIssuesOf(plan)
  if (ranked.length === 0) none()
  else {
    const withDots = ranked.some((issue) => issue.dots !== null)
    table(
      [t('action.rank'), t('action.issue'), ...(withDots ? [t('action.dots')] : [])],
      ranked.map((issue) => [
        String(issue.rank),
        markdownInline(issue.title || t('plan.emptyNote')),
        ...(withDots ? [issue.dots === null ? '' : String(issue.dots)] : []),
      ]),
    )
  }
  // Every vote held on the board, as history: when, how, how many took part, what it found.
  if (plan.votes.length > 0) {
    heading(3, t('export.votes'))
    const itemText = new Map(plan.issues.map((issue) => [issue.id, issue.text]))
    for (const vote of plan.votes) {
      const day = new Date(vote.revealedAt ?? vote.closedAt ?? vote.startedAt)
      out.push(
        `**${markdownInline(vote.title)}** · ${formatDate(locale, day.toISOString().slice(0, 10))}`,
        '',
        t('export.voteSettings', {
          count: vote.voters,
          dots: t('export.dotsEach', { count: vote.settings.dotsPerParticipant }),
          cap: vote.settings.maxDotsPerItem,
        }),
        '',
      )
      if (vote.results === null) paragraph(`*${t('export.voteHidden')}*`)
      else {
        table(
          [t('action.rank'), t('action.issue'), t('action.dots')],
          vote.results.map((result) => [
            String(result.rank),
            markdownInline(result.text || itemText.get(result.itemId) || t('plan.emptyNote')),
            String(result.dots),
          ]),
        )
      }
    }
  }
  // Impact and effort, and consensus checks: what each found once revealed.
  for (const section of roundSections(plan, t, markdownInline)) {
    heading(3, section.heading)
    out.push(...section.lines, '')
    if (section.table) table(section.table.head, section.table.rows)
  }
  if (plan.issues.length > 0) {
    heading(3, t('export.issueCandidates'))
    for (const issue of plan.issues)
      out.push(`- ${markdownInline(issue.text || t('plan.emptyNote'))}`)
    out.push('')
  }
  if (plan.themes.length > 0) {
    heading(3, t('export.themes'))
    for (const theme of themesWithIssues(plan)) {
      out.push(`- **${markdownInline(theme.title)}**`)
      for (const text of theme.issues)
        out.push(`  - ${markdownInline(text || t('plan.emptyNote'))}`)
    }
    out.push('')
  }
  // What the group set aside, to review at the end of the day.
  if (plan.parkingLot.length > 0) {
    heading(2, t('export.parkingLot'))
    for (const note of plan.parkingLot)
      out.push(`- ${markdownInline(note.text || t('plan.emptyNote'))}`)
    out.push('')
  }

  // The action plan, in rank order.
  heading(2, t('action.title'))
  const timeZone = options.timeZone ?? 'UTC'
  const updateDay = (at: number) => formatDate(locale, localDate(at, timeZone))
  const tables = actionTables(plan, t, markdownInline, updateDay)
  if (plan.actionPlan.length === 0) none()
  for (const item of plan.actionPlan) {
    heading(
      3,
      t('action.issueHeading', {
        rank: String(item.rank),
        issue: markdownInline(item.title || t('plan.emptyNote')),
      }),
    )
    const consensus = consensusLine(plan, item.issue, t)
    if (consensus) paragraph(consensus)
    if (item.commitments.length > 0) {
      const { head, rows } = tables.commitments(item)
      table(head, rows)
    }
    if (item.steps.length === 0) paragraph(`*${t('action.noSteps')}*`)
    else {
      const { head, rows } = tables.steps(item)
      table(head, rows)
    }
    // Each step's updates, newest first.
    const updated = item.steps.filter((step) => step.history.length > 0)
    if (updated.length > 0) {
      paragraph(`**${t('export.updates')}**`)
      for (const step of updated) {
        const number = item.steps.indexOf(step) + 1
        out.push(`- ${number}. ${markdownInline(step.what || t('plan.emptyNote'))}`)
        for (const update of step.history)
          out.push(`  - ${describeUpdate(update, t, markdownInline, updateDay)}`)
      }
      out.push('')
    }
  }

  // Check-ins after the retreat, by date: what each kept (or that it is still to come).
  if (plan.checkIns.length > 0) {
    heading(2, t('export.checkIns'))
    const records = checkInRecords(plan, {
      locale,
      t,
      text: markdownInline,
      day: updateDay,
      date: (iso) => formatDate(locale, iso),
    })
    for (const record of records) {
      const { checkIn } = record
      heading(3, `${record.title} · ${formatDate(locale, checkIn.date)}`)
      paragraph(`*${t(`checkIn.state.${record.state}`)}*`)
      if (record.state === 'scheduled') continue
      if (checkIn.attended.length > 0) {
        paragraph(
          `**${t('checkIn.attended')}:** ${checkIn.attended.map(markdownInline).join(', ')}`,
        )
      }
      paragraph(`**${t('checkIn.updates')}**`)
      if (record.updates.length === 0) paragraph(`*${t('checkIn.noUpdates')}*`)
      else out.push(...record.updates.map((line) => `- ${line}`), '')
      if (record.values.length > 0) {
        paragraph(`**${t('checkIn.values')}**`)
        out.push(...record.values.map((line) => `- ${line}`), '')
      }
      field(t('checkIn.section.blockers'), checkIn.blockers)
      field(t('checkIn.section.decisions'), checkIn.decisions)
    }
  }

  // Readiness.
  if (plan.readiness.length > 0) {
    heading(2, t('plan.readiness'))
    for (const item of plan.readiness) {
      const answer = t(item.answer ? `answer.${item.answer}` : 'answer.unanswered')
      out.push(`- ${markdownInline(item.question)} **${answer}**`)
      if (item.note.trim()) out.push(`  ${markdownInline(item.note)}`)
    }
    out.push('')
  }

  // Community and capacity.
  heading(2, t('plan.community'))
  const community = Object.entries(plan.community).filter(([, value]) => value.trim())
  if (community.length === 0) none()
  for (const [key, value] of community) field(t(`community.${key}` as MessageKey), value)

  heading(2, t('plan.capacity'))
  const capacity = Object.entries(plan.capacity).filter(([, value]) => value)
  if (capacity.length === 0) none()
  for (const [key, value] of capacity) {
    const label = t(`capacity.${key}` as MessageKey)
    if (key === 'leadershipDiverse') paragraph(`**${label}** ${t(`answer.${value}` as MessageKey)}`)
    else field(label, value as string)
  }

  // Evaluation.
  heading(2, t('plan.evaluation'))
  const { evaluation } = plan
  if (
    evaluation.indicators.length === 0 &&
    !evaluation.dataSharing.trim() &&
    !evaluation.reviewCadence &&
    !evaluation.sustain.trim()
  )
    none()
  if (evaluation.indicators.length > 0) {
    const tables = indicatorTables(plan, locale, t, markdownInline, evaluation.indicators, (iso) =>
      formatDate(locale, iso),
    )
    const overview = tables.overview()
    table(overview.head, overview.rows)
    for (const indicator of evaluation.indicators) {
      if (indicator.values.length === 0) continue
      heading(
        3,
        t('evaluation.values', {
          name: markdownInline(indicator.name || t('evaluation.untitled')),
        }),
      )
      const values = tables.values(indicator)
      table(values.head, values.rows)
    }
  }
  field(t('evaluation.dataSharing'), evaluation.dataSharing)
  if (evaluation.reviewCadence) {
    paragraph(
      `**${t('evaluation.reviewCadence')}:** ${t(`evaluation.cadence.${evaluation.reviewCadence}`)}`,
    )
  }
  field(t('evaluation.sustain'), evaluation.sustain)

  // Roles and agreement.
  heading(2, t('plan.structure'))
  const { structure } = plan
  const lines: string[] = []
  if (structure.backbone.trim())
    lines.push(`- **${t('structure.backbone')}:** ${markdownInline(structure.backbone)}`)
  for (const role of structure.roles) {
    const note = role.note.trim() ? ` (${markdownInline(role.note)})` : ''
    lines.push(`- **${t(`structure.role.${role.role}`)}:** ${markdownInline(role.holder)}${note}`)
  }
  if (structure.bodies.length > 0) {
    const bodies = structure.bodies.map((body) => t(`structure.body.${body}`)).join(', ')
    lines.push(`- **${t('structure.bodies')}:** ${bodies}`)
  }
  if (structure.agreement) {
    lines.push(
      `- **${t('structure.agreement')}:** ${t(`structure.agreement.${structure.agreement}`)}`,
    )
  }
  if (lines.length === 0 && !structure.agreementNotes.trim()) none()
  if (lines.length > 0) out.push(...lines, '')
  field(t('structure.agreementNotes'), structure.agreementNotes)

  // Agreement details: only when the facilitator filled some (most plans never need them).
  const { agreement } = plan
  const orgName = (id: string | null) =>
    id ? (plan.organizations.find((org) => org.id === id)?.name ?? '') : ''
  const people = (rows: string[][]) => rows.map((row) => row.map((cell) => markdownInline(cell)))
  if (
    agreement.effectiveDate ||
    agreement.term.trim() ||
    agreement.signatories.length > 0 ||
    agreement.contacts.length > 0
  ) {
    heading(2, t('agreement.fields.heading'))
    const terms: string[] = []
    if (agreement.effectiveDate)
      terms.push(
        `- **${t('agreement.term.effective')}:** ${formatDate(locale, agreement.effectiveDate)}`,
      )
    if (agreement.term.trim())
      terms.push(`- **${t('agreement.term.length')}:** ${markdownInline(agreement.term)}`)
    if (terms.length > 0) out.push(...terms, '')
    if (agreement.signatories.length > 0) {
      heading(3, t('agreement.fields.signatories'))
      table(
        [
          t('agreement.fields.name'),
          t('agreement.fields.jobTitle'),
          t('agreement.fields.organization'),
        ],
        people(
          agreement.signatories.map((person) => [
            person.name,
            person.title,
            orgName(person.organization),
          ]),
        ),
      )
    }
    if (agreement.contacts.length > 0) {
      heading(3, t('agreement.fields.contacts'))
      table(
        [
          t('agreement.fields.name'),
          t('agreement.fields.organization'),
          t('agreement.fields.email'),
          t('agreement.fields.phone'),
        ],
        people(
          agreement.contacts.map((person) => [
            person.name,
            orgName(person.organization),
            person.email,
            person.phone,
          ]),
        ),
      )
    }
  }

  while (out[out.length - 1] === '') out.pop()
  return `${out.join('\n')}\n`
}
