/**
 * Puts text on the clipboard. The Clipboard API needs a secure context, which a venue LAN on plain
 * http is not; there, a prompt shows the text selected, ready to copy by hand.
 */
export async function copyText(text: string, promptLabel: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text)
  } catch {
    window.prompt(promptLabel, text)
  }
}
