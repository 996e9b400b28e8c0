import { openBoardDoc } from '@common-ground/shared/board'
import { arrowBinding } from '@common-ground/shared/fixtures'
import {
  createBoardSchema,
  derivePlan,
  INTERSECTION_CARD,
  ORGANIZATION_CARD,
  seedBoard,
} from '@common-ground/shared/plan'
import {
  createShapeId,
  createTLSchema,
  createTLStore,
  defaultBindingUtils,
  defaultShapeUtils,
  type TLRecord,
  type TLStore,
} from 'tldraw'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { bindStoreToBoard, loadBoardIntoStore } from '../sync/storeBinding.ts'
import { cardShapeUtils, IntersectionCardShapeUtil, OrganizationCardShapeUtil } from './index.ts'

const newStore = () =>
  createTLStore({
    shapeUtils: [...defaultShapeUtils, ...cardShapeUtils],
    bindingUtils: defaultBindingUtils,
  })

function card(store: TLStore, type: string, id: string, props: object, x = 0) {
  const util = type === ORGANIZATION_CARD ? OrganizationCardShapeUtil : IntersectionCardShapeUtil
  const defaults: object = util.prototype.getDefaultProps()
  return store.schema.types.shape.create({
    id: createShapeId(id),
    type,
    x,
    y: 0,
    parentId: 'page:page',
    index: 'a2',
    props: { ...defaults, ...props },
  } as never) as TLRecord
}

describe('card shapes', () => {
  it('the client store writes exactly the board schema of shared', () => {
    expect(newStore().schema.serialize()).toEqual(createBoardSchema().serialize())
  })

  it('loads a board written with the default tldraw schema (before the cards existed)', () => {
    const doc = new Y.Doc()
    seedBoard(doc, { title: 'Old board', createdAt: 1, template: 'blank' })
    const board = openBoardDoc(doc)
    const oldSchema = createTLSchema().serialize()
    board.meta.set('schema', oldSchema)
    expect(Object.keys(oldSchema.sequences)).not.toContain(`com.tldraw.shape.${ORGANIZATION_CARD}`)

    const store = newStore()
    loadBoardIntoStore(store, board)
    expect(store.get('page:page' as never)).toBeDefined()
    const stop = bindStoreToBoard(store, board)
    store.put([card(store, ORGANIZATION_CARD, 'org', { name: 'Food bank' })])
    stop()

    // A later visitor loads the card from a doc whose stored schema predates the cards.
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc))
    const later = newStore()
    loadBoardIntoStore(later, openBoardDoc(replica))
    expect(later.get(createShapeId('org'))).toMatchObject({ props: { name: 'Food bank' } })
  })

  it('refuses a card with invalid props', () => {
    const store = newStore()
    expect(() =>
      store.put([card(store, ORGANIZATION_CARD, 'bad', { kind: 'spaceship' })]),
    ).toThrow()
    expect(() => store.put([card(store, INTERSECTION_CARD, 'bad2', { w: 5 })])).toThrow()
  })

  it('cards and an arrow drawn between them reach the plan through the doc', () => {
    const doc = new Y.Doc()
    seedBoard(doc, { title: 'Retreat', createdAt: 1, template: 'retreat' })
    const board = openBoardDoc(doc)
    const store = newStore()
    loadBoardIntoStore(store, board)
    const stop = bindStoreToBoard(store, board)

    const arrowId = createShapeId('link')
    const arrowUtil = defaultShapeUtils.find((util) => util.type === 'arrow')
    const arrowDefaults = arrowUtil?.prototype.getDefaultProps.call(null as never) as object
    store.put([
      card(store, ORGANIZATION_CARD, 'bank', {
        name: 'Credit union',
        kind: 'business',
        activities: [{ activity: 'Savings accounts', measure: 'Accounts opened' }],
      }),
      card(store, INTERSECTION_CARD, 'savings', { title: 'Family savings' }, 600),
      store.schema.types.shape.create({
        id: arrowId,
        type: 'arrow',
        parentId: 'page:page',
        index: 'a3',
        props: arrowDefaults,
      } as never) as TLRecord,
    ])
    store.put([arrowBinding('link', 'start', 'bank')])
    store.put([arrowBinding('link', 'end', 'savings')])
    stop()

    // What another replica (or the server) sees.
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc))
    const plan = derivePlan(replica)
    expect(plan.problems).toEqual([])
    expect(plan.organizations).toEqual([
      expect.objectContaining({
        id: 'shape:bank',
        name: 'Credit union',
        kind: 'business',
        activities: [{ activity: 'Savings accounts', measure: 'Accounts opened' }],
      }),
    ])
    expect(plan.links).toEqual([{ organization: 'shape:bank', intersection: 'shape:savings' }])
  })
})
