import {exists, readProjectText} from './read-text.js'
import type {CommandKind, Toolchain} from './toolchain.js'

type NodeManager = 'npm' | 'pnpm' | 'yarn' | 'bun'

/** The lockfile each package manager writes, in the order they are checked (a stray package-lock.json loses to the others). */
const LOCKFILES: [string, NodeManager][] = [
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
]

/** package.json scripts for each kind of command, the usual names first. */
const SCRIPTS: [Exclude<CommandKind, 'install'>, string[]][] = [
  ['test', ['test']],
  ['build', ['build']],
  ['lint', ['lint']],
  ['typecheck', ['typecheck', 'type-check', 'check-types', 'types', 'tsc']],
  ['format', ['format', 'fmt', 'prettier']],
]

/** A Node project: its package manager (packageManager field, else lockfile, else npm) and its scripts. */
export async function detectNode(root: string): Promise<Toolchain | undefined> {
  const text = await readProjectText(root, 'package.json')
  if (text === undefined) return undefined
  let pkg: {packageManager?: unknown; scripts?: unknown; workspaces?: unknown}
  try {
    pkg = JSON.parse(text) ?? {}
  } catch {
    return {name: 'npm', evidence: 'package.json (not valid JSON: its scripts could not be read)', commands: {}}
  }

  const {manager, evidence} = await packageManager(root, pkg.packageManager)
  const scripts = isRecord(pkg.scripts) ? pkg.scripts : {}
  const commands: Toolchain['commands'] = {install: `${manager} install`}
  for (const [kind, names] of SCRIPTS) {
    const name = names.find((candidate) => typeof scripts[candidate] === 'string' && !isPlaceholder(candidate, scripts[candidate] as string))
    if (name) commands[kind] = runScript(manager, name)
  }

  const workspaces = await workspaceGlobs(root, pkg.workspaces)
  const notes =
    workspaces.length > 0 ? [`Monorepo: workspaces ${workspaces.map((glob) => `\`${glob}\``).join(', ')}; a package may have its own AGENTS.md`] : undefined
  return {name: manager, evidence, commands, ...(notes ? {notes} : {})}
}

async function packageManager(root: string, field: unknown): Promise<{manager: NodeManager; evidence: string}> {
  // Corepack's field ("pnpm@9.1.0") is the project saying so outright.
  const named = typeof field === 'string' ? /^(npm|pnpm|yarn|bun)@/.exec(field)?.[1] : undefined
  if (named) return {manager: named as NodeManager, evidence: `package.json "packageManager": "${field as string}"`}
  for (const [file, manager] of LOCKFILES) if (await exists(root, file)) return {manager, evidence: file}
  return {manager: 'npm', evidence: 'package.json (no lockfile)'}
}

/** `bun test` is bun's own test runner, not the script: bun always gets `bun run`. */
function runScript(manager: NodeManager, script: string): string {
  if (script === 'test' && manager !== 'bun') return `${manager} test`
  return `${manager} run ${script}`
}

/** `npm init` writes a test script that only fails: it is not a test command. */
function isPlaceholder(name: string, script: string): boolean {
  return name === 'test' && /no test specified/i.test(script)
}

async function workspaceGlobs(root: string, field: unknown): Promise<string[]> {
  const fromPackage = Array.isArray(field) ? field : isRecord(field) && Array.isArray(field.packages) ? field.packages : []
  const globs = fromPackage.filter((glob): glob is string => typeof glob === 'string')
  const pnpm = await readProjectText(root, 'pnpm-workspace.yaml')
  // The list under `packages:`, as pnpm writes it: `  - 'packages/*'`.
  if (pnpm) for (const match of pnpm.matchAll(/^\s+-\s+['"]?([^'"\n#]+?)['"]?\s*$/gm)) globs.push(match[1]!)
  return [...new Set(globs)]
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
