/**
 * Import cycles among our own modules: `node_modules/node/bin/node scripts/import-cycles.ts
 * shared/src server/src test client/src`. Follows every `import`/`export … from` (type-only ones
 * too, marked) through relative paths and package names (`@common-ground/shared/board` → its
 * barrel), as TypeScript resolves them; prints each cycle and exits 1 if there is one.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import ts from 'typescript'

const OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  allowImportingTsExtensions: true,
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(
      (entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts'),
    )
    .map((entry) => resolve(entry.parentPath, entry.name))
    .filter((file) => !/(^|\/)(node_modules|dist)\//.test(relative(dir, file)))
}

/** `import type {…}`, `import { type A, type B }`, `export type {…} from`: gone at run time. */
function isTypeOnly(statement: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(statement)) return statement.isTypeOnly
  const clause = statement.importClause
  if (!clause) return false
  if (clause.isTypeOnly) return true
  const bindings = clause.namedBindings
  return (
    !clause.name &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((element) => element.isTypeOnly)
  )
}

/** Each file's imports of our own files, and whether each edge is only types. */
const edges = new Map<string, Map<string, boolean>>()
const dirs = process.argv.slice(2)
const files = new Set(dirs.flatMap((dir) => sourceFiles(dir)))
const pending = [...files]
while (pending.length > 0) {
  const file = pending.pop() as string
  if (edges.has(file)) continue
  const out = new Map<string, boolean>()
  edges.set(file, out)
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest)
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue
    const from = statement.moduleSpecifier
    if (!from || !ts.isStringLiteral(from)) continue
    const resolved = ts.resolveModuleName(from.text, file, OPTIONS, ts.sys).resolvedModule
    // Ours: not under node_modules once symlinks are resolved (a workspace package is not).
    const target = resolved?.resolvedFileName
    if (!target || target.includes('/node_modules/') || target.endsWith('.d.ts')) continue
    out.set(target, (out.get(target) ?? true) && isTypeOnly(statement))
    // Follow imports out of the given directories too (a package's barrel and what it exports).
    if (!edges.has(target)) pending.push(target)
  }
}

// Tarjan's strongly connected components: every component of more than one file is a cycle.
let index = 0
const indexOf = new Map<string, number>()
const lowOf = new Map<string, number>()
const stack: string[] = []
const onStack = new Set<string>()
const cycles: string[][] = []
function connect(file: string): void {
  indexOf.set(file, index)
  lowOf.set(file, index++)
  stack.push(file)
  onStack.add(file)
  for (const target of edges.get(file)?.keys() ?? []) {
    if (!indexOf.has(target)) {
      connect(target)
      lowOf.set(file, Math.min(lowOf.get(file) as number, lowOf.get(target) as number))
    } else if (onStack.has(target))
      lowOf.set(file, Math.min(lowOf.get(file) as number, indexOf.get(target) as number))
  }
  if (lowOf.get(file) !== indexOf.get(file)) return
  const component: string[] = []
  let member: string
  do {
    member = stack.pop() as string
    onStack.delete(member)
    component.push(member)
  } while (member !== file)
  if (component.length > 1 || edges.get(file)?.has(file)) cycles.push(component.sort())
}
for (const file of edges.keys()) if (!indexOf.has(file)) connect(file)

const root = process.cwd()
for (const component of cycles) {
  const members = new Set(component)
  console.log(`cycle of ${component.length} file(s):`)
  for (const file of component)
    for (const [target, typeOnly] of edges.get(file) ?? [])
      if (members.has(target))
        console.log(
          `  ${relative(root, file)} → ${relative(root, target)}${typeOnly ? ' (types)' : ''}`,
        )
}
console.log(`${edges.size} files, ${cycles.length} cycle(s)`)
process.exitCode = cycles.length > 0 ? 1 : 0
