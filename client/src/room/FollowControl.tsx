/**
 * Follow someone's view with tldraw's follow API (their camera travels in presence, see
 * sync/presenceBinding.ts). Moving the board yourself stops following (tldraw does that); so
 * does the Stop button. Who is a facilitator is read from each browser's `person` presence
 * (room/personPresence.ts): a label to find them by, not a permission.
 */
import { type BoardRole, canFacilitate } from '@common-ground/shared/board'
import { PERSON_FIELD, readPerson } from '@common-ground/shared/facilitation'
import { useEffect, useState } from 'react'
import { type TLUserId, useEditor, useValue } from 'tldraw'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardModel } from '../session/BoardModelContext.tsx'
import { Disclosure } from './Disclosure.tsx'

/** Roles by tldraw user id: each awareness state holds tldraw's `presence` and our `person`. */
function useRolesByUser(): Map<string, BoardRole> {
  const { connection } = useBoardModel()
  const awareness = connection.provider.awareness
  const [roles, setRoles] = useState(() => new Map<string, BoardRole>())
  useEffect(() => {
    const read = () => {
      const next = new Map<string, BoardRole>()
      for (const state of awareness.getStates().values()) {
        const userId = (state.presence as { userId?: unknown } | null | undefined)?.userId
        const person = readPerson(state[PERSON_FIELD])
        if (typeof userId === 'string' && person) next.set(userId, person.role)
      }
      setRoles(next)
    }
    read()
    awareness.on('change', read)
    return () => awareness.off('change', read)
  }, [awareness])
  return roles
}

export function FollowControl() {
  const { t } = useI18n()
  const editor = useEditor()
  const roles = useRolesByUser()
  const people = useValue(
    'people to follow',
    () =>
      editor
        .getCollaborators()
        .map((p) => ({ userId: p.userId, name: p.userName || '…', color: p.color })),
    [editor],
  )
  const following = useValue('following', () => editor.getInstanceState().followingUserId, [editor])
  const followed = people.find((p) => p.userId === following)
  const facilitators = people.filter((p) => {
    const role = roles.get(p.userId)
    return role !== undefined && canFacilitate(role)
  })
  const follow = (userId: TLUserId) => editor.startFollowingUser(userId)

  if (people.length === 0 && !following) return null
  return (
    <Disclosure
      className="cg-follow"
      testId="follow"
      label={followed ? t('room.following', { name: followed.name }) : t('room.follow')}
    >
      {(close) => (
        <>
          {following && (
            <div className="cg-room-row">
              <button
                type="button"
                className="cg-button"
                onClick={() => {
                  editor.stopFollowingUser()
                  close()
                }}
              >
                {t('room.stopFollowing')}
              </button>
            </div>
          )}
          {facilitators.length > 0 && facilitators[0]?.userId !== following && (
            <div className="cg-room-row">
              <button
                type="button"
                className="cg-button"
                onClick={() => {
                  follow(facilitators[0]?.userId as TLUserId)
                  close()
                }}
              >
                {t('room.followFacilitator')}
              </button>
            </div>
          )}
          {people.length === 0 ? (
            <p className="cg-room-note">{t('room.nobodyToFollow')}</p>
          ) : (
            <ul className="cg-follow-list">
              {people.map((person) => (
                <li key={person.userId}>
                  <button
                    type="button"
                    className="cg-agenda-go"
                    aria-pressed={person.userId === following}
                    onClick={() => {
                      follow(person.userId)
                      close()
                    }}
                  >
                    <span
                      className="cg-follow-dot"
                      style={{ background: person.color }}
                      aria-hidden="true"
                    />
                    {t('room.followPerson', { name: person.name })}
                    {roles.get(person.userId) === 'facilitator' && (
                      <span className="cg-agenda-now">{t('room.facilitatorTag')}</span>
                    )}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <p className="cg-room-note">{t('room.followHint')}</p>
        </>
      )}
    </Disclosure>
  )
}
