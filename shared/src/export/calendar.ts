/**
 * The action plan as a calendar (`calendar.ics`, and the Export menu's `.ics` download): one
 * all-day event per step that has a due date, on that date. The summary is the step; the
 * description names its issue, person, organization and status in the reader's language. Each
 * event's UID is made of the board, the issue and the step, so a calendar app that fetches the
 * feed again updates a step whose date or text changed instead of adding a copy, and drops one
 * that is gone.
 *
 * Each check-in is an all-day event of its own on its date (UID `checkin.<id>.<board>`), in every
 * feed whatever its filter: a check-in is everyone's meeting. Its summary is its name, its
 * description what a check-in is and, once held, who attended. Events come from `planEvents`;
 * `ics.ts` writes them.
 */
import { MAX_LINE_LENGTH } from '../board/text.ts'
import { DEFAULT_LOCALE, type Locale, type MessageKey, translate } from '../i18n/index.ts'
import {
  type ActionPlanItem,
  type ActionStep,
  isIsoDate,
  isShapeIdText,
  samePerson,
} from '../plan/actionPlan.ts'
import type { PartnershipPlan } from '../plan/partnershipPlan.ts'
import { type CalendarEvent, writeCalendar } from './ics.ts'

/** Which steps a calendar holds; both set: steps matching both. */
export interface CalendarFilter {
  /** An organization card's shape id: that organization's steps. */
  organization?: string | null
  /** A person's name (trimmed, any case, as "My steps" compares it): that person's steps. */
  person?: string | null
}

export interface PlanCalendarOptions extends CalendarFilter {
  /** The board the plan is from: part of every UID. */
  boardId: string
  locale?: Locale
  /** When it is made (`DTSTAMP`), ms since the epoch; now by default. */
  now?: number
  /** The board's address, without any key: each event's `URL`. */
  boardUrl?: string
}

/** How often a subscribed calendar app should fetch the feed again. */
export const CALENDAR_REFRESH_MINUTES = 60

/** The UID of a step's event: stable for as long as the step exists. */
export function stepUid(boardId: string, issueId: string, stepId: string): string {
  return `step.${issueId.replace(/^shape:/, '')}.${stepId}.${boardId}@common-ground`
}

/** The UID of a check-in's event: stable while the check-in exists, wherever it moves. */
export function checkInUid(boardId: string, checkInId: string): string {
  return `checkin.${checkInId}.${boardId}@common-ground`
}

/** The longest name a person filter may hold: a step's person is at most this long. */
export const MAX_PERSON_FILTER_LENGTH = MAX_LINE_LENGTH

/**
 * A filter as a request gives it (`?organization=…&person=…`, each once at most), checked:
 * `organization` an organization card's shape id, `person` 1 to 200 characters once trimmed.
 * A card nobody has (any more) is a valid filter that keeps no step.
 */
export function checkCalendarFilter(query: {
  organization?: unknown
  person?: unknown
}):
  | { ok: true; filter: CalendarFilter }
  | { ok: false; field: 'organization' | 'person'; message: string } {
  const filter: CalendarFilter = {}
  if (query.organization !== undefined) {
    if (!isShapeIdText(query.organization)) {
      return {
        ok: false,
        field: 'organization',
        message: 'The organization must be one organization card id (shape:…).',
      }
    }
    filter.organization = query.organization
  }
  if (query.person !== undefined) {
    const person = typeof query.person === 'string' ? query.person.trim() : ''
    if (person.length === 0 || person.length > MAX_PERSON_FILTER_LENGTH) {
      return {
        ok: false,
        field: 'person',
        message: `The person must be one name of 1 to ${MAX_PERSON_FILTER_LENGTH} characters.`,
      }
    }
    filter.person = person
  }
  return { ok: true, filter }
}

/** Whether a step is one a filter asks for. */
export function matchesFilter(step: ActionStep, filter: CalendarFilter): boolean {
  const person = filter.person?.trim()
  if (person && !samePerson(step.person, person)) return false
  if (filter.organization && step.organization !== filter.organization) return false
  return true
}

/**
 * The events of a plan for a calendar: every step with a due date (that the filter keeps) and
 * every check-in, soonest first; on one day the steps in the plan's order (issues by rank, steps
 * in order), then the check-ins.
 */
export function planEvents(plan: PartnershipPlan, options: PlanCalendarOptions): CalendarEvent[] {
  const t = (key: MessageKey, params?: Record<string, string | number>) =>
    translate(options.locale ?? DEFAULT_LOCALE, key, params)
  const organizationName = new Map(
    plan.organizations.map((org) => [org.id, org.name || t('card.org.untitled')]),
  )
  const dated: { item: ActionPlanItem; step: ActionStep; due: string }[] = []
  for (const item of plan.actionPlan) {
    for (const step of item.steps) {
      if (step.due && isIsoDate(step.due) && matchesFilter(step, options)) {
        dated.push({ item, step, due: step.due })
      }
    }
  }
  const blank = (text: string) => text.trim() || '—'
  const steps = dated.map(({ item, step, due }): CalendarEvent => {
    const issue = t('action.issueHeading', { rank: item.rank, issue: blank(item.title) })
    const organization = step.organization
      ? (organizationName.get(step.organization) ?? '—')
      : t('action.noOrganization')
    const description = [
      `${t('action.issue')}: ${issue}`,
      `${t('action.person')}: ${blank(step.person)}`,
      `${t('action.organization')}: ${organization}`,
      `${t('action.status')}: ${t(`action.status.${step.status}`)}`,
    ].join('\n')
    return {
      uid: stepUid(options.boardId, item.issue, step.id),
      date: due,
      summary: step.what.trim() || t('calendar.untitledStep', { issue: blank(item.title) }),
      description,
      ...(options.boardUrl ? { url: options.boardUrl } : {}),
    }
  })
  const checkIns = plan.checkIns.map((checkIn): CalendarEvent => {
    const lines = [t('checkIn.calendarDescription')]
    if (checkIn.attended.length > 0)
      lines.push(`${t('checkIn.attended')}: ${checkIn.attended.join(', ')}`)
    return {
      uid: checkInUid(options.boardId, checkIn.id),
      date: checkIn.date,
      summary: checkIn.title.trim() || t('checkIn.untitled'),
      description: lines.join('\n'),
      ...(options.boardUrl ? { url: options.boardUrl } : {}),
    }
  })
  // Stable: one day keeps the plan's order, steps before check-ins.
  return [...steps, ...checkIns].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
}

/**
 * The calendar's name: the board's title, and who it is for when filtered
 * ("Retreat · Food Bank", "Retreat · Ana").
 */
export function calendarName(plan: PartnershipPlan, options: PlanCalendarOptions): string {
  const title = plan.title.trim() || translate(options.locale ?? DEFAULT_LOCALE, 'plan.title')
  const organization = options.organization
    ? plan.organizations.find((org) => org.id === options.organization)
    : undefined
  const parts = [title]
  if (organization) {
    parts.push(
      organization.name || translate(options.locale ?? DEFAULT_LOCALE, 'card.org.untitled'),
    )
  }
  const person = options.person?.trim()
  if (person) parts.push(person)
  return parts.join(' · ')
}

/** The plan's steps with a due date and its check-ins as an iCalendar (RFC 5545) file. */
export function planToCalendar(plan: PartnershipPlan, options: PlanCalendarOptions): string {
  return writeCalendar({
    name: calendarName(plan, options),
    events: planEvents(plan, options),
    now: options.now ?? Date.now(),
    refreshMinutes: CALENDAR_REFRESH_MINUTES,
  })
}
