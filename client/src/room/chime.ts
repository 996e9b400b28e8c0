/**
 * A soft two-note chime for "time is up", made on the spot with WebAudio (no sound file, nothing
 * fetched). Off unless the person turns it on for this device: a room full of laptops chiming at
 * once is not gentle.
 */
const SOUND_KEY = 'common-ground.timerSound'

export function timerSoundOn(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) === 'on'
  } catch {
    return false
  }
}

export function setTimerSound(on: boolean): void {
  try {
    localStorage.setItem(SOUND_KEY, on ? 'on' : 'off')
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
  // Browsers only let a page make sound after a gesture: this click is one, so unlock now.
  if (on) audio()?.resume()
}

let context: AudioContext | null = null

function audio(): AudioContext | null {
  if (context) return context
  const Context = window.AudioContext
  if (!Context) return null
  context = new Context()
  return context
}

export function playChime(): void {
  const ctx = audio()
  if (!ctx) return
  void ctx.resume()
  const start = ctx.currentTime + 0.05
  // Two sine notes a fifth apart, each fading in and out over most of a second: quiet and round.
  for (const [offset, frequency] of [
    [0, 660],
    [0.35, 990],
  ] as const) {
    const oscillator = ctx.createOscillator()
    const gain = ctx.createGain()
    oscillator.type = 'sine'
    oscillator.frequency.value = frequency
    const at = start + offset
    gain.gain.setValueAtTime(0, at)
    gain.gain.linearRampToValueAtTime(0.12, at + 0.04)
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.9)
    oscillator.connect(gain).connect(ctx.destination)
    oscillator.start(at)
    oscillator.stop(at + 1)
  }
}
