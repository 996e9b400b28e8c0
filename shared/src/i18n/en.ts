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
  'home.templateLabel': 'Start from',
  'home.templateRetreat': 'Partnership retreat',
  'home.templateRetreatHint': 'The nine stages of the day laid out, each with a short prompt.',
  'home.templateBlank': 'Blank board',
  'home.templateBlankHint': 'An empty canvas.',
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

  'toolbar.add': 'Add to the board',
  'toolbar.addNoteShort': 'Note',
  'toolbar.addOrganizationShort': 'Organization',
  'toolbar.addIntersectionShort': 'Intersection',
  'toolbar.addNote': 'Add sticky note',
  'plan.title': 'Partnership plan',
  'plan.show': 'Plan',
  'plan.hide': 'Hide plan',
  'plan.organizations': { one: 'Organizations ({count})', other: 'Organizations ({count})' },
  'plan.noOrganizations': 'No organization cards yet. Add one with “+ Organization”.',
  'plan.map': 'Where our work meets',
  'plan.noMap':
    'The map appears once there are organization and intersection cards. Draw an arrow from an organization to an intersection to link them.',
  'plan.mapCaption':
    'Organizations down, intersections across. ● marks a link; press a cell to link or unlink (the same as drawing or deleting the arrow).',
  'plan.link': 'Link {organization} and {intersection}',
  'plan.issues': { one: 'Issue candidates ({count})', other: 'Issue candidates ({count})' },
  'plan.noIssues': 'No sticky notes in the Issues stage yet.',
  'plan.emptyNote': '(empty note)',
  'plan.readiness': 'Are we ready?',
  'plan.note': 'Note',
  'plan.community': 'Our community',
  'plan.capacity': 'Our capacity',
  'community.needs': 'What the community needs most',
  'community.resources': 'What it already has to draw on',
  'community.whoWeServe': 'Who we mean to serve',
  'community.demographics': 'Who they are (age, language, income…)',
  'community.howToReach': 'How we will reach them',
  'community.trends': 'Trends that affect them',
  'capacity.leadership': 'Who leads the work',
  'capacity.leadershipDiverse': 'Does our leadership reflect the people we serve?',
  'capacity.organizationsInvolved': 'Which organizations take part',
  'capacity.trainingNeeded': 'Training we need',
  'capacity.staffHours': 'Staff hours each partner can give',
  'capacity.barriers': 'What could get in the way',
  'plan.evaluation': 'How we will know it works',
  'plan.structure': 'Roles and agreement',
  'plan.notDecided': 'Not decided yet',
  'evaluation.indicator': 'Indicator {number}',
  'evaluation.kind': 'Kind of indicator',
  'evaluation.kind.quantitative': 'A number we count',
  'evaluation.kind.qualitative': 'Stories and observations',
  'evaluation.dataSource': 'Where the data comes from',
  'evaluation.removeIndicator': 'Remove indicator {number}',
  'evaluation.addIndicator': 'Add an indicator',
  'evaluation.dataSharing': 'How we collect and share the data',
  'evaluation.reviewCadence': 'How often we review progress',
  'evaluation.cadence.monthly': 'Every month',
  'evaluation.cadence.quarterly': 'Every three months',
  'evaluation.cadence.twiceYearly': 'Twice a year',
  'evaluation.cadence.yearly': 'Once a year',
  'evaluation.sustain': 'How we keep it going',
  'structure.backbone': 'Lead (backbone) organization',
  'structure.role': 'Role {number}',
  'structure.role.outreach': 'Outreach liaison',
  'structure.role.data': 'Data lead',
  'structure.role.projectManager': 'Project manager',
  'structure.role.communications': 'Communications',
  'structure.role.fundraising': 'Fundraising',
  'structure.role.other': 'Other role',
  'structure.holder': 'Who holds it (person or organization)',
  'structure.removeRole': 'Remove role {number}',
  'structure.addRole': 'Add a role',
  'structure.bodies': 'How we are organized',
  'structure.body.steeringCommittee': 'Steering committee',
  'structure.body.advisoryCouncil': 'Advisory council',
  'structure.body.workingGroups': 'Working groups',
  'structure.agreement': 'Written agreement (MOU)',
  'structure.agreement.none': 'None yet',
  'structure.agreement.drafting': 'Being drafted',
  'structure.agreement.inReview': 'Under review',
  'structure.agreement.signed': 'Signed',
  'structure.agreementNotes': 'Notes on the agreement',
  'toolbar.label': 'Board tools',
  'toolbar.copyLink': 'Copy link',
  'toolbar.linkCopied': 'Link copied',
  'toolbar.language': 'Language',
  'toolbar.rename': 'Change my name',
  'toolbar.you': 'You: {name}',

  'error.network': 'the server could not be reached',
  'error.server': 'the server answered {status}',
  // The partnership plan: retreat template, stage prompts, organization and intersection cards.
  'template.retreat.name': 'Partnership retreat',
  'stage.readiness.title': '0 · Why partner? Are we ready?',
  'stage.readiness.prompt':
    'Before committing, check together: do our leaders back this, do we have the people and the money, and do we know how we will settle disagreements? Record the answers in the plan.',
  'stage.organizations.title': '1 · Our organizations',
  'stage.organizations.prompt':
    'One card per partner: what you do and how you measure it, who funds you and whether results affect that funding, what you bring and what you need.',
  'stage.intersections.title': '2 · Where our work meets',
  'stage.intersections.prompt':
    'Name at least three places where our work overlaps. For each: what would working together ideally look like, what would it change, and how would we notice? Draw an arrow from each organization to the places it touches.',
  'stage.issues.title': '3 · Issues we could take on',
  'stage.issues.prompt':
    'One idea per sticky note: a shared goal or a problem we could tackle together. Then group the notes that belong together.',
  'stage.vote.title': '4 · Rank the issues',
  'stage.vote.prompt':
    'Everyone spends their dots on the issues that matter most to them. The facilitator reveals the count and the ranked list.',
  'stage.actionPlan.title': '5 · Action plan',
  'stage.actionPlan.prompt':
    'Starting with the top issue: what each organization takes on, what it needs from the others and from its parent organization, then the steps, who owns each one and by when.',
  'stage.community.title': '6 · Community and capacity',
  'stage.community.prompt':
    'Who are we serving, what do they need and already have, and how do we reach them? Can we carry the work: who leads, how many staff hours, what training, what barriers?',
  'stage.evaluation.title': '7 · Evaluate and sustain',
  'stage.evaluation.prompt':
    'Which numbers and stories will show it works, where does the data come from, who shares it with whom, how often do we look at it, and how do we keep going?',
  'stage.roles.title': '8 · Roles and agreement',
  'stage.roles.prompt':
    'Choose a lead organization; name who handles outreach, data, coordination, communications and fundraising; decide on committees or working groups; say where the written agreement stands.',
  'readiness.leadership': 'Do the leaders of every organization back this partnership?',
  'readiness.capacity': 'Do we have the staff and the time to carry it?',
  'readiness.funding': 'Do we have a plan for paying for the shared work?',
  'readiness.conflict': 'Have we agreed how we will settle disagreements?',
  'readiness.tracking': 'Will we keep track of what the partnership achieves?',
  'readiness.signatory': 'Do we know who will sign the partnership agreement?',
  'answer.yes': 'Yes',
  'answer.no': 'No',
  'answer.unsure': 'Not sure',
  'answer.unanswered': 'Not answered',
  'orgKind.community': 'Community-based organization',
  'orgKind.public': 'Public agency',
  'orgKind.faith': 'Faith-based organization',
  'orgKind.business': 'Business',
  'orgKind.philanthropy': 'Philanthropy',
  'orgKind.other': 'Other',
  'orgKind.unset': 'Kind not chosen',
  'card.org.label': 'Organization card',
  'card.org.name': 'Organization name',
  'card.org.untitled': 'Unnamed organization',
  'card.org.kind': 'Kind',
  'card.org.activities': 'Main activities',
  'card.org.activity': 'Activity {number}',
  'card.org.measure': 'How activity {number} is measured',
  'card.org.addActivity': 'Add an activity',
  'card.org.removeActivity': 'Remove activity {number}',
  'card.org.funding': 'Major funding sources',
  'card.org.performanceFunding': 'Do results affect funding?',
  'card.org.offers': 'What we offer',
  'card.org.needs': 'What we need',
  'card.intersection.label': 'Intersection card',
  'card.intersection.title': 'Where we meet',
  'card.intersection.untitled': 'Unnamed intersection',
  'card.intersection.ideal': 'Ideally, working together here means',
  'card.intersection.result': 'What it would change',
  'card.intersection.evidence': 'How we will know it is happening',
  'card.editHint': 'Double-click or press Enter to edit',
  'card.done': 'Done',
  'card.org.add': 'Add organization card',
  'card.intersection.add': 'Add intersection card',
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
