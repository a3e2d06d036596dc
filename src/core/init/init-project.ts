import {lstat, mkdir, readFile} from 'node:fs/promises'
import path from 'node:path'

import {ChangeJournal} from '../changes/journal.js'
import {CONFIG_FILE, ConfigError} from '../config/load.js'
import {configSchema} from '../config/schema.js'
import {createPermissionPolicy} from '../permissions/index.js'
import {atomicWrite} from '../tools/atomic-write.js'
import {detectProject, type ProjectFacts} from './detect.js'
import {readProjectText} from './read-text.js'
import {renderAgentsMd} from './starter-agents-md.js'
import {isObject, mergeConfig, starterConfig} from './starter-config.js'

export const AGENTS_FILE = 'AGENTS.md'

/**
 * What happens to a file: create (it did not exist), replace (AGENTS.md with --force), merge (keys
 * added to an existing config with --force), unchanged (already what init would write), keep (it
 * exists and init leaves it alone without --force, or cannot safely touch it).
 */
export type InitAction = 'create' | 'replace' | 'merge' | 'unchanged' | 'keep'

export interface InitFile {
  path: string
  action: InitAction
  /** Why a file is kept, or what a merge adds. */
  reason?: string
  /** The whole file as init writes it (or would, under --dry-run). */
  content?: string
}

export interface InitReport {
  root: string
  dryRun: boolean
  files: InitFile[]
  detected: Pick<ProjectFacts, 'commands' | 'languages' | 'layout' | 'generated' | 'gitignore'> & {toolchains: {name: string; evidence: string}[]}
  /** Things worth doing that init does not do itself. */
  hints: string[]
}

export interface InitOptions {
  /** Replace an existing AGENTS.md; add missing keys to an existing config. */
  force: boolean
  /** Report what would be written, and write nothing. */
  dryRun: boolean
  /** The model named in a new config. */
  model: string
}

/**
 * `faithh init`: looks at the project and writes a starter AGENTS.md and .faithh/config.json.
 * Never overwrites without --force, and even then never loses data: a config is merged (every
 * existing value kept), a replaced AGENTS.md is journaled (`faithh undo` brings it back), writes
 * are atomic. Idempotent: a second run finds the files as it would write them and changes nothing.
 */
export async function initProject(root: string, options: InitOptions): Promise<InitReport> {
  const facts = await detectProject(root)
  // Plan both files before writing either: a config that cannot be merged stops the run with nothing written.
  const agents = await planAgentsMd(root, renderAgentsMd(facts), options.force)
  const config = await planConfig(root, starterConfig(facts, options.model), options.force)
  const files = [agents.file, config.file]
  if (!options.dryRun) await write(root, files)

  return {
    root,
    dryRun: options.dryRun,
    // The contents are what --dry-run is for; otherwise they are on disk.
    files: options.dryRun ? files : files.map(({content: _content, ...file}) => file),
    detected: {
      toolchains: facts.toolchains.map(({name, evidence}) => ({name, evidence})),
      commands: facts.commands,
      languages: facts.languages,
      layout: facts.layout,
      generated: facts.generated,
      gitignore: facts.gitignore,
    },
    hints: await hints(root, facts, config.effective),
  }
}

async function planAgentsMd(root: string, content: string, force: boolean): Promise<{file: InitFile}> {
  const info = await lstat(path.join(root, AGENTS_FILE)).catch(() => undefined)
  if (!info) return {file: {path: AGENTS_FILE, action: 'create', content}}
  // Renaming a new file over a symlink would cut the link, and whatever it points at is not ours to rewrite.
  if (info.isSymbolicLink()) return {file: {path: AGENTS_FILE, action: 'keep', reason: 'it is a symlink: edit the file it points to'}}
  if (!info.isFile()) return {file: {path: AGENTS_FILE, action: 'keep', reason: 'it is not a regular file'}}
  const current = await readFile(path.join(root, AGENTS_FILE), 'utf8')
  if (current === content) return {file: {path: AGENTS_FILE, action: 'unchanged', content}}
  if (!force) return {file: {path: AGENTS_FILE, action: 'keep', reason: 'it exists; --force replaces it (`faithh undo` brings the old one back)'}}
  return {file: {path: AGENTS_FILE, action: 'replace', content}}
}

/** Plans the config; `effective` is the configuration as it will be (for the hints), when it is valid. */
async function planConfig(root: string, starter: Record<string, unknown>, force: boolean): Promise<{file: InitFile; effective?: unknown}> {
  const rel = CONFIG_FILE
  const text = await readProjectText(root, rel)
  const fresh = JSON.stringify(starter, null, 2) + '\n'
  if (text === undefined) {
    if (await lstat(path.join(root, rel)).catch(() => undefined)) return {file: {path: rel, action: 'keep', reason: 'it exists but is not a readable file'}}
    return {file: {path: rel, action: 'create', content: fresh}, effective: starter}
  }

  let existing: unknown
  try {
    existing = JSON.parse(text)
  } catch (error) {
    if (!force) return {file: {path: rel, action: 'keep', reason: `it exists (and is not valid JSON: ${(error as Error).message})`}}
    throw new ConfigError(`cannot add to ${rel}: it is not valid JSON (${(error as Error).message})`, {
      hint: `fix it, or move it away and run \`faithh init\` again`,
    })
  }

  if (!isObject(existing)) {
    if (!force) return {file: {path: rel, action: 'keep', reason: 'it exists (and is not a JSON object)'}}
    throw new ConfigError(`cannot add to ${rel}: it is not a JSON object`, {hint: 'fix it, or move it away and run `faithh init` again'})
  }

  const {merged, added} = mergeConfig(existing, starter)
  if (added.length === 0) return {file: {path: rel, action: 'unchanged', content: text}, effective: merged}
  const adds = `adds ${added.join(', ')}; every value already there is kept`
  if (!force) return {file: {path: rel, action: 'keep', reason: `it exists; --force ${adds}`}, effective: existing}
  return {file: {path: rel, action: 'merge', reason: adds, content: JSON.stringify(merged, null, 2) + '\n'}, effective: merged}
}

/** Atomic writes, journaled as one run, so `faithh undo` reverts the whole init. */
async function write(root: string, files: InitFile[]): Promise<void> {
  const journal = new ChangeJournal(root, 'init')
  for (const file of files) {
    if (file.action === 'keep' || file.action === 'unchanged' || file.content === undefined) continue
    const abs = path.join(root, file.path)
    await mkdir(path.dirname(abs), {recursive: true})
    await journal.before(abs, file.path)
    await atomicWrite(abs, file.content)
    await journal.after(file.path, Buffer.from(file.content))
  }
}

async function hints(root: string, facts: ProjectFacts, effective: unknown): Promise<string[]> {
  const out: string[] = []
  if (!facts.commands.test) out.push('no test command found: add one to AGENTS.md under "## Commands", so the agent can check its work')
  if (await readProjectText(root, 'FAITHH.md')) out.push('FAITHH.md exists at the root: faithh reads it instead of AGENTS.md there')

  // Checks the agent runs unattended (faithh run --fix, plan --verify) should not stop to ask.
  const parsed = configSchema.safeParse(effective ?? {})
  if (parsed.success) {
    const policy = createPermissionPolicy(root, parsed.data.permissions)
    for (const command of [facts.commands.test?.[0], facts.commands.lint?.[0], facts.commands.typecheck?.[0]]) {
      if (!command) continue
      const decision = await policy.checkCommand(command, {cwd: root})
      if (decision.verdict === 'ask')
        out.push(`\`${command}\` will ask before it runs: to run it without asking, add it to permissions.commands.allow in ${CONFIG_FILE}`)
    }
  }

  const unignored = facts.generated.filter((found) => !found.gitignored).map((found) => `${found.dir}/`)
  if (unignored.length > 0)
    out.push(
      `${unignored.join(', ')} ${unignored.length === 1 ? 'is' : 'are'} not in .gitignore: rag.ignore keeps ${unignored.length === 1 ? 'it' : 'them'} out of the index`,
    )
  if (!facts.gitignore) out.push("no .gitignore: list generated and local files there (faithh's tools and index skip what it lists)")
  else if (!facts.gitignoresState) {
    out.push(".faithh/ also holds this machine's state (undo journal, index, sessions): add `.faithh/*` and `!.faithh/config.json` to .gitignore")
  }

  return out
}
