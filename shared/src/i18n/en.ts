/**
 * English: the source catalogue. Every other language implements `Catalogue` (same keys, same
 * placeholders), so a missing key fails the typecheck and `catalogue.test.ts`.
 *
 * A message is a string with `{placeholders}`, or plural forms chosen by `Intl.PluralRules`
 * from the `count` parameter.
 */
export const en = {
  'app.name': 'Common Ground',
  'app.tagline': 'A shared board for partnership retreats',

  'home.heading': 'Start a board for your retreat',
  'home.intro':
    'Partners map where their work meets, brainstorm on sticky notes, vote on what matters most and leave with a plan everyone can act on.',
  'home.titleLabel': 'Board title',
  'home.titleDefault': 'Partnership retreat',
  'home.create': 'Create board',
  'home.creating': 'Creating…',
  'home.recent': 'Boards you opened on this device',
  'home.noRecent': 'None yet.',
  'home.forget': 'Forget on this device',
  'home.forgetNamed': 'Forget “{title}” on this device',
  'home.forgetConfirm':
    'Remove this browser’s copy of “{title}”? The board stays on the server. Changes not yet sent from this device would be lost.',
  'home.createFailed': 'The board could not be created: {reason}',

  'join.heading': 'Join “{title}”',
  'join.nameLabel': 'Your name, as others will see it',
  'join.namePlaceholder': 'e.g. Rosa from the housing authority',
  'join.submit': 'Join the board',
  'join.nameRequired': 'Please enter a name (up to {max} characters).',

  'board.loading': 'Opening the board…',
  'board.notFound': 'There is no board at this address. Check the link, or start a new board.',
  'board.invalidId': 'This link is not a valid board address.',
  'board.backHome': 'Go to the start page',

  'status.connecting': 'Connecting…',
  'status.connected': 'Live',
  'status.reconnecting': 'Reconnecting… your changes are saved on this device',
  'status.offline': 'Offline — your changes are saved on this device',
  'status.refused':
    'The server no longer lets this link open the board. Ask the facilitator for a new link.',
  'status.waiting': {
    one: '{count} item waiting to be sent',
    other: '{count} items waiting to be sent',
  },
  'status.label': 'Connection',
  'status.reconnectNow': 'Reconnect now',
  'status.peers': { one: '{count} person here', other: '{count} people here' },

  'toolbar.addNote': 'Add sticky note',
  'toolbar.label': 'Board tools',
  'toolbar.copyLink': 'Copy board link',
  'toolbar.linkCopied': 'Link copied',
  'toolbar.language': 'Language',
  'toolbar.rename': 'Change my name',
  'toolbar.you': 'You: {name}',

  'error.network': 'the server could not be reached',
  'error.server': 'the server answered {status}',
} as const satisfies Record<string, Message>

export type Message = string | { readonly one: string; readonly other: string }
export type MessageKey = keyof typeof en
/** What a language provides: every key of the English catalogue, in the same form. */
export type Catalogue = {
  readonly [K in MessageKey]: (typeof en)[K] extends string
    ? string
    : {
        readonly one: string
        readonly other: string
        readonly few?: string
        readonly many?: string
      }
}
