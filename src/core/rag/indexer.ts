import {mkdir} from 'node:fs/promises'
import path from 'node:path'

import type {FaithhConfig} from '../config/schema.js'
import {collectionNameFor} from './collection-name.js'
import {withDirLock} from './dir-lock.js'
import {Embedder} from './embedder.js'
import {planIndex, type IndexPlan} from './index-plan.js'
import {SEGMENT_VERSION} from './lexical-segment.js'
import {IndexRun} from './index-run.js'
import {emptyManifest, INDEX_LOCK, openSegment, readManifest} from './manifest.js'
import {RagError} from './rag-error.js'

export type RagConfig = FaithhConfig['rag']

export interface IndexRequest {
  root: string
  /** Root-relative folder to index; '' (default) for the whole project. */
  scope?: string
  host: string
  rag: RagConfig
  keepAlive?: string | number
  /** Start over: forget the manifest, the lexical index and the project's vectors. */
  rebuild?: boolean
  /** Files tools may not read (permissions.forbidden): left out of the index, and dropped from an older one. */
  isForbidden?: (rel: string) => boolean
  signal?: AbortSignal
  onProgress?: (progress: IndexProgress) => void
}

export interface IndexProgress {
  phase: 'scan' | 'index'
  filesDone: number
  filesTotal: number
  /** Chunks written (embedded and stored, or lexical only). */
  chunksDone: number
  chunksTotal: number
  etaSeconds?: number
}

export interface IndexSummary {
  root: string
  scope: string
  files: {total: number; added: number; changed: number; removed: number; unchanged: number; skippedBinary: number; skippedLarge: number}
  chunks: {total: number; embedded: number; reused: number}
  vectors: {enabled: boolean; model: string; store: string; reason?: string}
  durationMs: number
}

/**
 * Brings the project's index up to date: only new and changed chunks are embedded, chunks of removed
 * files are dropped. Without an embedding model (or without Ollama) it indexes lexically and says how
 * to add vectors. Safe to interrupt: a rerun picks up after the last commit.
 */
export async function indexProject(request: IndexRequest): Promise<IndexSummary> {
  // One run per project at a time: two would each commit their own view of the manifest.
  await mkdir(path.join(request.root, '.faithh'), {recursive: true})
  return withDirLock(path.join(request.root, INDEX_LOCK), () => runIndex(request), {
    waitMs: 0,
    busy: (owner) => new RagError('index_busy', `another \`faithh index\` (pid ${owner}) is updating this project's index; let it finish, then run it again`),
  })
}

async function runIndex(request: IndexRequest): Promise<IndexSummary> {
  const started = performance.now()
  const {root, rag, signal} = request
  const location = rag.chromaUrl ? rag.chromaUrl.replace(/\/+$/, '') : 'embedded'
  const collection = collectionNameFor(root)
  const committed = await readManifest(root)
  const previous = request.rebuild ? undefined : committed
  // The segment the manifest was committed with is what new work merges into. Without it (an index
  // from an older faithh, a damaged file, a crash between writing the segment and the manifest)
  // every file is read again, keeping the vectors of unchanged chunks: the whole project, whatever
  // folder was asked for.
  let base = previous ? await openSegment(root).catch(() => undefined) : undefined
  const refreshAll =
    previous !== undefined &&
    Object.keys(previous.files).length > 0 &&
    (previous.lexicalVersion !== SEGMENT_VERSION || base?.generation !== previous.generation)
  if (refreshAll) {
    await base?.close()
    base = undefined
  }

  const scope = refreshAll ? '' : (request.scope ?? '')
  // A rebuild keeps counting generations, so its first lexical file never overwrites the one still committed.
  const manifest = previous ?? {...emptyManifest(collection), generation: committed?.generation ?? 0}
  // Vectors made elsewhere or by another model cannot be mixed with new ones: they start over.
  const vectorsValid = manifest.vectorStore === location && manifest.embedModel === rag.embedModel && manifest.collection === collection
  if (!vectorsValid) {
    for (const file of Object.values(manifest.files)) file.embedded = false
    manifest.garbage = []
  }

  const embedder = new Embedder({host: request.host, model: rag.embedModel, batchSize: rag.batchSize, keepAlive: request.keepAlive})
  const lacksVectors = !previous || Object.values(manifest.files).some((file) => !file.embedded)
  const report = (progress: IndexProgress) => request.onProgress?.(progress)
  let unavailable: string | undefined
  let plan: IndexPlan
  try {
    unavailable = lacksVectors ? await embedder.unavailableReason() : undefined
    plan = await planIndex({
      root,
      scope,
      manifest,
      ignore: rag.ignore,
      isForbidden: request.isForbidden,
      maxFileBytes: rag.maxFileBytes,
      chunkTokens: rag.chunkTokens,
      wantVectors: unavailable === undefined,
      refreshAll,
      signal,
      onFile: (filesDone, filesTotal) => report({phase: 'scan', filesDone, filesTotal, chunksDone: 0, chunksTotal: 0}),
    })
  } catch (error) {
    await base?.close()
    throw error
  }

  const summary: IndexSummary = {
    root,
    scope,
    files: {
      total: plan.total - plan.skipped.binary - plan.skipped.large,
      added: plan.work.filter((w) => w.kind === 'added').length,
      changed: plan.work.filter((w) => w.kind === 'changed').length,
      removed: plan.removed.length,
      unchanged: plan.unchanged,
      skippedBinary: plan.skipped.binary,
      skippedLarge: plan.skipped.large,
    },
    chunks: {total: 0, embedded: 0, reused: 0},
    vectors: {enabled: false, model: rag.embedModel, store: location, ...(unavailable ? {reason: unavailable} : {})},
    durationMs: 0,
  }

  // Leftover vectors to delete count as work only when they can be deleted now.
  const garbage = manifest.garbage.length > 0 && !unavailable
  const nothingToDo = previous && plan.work.length === 0 && plan.removed.length === 0 && plan.touched.length === 0 && !garbage
  if (nothingToDo) await base?.close()
  else await new IndexRun(request, manifest, embedder, {reset: !vectorsValid, location, available: !unavailable}, summary, base).apply(plan)

  summary.chunks.total = Object.values(manifest.files).reduce((n, f) => n + f.chunks.length, 0)
  summary.vectors.enabled = manifest.vectorStore === location && Object.values(manifest.files).some((f) => f.embedded)
  summary.durationMs = Math.round(performance.now() - started)
  return summary
}
