/**
 * Reading an iCalendar feed as a calendar app would, with ical.js (a maintained RFC 5545 parser):
 * the calendar's name and its events.
 */
import ICAL from 'ical.js'

// Calendar names are TEXT for the apps that read them; ical.js leaves unknown properties raw.
ICAL.design.icalendar.property['x-wr-calname'] = { defaultType: 'text' }

export interface FeedEvent {
  uid: string
  summary: string
  description: string
  /** `yyyy-mm-dd` */
  start: string
  /** Whether `start` is a DATE (an all-day event). */
  allDay: boolean
  url: string | null
}

export function readCalendar(text: string): { name: string; events: FeedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text))
  return {
    name: calendar.getFirstPropertyValue('x-wr-calname') as string,
    events: calendar.getAllSubcomponents('vevent').map((component) => {
      const event = new ICAL.Event(component)
      return {
        uid: event.uid,
        summary: event.summary,
        description: event.description,
        start: event.startDate.toString(),
        allDay: event.startDate.isDate,
        url: (component.getFirstPropertyValue('url') as string | null) ?? null,
      }
    }),
  }
}
