/**
 * A number as a person types it in their language: "3.5" and "3,5" (a decimal comma, as Spanish
 * writes it), "1,234.5" or "1.234,5" (digits grouped). Null when the text is not one number.
 */
export function parseTypedNumber(text: string, locale: string): number | null {
  let s = text.trim().replace(/[\s\u00a0\u202f']/g, '')
  if (s === '') return null
  const comma = s.lastIndexOf(',')
  const dot = s.lastIndexOf('.')
  if (comma > -1 && dot > -1) {
    // Both: the later mark is the decimal one, the other groups digits.
    s = comma > dot ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '')
  } else if (comma > -1) {
    // English groups with commas ("1,234"); otherwise a comma is the decimal mark.
    const grouped = /^[-+]?\d{1,3}(,\d{3})+$/.test(s)
    s = locale.startsWith('en') && grouped ? s.replace(/,/g, '') : s
    if (s.split(',').length > 2) return null
    s = s.replace(',', '.')
  } else if (dot > -1 && !locale.startsWith('en') && /^[-+]?\d{1,3}(\.\d{3}){2,}$/.test(s)) {
    // "1.234.567" in Spanish: grouped. A single dot stays decimal ("3.5" means 3.5 everywhere).
    s = s.replace(/\./g, '')
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return null
  const value = Number(s)
  return Number.isFinite(value) ? value : null
}
