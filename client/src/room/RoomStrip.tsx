/**
 * Running the room, a group of the board's bar above the canvas: the agenda, the shared
 * timer and following someone's view. Each control hides what this person may not use.
 */
import { AgendaControl } from './AgendaControl.tsx'
import { FollowControl } from './FollowControl.tsx'
import { TimerControl } from './TimerControl.tsx'
import './room.css'

export function RoomStrip() {
  return (
    <div className="cg-room-strip" data-testid="room-strip">
      <AgendaControl />
      <TimerControl />
      <FollowControl />
    </div>
  )
}
