/**
 * Whether the person at this browser is idle: no pointer, key, wheel or touch for
 * `IDLE_AFTER_MS`. Shown to others in the people list; nothing about what they did is sent.
 */
import { IDLE_AFTER_MS } from '@common-ground/shared/facilitation'

const ACTIVITY_EVENTS = ['pointermove', 'pointerdown', 'keydown', 'wheel', 'touchstart'] as const

export function trackIdle(
  onChange: (idle: boolean) => void,
  options: { target?: EventTarget; idleAfterMs?: number } = {},
): () => void {
  const target = options.target ?? window
  const idleAfterMs = options.idleAfterMs ?? IDLE_AFTER_MS
  let idle = false
  let timer: ReturnType<typeof setTimeout> | null = null
  const arm = () => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      idle = true
      onChange(true)
    }, idleAfterMs)
  }
  // Pointer moves come many times a second: only re-arm the timer, report only a change.
  const onActivity = () => {
    if (idle) {
      idle = false
      onChange(false)
    }
    arm()
  }
  for (const type of ACTIVITY_EVENTS) {
    target.addEventListener(type, onActivity, { capture: true, passive: true })
  }
  arm()
  return () => {
    if (timer) clearTimeout(timer)
    for (const type of ACTIVITY_EVENTS) target.removeEventListener(type, onActivity, true)
  }
}
