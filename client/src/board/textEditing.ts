/**
 * How the text editor inside a note (tldraw's TipTap) starts. TipTap's `autofocus`, on in
 * tldraw, moves the caret to the very start once the editor's start-up timer runs (a
 * `setTimeout(0)` after it mounts). By then the note already has the focus (tldraw gives it as
 * the note opens) and tldraw places the caret itself (at the end, where the person clicked, or
 * selecting all), so letters typed in between came out after what followed them: "Written
 * offline one" became "n offline oneWritte" when typing began at once on a busy page, as on
 * venue wifi that just dropped. Without it nothing moves the caret behind the person's back.
 */
import type { TldrawOptions } from 'tldraw'

/** The `options` of our `<Tldraw>`: tldraw's own, but for how its text editor starts. */
export const EDITOR_OPTIONS = {
  // tldraw adds its TipTap extensions to this config itself.
  text: { tipTapConfig: { autofocus: false } },
} satisfies Partial<TldrawOptions>
