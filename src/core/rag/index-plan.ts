import {createHash} from 'node:crypto'
import {readFile, stat} from 'node:fs/promises'
import path from 'node:path'
import picomatch from 'picomatch'

import {isBinary, walkProject} from '../tools/project-files.js'
import {chunkFile, type Chunk} from './chunker.js'
import {definedNames} from './definitions.js'
import {fileKindOf, type FileKind} from './file-kinds.js'
import {languageFor} from './languages.js'
import type {IndexManifest, ManifestFile} from './manifest.js'

/** Skipped on top of .gitignore: generated text that would crowd out real code in every ranking. */
export const DEFAULT_IGNORE = ['.faithh/**', '*.min.js', '*.min.css', '*.map', 'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', '*.lock']

/**
 * A file whose chunks must be (re)computed: new, changed, or unchanged but due a refresh (it has no
 * vectors yet, or the lexical index is of an older format). Only what it is, not its content: the
 * index run reads and chunks files one after another (see prepareFile), so memory does not grow
 * with the project.
 */
export interface FileWork {
  rel: string
  kind: 'added' | 'changed' | 'refresh'
  entry: Omit<ManifestFile, 'embedded' | 'chunks'>
  /** Chunks when planned, for progress. */
  chunkCount: number
}

/** A file read and cut for indexing. */
export interface PreparedFile {
  work: FileWork
  chunks: PlannedChunk[]
  /** What the file is (source, test, docs, …), for ranking. */
  fileKind: FileKind
  /** Names the file defines, for the symbol table. */
  names: string[]
}

export interface PlannedChunk extends Chunk {
  id: string
}

export interface IndexPlan {
  work: FileWork[]
  /** Same content, new size or mtime (a touch, a checkout): only the manifest changes. */
  touched: {rel: string; size: number; mtimeMs: number}[]
  removed: string[]
  unchanged: number
  skipped: {binary: number; large: number}
  /** Files seen in scope. */
  total: number
}

export interface PlanOptions {
  root: string
  /** Root-relative folder, '' for the whole project. */
  scope: string
  manifest: IndexManifest
  ignore: string[]
  /** Files the permission policy forbids tools to read (a .env): never indexed, so no search shows them. */
  isForbidden?: (rel: string) => boolean
  maxFileBytes: number
  chunkTokens: number
  /** Whether files already indexed without vectors should get them now. */
  wantVectors: boolean
  /** Whether every file must be read again because the lexical index is of an older format. */
  refreshAll?: boolean
  signal?: AbortSignal
  onFile?: (done: number, total: number) => void
}

/** Stats at most this many files at once: enough to hide disk latency, few enough for any ulimit. */
const CONCURRENCY = 32

/**
 * Compares the project with the manifest. Size and mtime decide first, as git does, so a re-index
 * with nothing changed reads no file; a file whose stat changed is hashed, and only a new hash
 * means new chunks.
 */
export async function planIndex(options: PlanOptions): Promise<IndexPlan> {
  const {root, scope, manifest, signal} = options
  const isIgnored = ignoreMatcher([...DEFAULT_IGNORE, ...options.ignore])
  const paths: {rel: string; abs: string}[] = []
  for await (const entry of walkProject(root, {dir: scope, filesOnly: true, signal})) {
    if (entry.type === 'file' && !isIgnored(entry.rel) && !options.isForbidden?.(entry.rel)) paths.push({rel: entry.rel, abs: entry.abs})
  }

  const plan: IndexPlan = {work: [], touched: [], removed: [], unchanged: 0, skipped: {binary: 0, large: 0}, total: paths.length}
  const seen = new Set<string>()
  const results: (FileWork | undefined)[] = new Array(paths.length)
  let done = 0
  let next = 0
  const worker = async () => {
    for (let i = next++; i < paths.length; i = next++) {
      signal?.throwIfAborted()
      results[i] = await planFile(paths[i]!.rel, paths[i]!.abs, options, plan, seen)
      options.onFile?.(++done, paths.length)
    }
  }

  await Promise.all(Array.from({length: Math.min(CONCURRENCY, paths.length)}, worker))
  plan.work = results.filter((work): work is FileWork => work !== undefined)

  const inScope = (rel: string) => scope === '' || rel === scope || rel.startsWith(`${scope}/`)
  plan.removed = Object.keys(manifest.files).filter((rel) => inScope(rel) && !seen.has(rel))
  return plan
}

async function planFile(rel: string, abs: string, options: PlanOptions, plan: IndexPlan, seen: Set<string>): Promise<FileWork | undefined> {
  const info = await stat(abs).catch(() => undefined)
  if (!info) return undefined
  if (info.size > options.maxFileBytes) {
    plan.skipped.large++
    return undefined
  }

  const old = options.manifest.files[rel]
  const needsRefresh = (options.wantVectors && !old?.embedded) || options.refreshAll === true
  if (old && old.size === info.size && old.mtimeMs === info.mtimeMs && !needsRefresh) {
    seen.add(rel)
    plan.unchanged++
    return undefined
  }

  const buffer = await readFile(abs).catch(() => undefined)
  if (!buffer) return undefined
  if (isBinary(buffer)) {
    plan.skipped.binary++
    return undefined
  }

  seen.add(rel)
  const hash = createHash('sha1').update(buffer).digest('hex')
  if (old && old.hash === hash && !needsRefresh) {
    plan.unchanged++
    plan.touched.push({rel, size: info.size, mtimeMs: info.mtimeMs})
    return undefined
  }

  const kind = !old ? 'added' : old.hash === hash ? 'refresh' : 'changed'
  if (kind === 'refresh') plan.unchanged++
  const chunkCount = chunkFile(rel, buffer.toString('utf8'), {maxTokens: options.chunkTokens}).length
  return {rel, kind, entry: {size: info.size, mtimeMs: info.mtimeMs, hash, language: languageFor(rel).name}, chunkCount}
}

/**
 * Reads a planned file again and cuts it into chunks, with its kind and the names it defines;
 * undefined when it is gone or turned binary since planning. A file that changed since planning is
 * indexed as it is now (the next run sees its new size and mtime and checks it again).
 */
export async function prepareFile(root: string, work: FileWork, chunkTokens: number): Promise<PreparedFile | undefined> {
  const buffer = await readFile(path.join(root, work.rel)).catch(() => undefined)
  if (!buffer || isBinary(buffer)) return undefined
  const hash = createHash('sha1').update(buffer).digest('hex')
  const text = buffer.toString('utf8')
  return {
    work: hash === work.entry.hash ? work : {...work, entry: {...work.entry, hash, size: buffer.length}},
    chunks: withIds(work.rel, chunkFile(work.rel, text, {maxTokens: chunkTokens})),
    fileKind: fileKindOf(work.rel, text),
    names: definedNames(work.rel, text),
  }
}

/** A glob without "/" matches the file name in any folder (like .gitignore); picomatch's `basename` option must only be set for those. */
function ignoreMatcher(globs: string[]): (rel: string) => boolean {
  const byName = globs.filter((glob) => !glob.includes('/'))
  const byPath = globs.filter((glob) => glob.includes('/'))
  const matchers = [
    ...(byName.length > 0 ? [picomatch(byName, {dot: true, basename: true})] : []),
    ...(byPath.length > 0 ? [picomatch(byPath, {dot: true})] : []),
  ]
  return (rel) => matchers.some((isMatch) => isMatch(rel))
}

/**
 * Ids come from the path and the chunk's content (plus which repeat of identical text it is), so an
 * unchanged chunk keeps its id and its vector, and re-upserting after an interruption is idempotent.
 */
function withIds(rel: string, chunks: Chunk[]): PlannedChunk[] {
  const repeats = new Map<string, number>()
  return chunks.map((chunk) => {
    const repeat = repeats.get(chunk.hash) ?? 0
    repeats.set(chunk.hash, repeat + 1)
    const id = createHash('sha1').update(`${rel}\0${chunk.hash}\0${repeat}`).digest('hex').slice(0, 24)
    return {...chunk, id}
  })
}
