/**
 * Rewrites imports of `@common-ground/shared` into imports of its domains
 * (`@common-ground/shared/board`, `/plan`, …):
 *
 *   node_modules/node/bin/node scripts/shared-imports.ts <dir or file>... [--check]
 *
 * Every `import … from '@common-ground/shared'`, `import type …` and `export … from` in the
 * .ts/.tsx files given is split into one declaration per domain its names come from, keeping
 * `type` modifiers and aliases (a domain that gets only types gets `import type`) and the
 * comments above it; `export * from` becomes one per domain. Which domain exports a name is
 * asked of the TypeScript checker, over every subpath of shared/package.json whose target is an
 * `index.ts` barrel. A namespace import, a dynamic `import()`, a name no domain exports or a
 * comment inside the braces is reported and left alone (exit code 1). `--check` writes nothing
 * and exits 1 when a file would change. Run `pnpm format` afterwards: biome sorts the imports.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import ts from 'typescript'

const SHARED_DIR = resolve(import.meta.dirname, '../shared')
const manifest = JSON.parse(readFileSync(join(SHARED_DIR, 'package.json'), 'utf8')) as {
  name: string
  exports: Record<string, string>
}
const PACKAGE = manifest.name
const LINE_WIDTH = 100

/** Each exported name → the subpath specifier whose barrel exports it. */
function domainOfNames(): Map<string, string> {
  const barrels = Object.entries(manifest.exports)
    .filter(([subpath, target]) => subpath !== '.' && target.endsWith('/index.ts'))
    .map(([subpath, target]) => ({
      specifier: `${PACKAGE}/${subpath.slice(2)}`,
      file: resolve(SHARED_DIR, target),
    }))
  const program = ts.createProgram(
    barrels.map((barrel) => barrel.file),
    {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      allowImportingTsExtensions: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    },
  )
  const checker = program.getTypeChecker()
  const domains = new Map<string, string>()
  const clashes: string[] = []
  for (const barrel of barrels) {
    const source = program.getSourceFile(barrel.file)
    const module = source && checker.getSymbolAtLocation(source)
    if (!module) throw new Error(`cannot read the exports of ${barrel.file}`)
    for (const symbol of checker.getExportsOfModule(module)) {
      const earlier = domains.get(symbol.name)
      if (earlier) clashes.push(`${symbol.name} (${earlier}, ${barrel.specifier})`)
      domains.set(symbol.name, barrel.specifier)
    }
  }
  // A name in two domains could go either way; the barrels must not overlap.
  if (clashes.length > 0) throw new Error(`exported by two domains: ${clashes.join(', ')}`)
  return domains
}

function sourceFiles(paths: string[]): string[] {
  const files: string[] = []
  for (const path of paths) {
    if (statSync(path).isFile()) {
      files.push(path)
      continue
    }
    for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
      const file = join(entry.parentPath, entry.name)
      if (!entry.isFile() || !/\.[cm]?tsx?$/.test(entry.name) || entry.name.endsWith('.d.ts'))
        continue
      if (/(^|\/)(node_modules|dist)\//.test(relative(path, file))) continue
      files.push(file)
    }
  }
  return files.sort()
}

type Specifier = ts.ImportSpecifier | ts.ExportSpecifier

/** One declaration: `import type { a, b as c } from 'x' with {…};`, wrapped like biome does. */
function declaration(head: string, specifiers: string[], tail: string): string {
  const line = `${head} { ${specifiers.join(', ')} } from ${tail}`
  if (line.length <= LINE_WIDTH && !line.includes('\n')) return line
  return `${head} {\n${specifiers.map((text) => `  ${text},\n`).join('')}} from ${tail}`
}

interface Rewrite {
  start: number
  end: number
  text: string
}

/** The new text of one file (or null when nothing changes), and what was left alone and why. */
function rewrite(file: string, text: string, domains: Map<string, string>) {
  const kind = file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind)
  const rewrites: Rewrite[] = []
  const problems: string[] = []
  /** Declarations from the package, rewritten or reported: the scan below skips them. */
  const handled: ts.Node[] = []
  const where = (node: ts.Node) =>
    `${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`

  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue
    const from = statement.moduleSpecifier
    if (!from || !ts.isStringLiteral(from) || from.text !== PACKAGE) continue
    handled.push(statement)
    const quote = from.getText(source)[0]
    const attributes = statement.attributes ? ` ${statement.attributes.getText(source)}` : ''
    const semicolon = statement.getText(source).endsWith(';') ? ';' : ''
    const tail = (specifier: string) => `${quote}${specifier}${quote}${attributes}${semicolon}`
    const domainList = [...new Set(domains.values())].sort()

    let keyword: 'import' | 'export'
    let typeOnly: boolean
    let specifiers: readonly Specifier[]
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause
      const bindings = clause?.namedBindings
      if (!clause || clause.name || !bindings || !ts.isNamedImports(bindings)) {
        problems.push(`${where(statement)}: not a plain named import; left as is`)
        continue
      }
      keyword = 'import'
      typeOnly = clause.isTypeOnly
      specifiers = bindings.elements
    } else {
      const clause = statement.exportClause
      if (!clause) {
        // `export * from` the whole package: the same, one domain at a time.
        const star = statement.isTypeOnly ? 'export type *' : 'export *'
        const text = domainList.map((domain) => `${star} from ${tail(domain)}`).join('\n')
        rewrites.push({ start: statement.getStart(source), end: statement.getEnd(), text })
        continue
      }
      if (!ts.isNamedExports(clause)) {
        problems.push(`${where(statement)}: \`export * as\` of the whole package; left as is`)
        continue
      }
      keyword = 'export'
      typeOnly = statement.isTypeOnly
      specifiers = clause.elements
    }

    // A comment between the braces has no obvious place once they are split.
    if (/\/\/|\/\*/.test((specifiers[0]?.parent ?? statement).getText(source))) {
      problems.push(`${where(statement)}: comments inside the braces; left as is`)
      continue
    }
    const byDomain = new Map<string, Specifier[]>()
    const unknown: string[] = []
    for (const specifier of specifiers) {
      const name = (specifier.propertyName ?? specifier.name).text
      const domain = domains.get(name)
      if (!domain) {
        unknown.push(name)
        continue
      }
      byDomain.set(domain, [...(byDomain.get(domain) ?? []), specifier])
    }
    if (unknown.length > 0) {
      problems.push(`${where(statement)}: no domain exports ${unknown.join(', ')}; left as is`)
      continue
    }
    const text = [...byDomain.keys()]
      .sort()
      .map((domain) => {
        const group = byDomain.get(domain) ?? []
        const texts = group.map((specifier) => specifier.getText(source))
        if (typeOnly) return declaration(`${keyword} type`, texts, tail(domain))
        // Only types from this domain: `import type { A }`, not `import { type A }`, which
        // verbatimModuleSyntax keeps as an empty import of the module.
        if (!group.every((specifier) => specifier.isTypeOnly))
          return declaration(keyword, texts, tail(domain))
        const names = texts.map((text) => text.replace(/^type\s+/, ''))
        return declaration(`${keyword} type`, names, tail(domain))
      })
      .join('\n')
    // From the declaration's first token: comments above it stay where they are.
    rewrites.push({ start: statement.getStart(source), end: statement.getEnd(), text })
  }

  // Anything else naming the whole package: `import('…')`, `typeof import('…')`, vi.mock('…').
  const visit = (node: ts.Node): void => {
    if (handled.includes(node)) return
    if (ts.isStringLiteralLike(node) && node.text === PACKAGE)
      problems.push(`${where(node)}: '${PACKAGE}' used here; left as is`)
    ts.forEachChild(node, visit)
  }
  visit(source)

  let result = text
  for (const change of rewrites.sort((a, b) => b.start - a.start))
    result = result.slice(0, change.start) + change.text + result.slice(change.end)
  return { text: result === text ? null : result, problems }
}

const args = process.argv.slice(2)
const check = args.includes('--check')
const paths = args.filter((arg) => arg !== '--check')
if (paths.length === 0) {
  console.error('usage: node scripts/shared-imports.ts <dir or file>... [--check]')
  process.exit(2)
}

const domains = domainOfNames()
let changed = 0
let problemCount = 0
for (const file of sourceFiles(paths)) {
  const before = readFileSync(file, 'utf8')
  if (!before.includes(PACKAGE)) continue
  const { text, problems } = rewrite(file, before, domains)
  for (const problem of problems) console.error(problem)
  problemCount += problems.length
  if (text === null) continue
  changed++
  if (check) console.log(`would rewrite ${file}`)
  else {
    writeFileSync(file, text)
    console.log(`rewrote ${relative(process.cwd(), file) || file}`)
  }
}
const domainNames = [...new Set(domains.values())].map((d) => d.slice(PACKAGE.length + 1))
console.log(
  `${changed} file(s) ${check ? 'to rewrite' : 'rewritten'}` +
    (problemCount > 0 ? `, ${problemCount} left for a person (above)` : '') +
    ` (domains: ${domainNames.join(', ')})`,
)
process.exitCode = problemCount > 0 || (check && changed > 0) ? 1 : 0
