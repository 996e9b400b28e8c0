/**
 * Keys missing per language, for the inclusion note: `pnpm exec node scripts/i18n-gaps.ts`.
 * Prints, per catalogue, the English keys it lacks, keys English does not have, and messages
 * whose placeholders or plural shape differ; exits 1 when any is non-zero (catalogue.test.ts
 * fails in the same cases). "Same as English" is only a hint: "Plan" is Spanish too.
 */
import { CATALOGUES, LOCALES, type Message, placeholdersOf } from '../shared/src/i18n/index.ts'

const english: Record<string, Message> = CATALOGUES.en
let problems = 0
for (const locale of LOCALES) {
  const catalogue: Record<string, Message | undefined> = CATALOGUES[locale]
  const missing = Object.keys(english).filter((key) => catalogue[key] === undefined)
  const extra = Object.keys(catalogue).filter((key) => english[key] === undefined)
  const mismatched = Object.keys(english).filter((key) => {
    const message = catalogue[key]
    if (message === undefined) return false
    const source = english[key] as Message
    return (
      typeof message !== typeof source ||
      placeholdersOf(message).join() !== placeholdersOf(source).join()
    )
  })
  const same =
    locale === 'en'
      ? 0
      : Object.keys(english).filter(
          (key) => JSON.stringify(catalogue[key]) === JSON.stringify(english[key]),
        ).length
  problems += missing.length + extra.length + mismatched.length
  console.log(
    `${locale}: ${Object.keys(catalogue).length} keys; missing ${missing.length}, extra ${extra.length}, placeholders differ ${mismatched.length}; same text as English ${same}`,
  )
  for (const key of [...missing, ...extra, ...mismatched]) console.log(`  ${key}`)
}
process.exitCode = problems > 0 ? 1 : 0
