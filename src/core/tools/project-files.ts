import type {Dirent} from 'node:fs'
import {readdir, readFile} from 'node:fs/promises'
import path from 'node:path'
import ignore, {type Ignore} from 'ignore'
import picomatch from 'picomatch'

/** Never listed or searched, whatever .gitignore says. */
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules'])

export type EntryType = 'file' | 'dir' | 'symlink' | 'other'

export interface ProjectEntry {
  /** Relative to the project root, forward slashes. */
  rel: string
  abs: string
  type: EntryType
  /** 1 for entries directly inside the start directory. */
  depth: number
}

export interface WalkOptions {
  /** Directory to start from, relative to the root (default "."). */
  dir?: string
  /** Deepest level yielded; 1 = only the start directory's own entries. Default: unlimited. */
  maxDepth?: number
  /** picomatch glob on root-relative paths; only files are yielded when set. A glob without "/" matches basenames. */
  glob?: string
  /** Stop after yielding this many entries. */
  maxEntries?: number
  signal?: AbortSignal
  /** 'depth' (default): tree order. 'breadth': level by level, so a capped walk still shows every top-level entry. */
  order?: 'depth' | 'breadth'
  /** Yield only files (directories are still walked). */
  filesOnly?: boolean
  /** Entries for which this is true are neither yielded nor entered (the permission policy's forbidden files). */
  hidden?: (rel: string, isDir: boolean) => boolean
}

interface Rules {
  /** Root-relative directory holding the .gitignore, '' for the root. */
  base: string
  ig: Ignore
}

interface DirJob {
  rel: string
  abs: string
  rules: Rules[]
  depth: number
}

/**
 * Walks the project like git sees it: root and nested .gitignore files apply, `.git/` and
 * `node_modules/` are always skipped, symlinks are reported but never followed. Entries within a
 * directory come in code-point order, so output is deterministic.
 */
export async function* walkProject(root: string, options: WalkOptions = {}): AsyncGenerator<ProjectEntry> {
  const startRel = normalizeRel(options.dir ?? '.')
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY
  const maxEntries = options.maxEntries ?? Number.POSITIVE_INFINITY
  const glob = options.glob?.trim().replace(/^\.\//, '')
  const isMatch = glob ? picomatch(glob, {dot: true, basename: !glob.includes('/')}) : undefined
  const filesOnly = options.filesOnly === true || isMatch !== undefined
  const signal = options.signal
  if (maxEntries <= 0) return

  const start: DirJob = {
    rel: startRel,
    abs: startRel === '' ? root : path.join(root, startRel),
    rules: await rulesFor(root, startRel),
    depth: 0,
  }

  let yielded = 0
  const wanted = (entry: ProjectEntry): boolean => (!filesOnly || entry.type !== 'dir') && (isMatch === undefined || isMatch(entry.rel))

  if (options.order === 'breadth') {
    const queue: DirJob[] = [start]
    for (let job = queue.shift(); job; job = queue.shift()) {
      signal?.throwIfAborted()
      const {entries, subdirs} = await readJob(job, options.hidden)
      for (const entry of entries) {
        if (!wanted(entry)) continue
        yield entry
        if (++yielded >= maxEntries) return
      }
      if (job.depth + 1 < maxDepth) queue.push(...subdirs)
    }
    return
  }

  // Depth-first with an explicit stack of per-directory iterators keeps memory flat on deep trees.
  const stack: {entries: ProjectEntry[]; subdirs: Map<string, DirJob>; index: number}[] = []
  const push = async (job: DirJob): Promise<void> => {
    signal?.throwIfAborted()
    const {entries, subdirs} = await readJob(job, options.hidden)
    stack.push({entries, subdirs: new Map(subdirs.map((dir) => [dir.rel, dir])), index: 0})
  }

  await push(start)
  while (stack.length > 0) {
    const top = stack.at(-1)!
    const entry = top.entries[top.index++]
    if (entry === undefined) {
      stack.pop()
      continue
    }
    if (wanted(entry)) {
      yield entry
      if (++yielded >= maxEntries) return
    }
    const sub = top.subdirs.get(entry.rel)
    if (sub && entry.depth < maxDepth) await push(sub)
  }
}

/** Convenience: collect a walk, reporting whether it hit `maxEntries`. */
export async function listProjectFiles(root: string, options: WalkOptions & {maxEntries: number}): Promise<{entries: ProjectEntry[]; truncated: boolean}> {
  const entries: ProjectEntry[] = []
  for await (const entry of walkProject(root, {...options, maxEntries: options.maxEntries + 1})) entries.push(entry)
  const truncated = entries.length > options.maxEntries
  if (truncated) entries.pop()
  return {entries, truncated}
}

async function readJob(job: DirJob, hidden?: WalkOptions['hidden']): Promise<{entries: ProjectEntry[]; subdirs: DirJob[]}> {
  let dirents: Dirent[]
  try {
    dirents = await readdir(job.abs, {withFileTypes: true})
  } catch {
    return {entries: [], subdirs: []}
  }

  const rules = [...job.rules]
  if (dirents.some((d) => d.name === '.gitignore' && !d.isDirectory())) {
    const own = await loadRules(job.abs, job.rel)
    if (own) rules.push(own)
  }

  dirents.sort((a, b) => compareNames(a.name, b.name))
  const entries: ProjectEntry[] = []
  const subdirs: DirJob[] = []
  const depth = job.depth + 1
  for (const dirent of dirents) {
    if (ALWAYS_SKIPPED.has(dirent.name)) continue
    const rel = job.rel === '' ? dirent.name : `${job.rel}/${dirent.name}`
    const type: EntryType = dirent.isDirectory() ? 'dir' : dirent.isFile() ? 'file' : dirent.isSymbolicLink() ? 'symlink' : 'other'
    if (isIgnored(rules, rel, type === 'dir') || hidden?.(rel, type === 'dir')) continue
    const abs = path.join(job.abs, dirent.name)
    entries.push({rel, abs, type, depth})
    if (type === 'dir') subdirs.push({rel, abs, rules, depth})
  }
  return {entries, subdirs}
}

/** Rules that apply inside `startRel`: .gitignore files of the root and every ancestor, plus its own. */
async function rulesFor(root: string, startRel: string): Promise<Rules[]> {
  const rules: Rules[] = []
  const rootRules = await loadRules(root, '')
  if (rootRules) rules.push(rootRules)
  if (startRel === '') return rules

  let rel = ''
  for (const segment of startRel.split('/')) {
    rel = rel === '' ? segment : `${rel}/${segment}`
    const own = await loadRules(path.join(root, rel), rel)
    if (rel === startRel) {
      // Asking for an ignored directory by name is an explicit request: show it, with its own rules only.
      const base = isIgnored(rules, rel, true) ? [] : rules
      return own ? [...base, own] : base
    }
    if (own) rules.push(own)
  }
  return rules
}

async function loadRules(absDir: string, relDir: string): Promise<Rules | undefined> {
  try {
    const text = await readFile(path.join(absDir, '.gitignore'), 'utf8')
    return {base: relDir, ig: ignore().add(text)}
  } catch {
    return undefined
  }
}

/** Deeper .gitignore files win, as in git: a nested `!pattern` re-includes what the root excluded. */
function isIgnored(rules: Rules[], rel: string, isDir: boolean): boolean {
  let ignored = false
  for (const {base, ig} of rules) {
    const sub = base === '' ? rel : rel.startsWith(`${base}/`) ? rel.slice(base.length + 1) : undefined
    if (sub === undefined || sub === '') continue
    const result = ig.test(isDir ? `${sub}/` : sub)
    if (result.ignored) ignored = true
    else if (result.unignored) ignored = false
  }
  return ignored
}

function normalizeRel(rel: string): string {
  const clean = rel
    .split(/[/\\]+/)
    .filter((s) => s !== '' && s !== '.')
    .join('/')
  return clean
}

export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Binary sniff on the first 8 KB: a NUL byte, or bytes that are not UTF-8 and look like
 * control data rather than text in a legacy encoding.
 */
export function isBinary(buffer: Uint8Array): boolean {
  const sample = buffer.subarray(0, 8192)
  if (sample.includes(0)) return true
  if (isValidUtf8(sample, true)) return false
  let suspicious = 0
  for (const byte of sample) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c && byte !== 0x1b) suspicious++
  }
  // Legacy-encoded text (Latin-1 and friends) has almost no control bytes; random data has ~10%.
  return suspicious > sample.length * 0.02
}

/** With `partial`, an incomplete multi-byte sequence at the very end (a cut sample) is allowed. */
export function isValidUtf8(bytes: Uint8Array, partial = false): boolean {
  try {
    new TextDecoder('utf-8', {fatal: true}).decode(bytes, {stream: partial})
    return true
  } catch {
    return false
  }
}
