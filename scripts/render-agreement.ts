/**
 * Renders an agreement draft's pages to PNG, to look at what Word or LibreOffice will show:
 *
 *   node_modules/node/bin/node scripts/render-agreement.ts [--plan plan.json] [--kind mou|dsa]
 *     [--lang en|es] [--pages 1] [--out /tmp/agreement-pages]
 *
 * `--plan` is a board's exported plan.json (its agreement details come along); without it, a
 * sample retreat board. Writes `<kind>-<lang>.docx`, `.pdf` and `<kind>-<lang>-<page>.png` into
 * `--out`. Needs LibreOffice (`soffice`) and poppler (`pdftoppm`); says how to install them when
 * they are missing.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { agreementToDocx } from '../shared/src/agreement/docx.ts'
import {
  type AgreementFields,
  buildAgreement,
  isAgreementKind,
  setAgreementDate,
  setAgreementPerson,
  setAgreementTerm,
} from '../shared/src/agreement/index.ts'
import { importPlan } from '../shared/src/export/json.ts'
import { isLocale } from '../shared/src/i18n/index.ts'
import { derivePlan } from '../shared/src/plan/derivePlan.ts'
import { sampleRetreatBoard } from '../shared/src/plan/fixtures.ts'
import type { PartnershipPlan } from '../shared/src/plan/partnershipPlan.ts'

const { values } = parseArgs({
  options: {
    plan: { type: 'string' },
    kind: { type: 'string', default: 'mou' },
    lang: { type: 'string', default: 'en' },
    pages: { type: 'string', default: '1' },
    out: { type: 'string', default: '/tmp/agreement-pages' },
  },
})

function stop(message: string): never {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}

const missing = ['soffice', 'pdftoppm'].filter(
  (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0,
)
if (missing.length > 0) {
  stop(
    `Needs ${missing.join(' and ')}. On Debian or Ubuntu:\n` +
      '  sudo apt-get update && sudo apt-get install -y libreoffice-writer-nogui poppler-utils\n' +
      'On macOS: brew install --cask libreoffice && brew install poppler',
  )
}
const { kind, lang } = values
if (!isAgreementKind(kind)) stop('--kind must be mou or dsa')
if (!isLocale(lang)) stop('--lang must be en or es')
const pages = Number(values.pages)
if (!Number.isInteger(pages) || pages < 1) stop('--pages must be a whole number from 1')

function sample(): { plan: PartnershipPlan; fields: AgreementFields } {
  const doc = sampleRetreatBoard({
    organizations: 4,
    intersections: 2,
    issues: 6,
    steps: 10,
    actionIssues: 3,
    updates: 2,
  })
  // Part of the agreement details, as a facilitator leaves them mid-way.
  setAgreementDate(doc, '2026-07-01')
  setAgreementTerm(doc, '')
  setAgreementPerson(doc, 'signatories', 'a', {
    name: 'Ana Ruiz',
    title: 'Executive director',
    organization: 'shape:org0',
  })
  setAgreementPerson(doc, 'signatories', 'b', { name: '', title: '', organization: 'shape:org1' })
  setAgreementPerson(doc, 'contacts', 'c', {
    name: 'Luis Ortega',
    organization: 'shape:org2',
    email: 'luis@example.org',
    phone: '',
  })
  const plan = derivePlan(doc, { locale: lang as 'en' | 'es' })
  return { plan, fields: plan.agreement }
}

function fromFile(path: string): { plan: PartnershipPlan; fields: AgreementFields } {
  const result = importPlan(readFileSync(path, 'utf8'))
  if (!result.ok) stop(`${path}: ${result.path ? `${result.path}: ` : ''}${result.message}`)
  return { plan: result.plan, fields: result.plan.agreement }
}

const { plan, fields } = values.plan ? fromFile(values.plan) : sample()
const out = resolve(values.out)
mkdirSync(out, { recursive: true })
const name = `${kind}-${lang}`
const docx = join(out, `${name}.docx`)
writeFileSync(docx, await agreementToDocx(buildAgreement(plan, fields, { kind, locale: lang })))

const convert = spawnSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', out, docx], {
  encoding: 'utf8',
  timeout: 120_000,
})
if (convert.status !== 0) stop(`LibreOffice could not convert ${docx}:\n${convert.stderr}`)
const pdf = join(out, `${name}.pdf`)
const render = spawnSync(
  'pdftoppm',
  ['-png', '-r', '60', '-f', '1', '-l', String(pages), pdf, join(out, name)],
  { encoding: 'utf8' },
)
if (render.status !== 0) stop(`pdftoppm could not render ${pdf}:\n${render.stderr}`)
process.stdout.write(`${docx}\n${pdf}\nPNG pages: ${join(out, `${name}-*.png`)}\n`)
