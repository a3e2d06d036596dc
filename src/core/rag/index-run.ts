import path from 'node:path'

import {LlmError} from '../llm/errors.js'
import type {ChromaStore, VectorStoreHandle} from './chroma-store.js'
import {collectHeap, collectHeapIfGrown} from './collect-heap.js'
import type {Embedder} from './embedder.js'
import {prepareFile, type IndexPlan, type PlannedChunk, type PreparedFile} from './index-plan.js'
import type {IndexRequest, IndexSummary} from './indexer.js'
import {extensionOf} from './languages.js'
import {LexicalIndex} from './lexical-index.js'
import {loadChromaStore} from './load-chroma-store.js'
import type {LexicalSegment, SegmentDelta} from './lexical-segment.js'
import {commitIndex, INDEX_DIR, openSegment, type IndexManifest} from './manifest.js'
import {nameTerm, termsOf} from './terms.js'

/**
 * Work is committed (lexical index + manifest, see commitIndex) at least this far apart and at the
 * end: rewriting the lexical index for every embedding batch would cost more than the embedding on
 * big trees, and an interruption loses at most this much work.
 */
const COMMIT_INTERVAL_MS = 2000
/**
 * Chroma's cost is per write more than per record (measured: 32 records ~17 ms, 128 ~39 ms), so
 * embeddings are written in groups of up to this many, and at least this often with a slow embedder.
 */
const STORE_BATCH = 256
const STORE_INTERVAL_MS = 1000
/**
 * Postings held in memory before a commit merges them into the segment on disk, whatever the time:
 * about 12 MB (see FieldPostings). This, not the project's size, bounds the lexical part of an index
 * run's memory.
 */
const DELTA_POSTINGS = 1_000_000
/** Garbage let pile up before a full collection (see collectHeapIfGrown). */
const HEAP_SLACK_BYTES = 48 * 1024 * 1024
/** Files read and chunked ahead of the one being indexed, to overlap disk reads with the work. */
const READ_AHEAD = 16

type OpenDelta = SegmentDelta & {removed: Set<string>}

interface Pending {
  file: PreparedFile
  /** Chunks not yet stored; -1 once the file is complete. */
  remaining: number
}

interface Embedded {
  chunk: PlannedChunk
  pending: Pending
  embedding: number[]
}

export interface VectorPlan {
  /** Drop the collection before the first write: its vectors are from another model or store. */
  reset: boolean
  location: string
  /** Whether the embedding model answered /api/show. */
  available: boolean
}

/**
 * One run's work phase: read and chunk files one after another, embed in batches, store, and commit
 * completed files. Completed files go to an in-memory lexical index (the delta) that each commit
 * merges into a new segment on disk (see writeSegment), with the files removed or replaced since.
 */
export class IndexRun {
  /**
   * The segment last committed: what commits merge into. Open from one commit to the next only while
   * a commit fails; otherwise reopened by the next commit (see baseSegment), so that a commit holds the
   * tables of one segment and those it writes, not also those of the one before.
   */
  private base?: LexicalSegment
  /** Whether this run has committed: its base is then the segment on disk. */
  private committed = false
  /** Changes since the base, oldest first: the last one is being filled; earlier ones wait for a commit that failed or is running. */
  private deltas: OpenDelta[] = [{index: new LexicalIndex(), removed: new Set()}]
  private vectors?: VectorStoreHandle
  private lastCommit = performance.now()
  private commitCost = 0
  private committing: Promise<void> = Promise.resolve()
  /** Embedded chunks waiting for the next Chroma write, and that write (see startStore). */
  private toStore: Embedded[] = []
  private storing: Promise<void> = Promise.resolve()
  private lastStore = performance.now()
  private chunksDone = 0
  private chunksTotal = 0
  private filesDone = 0
  private filesTotal = 0
  private indexStarted = 0

  constructor(
    private readonly request: IndexRequest,
    private readonly manifest: IndexManifest,
    private readonly embedder: Embedder,
    private readonly vectorPlan: VectorPlan,
    private readonly summary: IndexSummary,
    base: LexicalSegment | undefined,
  ) {
    this.base = base
  }

  async apply(plan: IndexPlan): Promise<void> {
    const {manifest, request} = this
    for (const rel of plan.removed) this.forget(rel)
    for (const {rel, size, mtimeMs} of plan.touched) Object.assign(manifest.files[rel]!, {size, mtimeMs})

    this.chunksTotal = plan.work.reduce((n, work) => n + work.chunkCount, 0)
    this.filesTotal = plan.work.length
    this.indexStarted = performance.now()
    const prepared = new Map<number, Promise<PreparedFile | undefined>>()
    const prepare = (i: number) => prepareFile(request.root, plan.work[i]!, request.rag.chunkTokens)
    try {
      const queue: {chunk: PlannedChunk; pending: Pending}[] = []
      for (let i = 0; i < plan.work.length; i++) {
        if (request.signal?.aborted) throw new LlmError('aborted', 'cancelled')
        for (let ahead = i; ahead < Math.min(i + READ_AHEAD, plan.work.length); ahead++) if (!prepared.has(ahead)) prepared.set(ahead, prepare(ahead))
        const file = await prepared.get(i)!
        prepared.delete(i)
        collectHeapIfGrown(HEAP_SLACK_BYTES)
        if (!file) continue // gone, or binary now: the next run sees it
        const old = manifest.files[file.work.rel]
        const reusable = new Set(old?.embedded ? old.chunks.map((c) => c.id) : [])
        const toEmbed = this.vectorPlan.available ? file.chunks.filter((chunk) => !reusable.has(chunk.id)) : []
        this.summary.chunks.reused += this.vectorPlan.available ? file.chunks.length - toEmbed.length : 0
        const pending: Pending = {file, remaining: toEmbed.length}
        if (toEmbed.length === 0) await this.complete(pending, this.vectorPlan.available)
        for (const chunk of toEmbed) {
          queue.push({chunk, pending})
          if (queue.length >= request.rag.batchSize) await this.flush(queue.splice(0))
        }
      }

      if (queue.length > 0) await this.flush(queue.splice(0))
      await this.startStore()
      await this.storing
      await this.commit()
      await this.collectGarbage()
    } catch (error) {
      // Keep what is done, embeddings already made included: a rerun starts from here.
      await Promise.allSettled(prepared.values())
      await this.storing.catch(() => {})
      await this.startStore().catch(() => {})
      await this.storing.catch(() => {})
      await this.commit().catch(() => {})
      throw error
    } finally {
      await this.vectors?.close()
      await this.base?.close()
    }
  }

  private async flush(batch: {chunk: PlannedChunk; pending: Pending}[]): Promise<void> {
    const {signal} = this.request
    if (signal?.aborted) throw new LlmError('aborted', 'cancelled')
    const embeddings = await this.embedder.embedDocuments(
      batch.map(({chunk, pending}) => embeddingText(pending.file.work.rel, chunk)),
      signal,
    )
    this.toStore.push(...batch.map((item, i) => ({...item, embedding: embeddings[i]!})))
    if (this.toStore.length >= STORE_BATCH || performance.now() - this.lastStore >= STORE_INTERVAL_MS) await this.startStore()
  }

  /** Starts writing the embedded chunks to Chroma; one write is in flight at a time, overlapping the next embeddings. */
  private async startStore(): Promise<void> {
    await this.storing // its failure surfaces here
    if (this.toStore.length === 0) return
    const batch = this.toStore.splice(0)
    this.lastStore = performance.now()
    const storing = this.store(await this.openVectors(), batch)
    storing.catch(() => {}) // awaited, and its error thrown, by the next startStore or at the end
    this.storing = storing
  }

  private async store(store: ChromaStore, batch: Embedded[]): Promise<void> {
    await store.upsert(
      batch.map(({chunk, pending, embedding}) => ({
        id: chunk.id,
        embedding,
        metadata: {
          path: pending.file.work.rel,
          extension: extensionOf(pending.file.work.rel),
          language: pending.file.work.entry.language,
          startLine: chunk.startLine,
          endLine: chunk.endLine,
          symbol: chunk.symbol,
        },
      })),
    )
    this.summary.chunks.embedded += batch.length
    if (this.manifest.garbage.length > 0) {
      // A chunk that comes back (a reverted edit) must not be deleted as garbage afterwards.
      const stored = new Set(batch.map(({chunk}) => chunk.id))
      this.manifest.garbage = this.manifest.garbage.filter((id) => !stored.has(id))
    }

    for (const {pending} of batch) {
      if (--pending.remaining === 0) await this.complete(pending, true)
    }
  }

  /** Chroma is opened on the first write, so runs that store no vectors never start it. */
  private async openVectors(): Promise<ChromaStore> {
    if (!this.vectors) {
      const {root, rag, signal} = this.request
      // Loaded on the first write: a run without vectors never loads the Chroma client.
      const {openVectorStore} = await loadChromaStore()
      this.vectors = await openVectorStore(root, rag.chromaUrl, this.manifest.collection, signal)
      if (this.vectorPlan.reset) await this.vectors.store.reset()
      this.vectorPlan.reset = false
      this.manifest.vectorStore = this.vectorPlan.location
      this.manifest.embedModel = rag.embedModel
    }

    return this.vectors.store
  }

  /** A file becomes visible to search once all its chunks are stored; its old chunks become garbage. */
  private async complete(pending: Pending, embedded: boolean): Promise<void> {
    pending.remaining = -1
    const {work, chunks, fileKind, names} = pending.file
    const old = this.manifest.files[work.rel]
    const ids = new Set(chunks.map((c) => c.id))
    if (old?.embedded) this.manifest.garbage.push(...old.chunks.map((c) => c.id).filter((id) => !ids.has(id)))
    const delta = this.deltas.at(-1)!
    delta.removed.add(work.rel)
    delta.index.add({
      path: work.rel,
      kind: fileKind,
      pathTerms: termsOf(work.rel),
      names: names.map(nameTerm),
      chunks: chunks.map((chunk) => ({terms: termsOf(chunk.text)})),
    })

    this.manifest.files[work.rel] = {
      ...work.entry,
      embedded,
      chunks: chunks.map((c) => ({id: c.id, start: c.startLine, end: c.endLine, ...(c.symbol ? {symbol: c.symbol} : {})})),
    }
    this.chunksDone += chunks.length
    this.filesDone++
    this.progress()
    // A commit rewrites the whole segment: keep that under a tenth of the run on big trees, unless the
    // changes held in memory have grown past their bound.
    const due = performance.now() - this.lastCommit >= Math.max(COMMIT_INTERVAL_MS, 10 * this.commitCost)
    if (due || delta.index.postingCount >= DELTA_POSTINGS) await this.commit()
  }

  private forget(rel: string): void {
    const old = this.manifest.files[rel]
    if (old?.embedded) this.manifest.garbage.push(...old.chunks.map((c) => c.id))
    const delta = this.deltas.at(-1)!
    delta.removed.add(rel)
    delta.index.removePath(rel)
    delete this.manifest.files[rel]
  }

  /**
   * Commits run one after another: each must replace the previous, never interleave with it. A commit
   * takes the changes made so far (new ones go to a fresh delta meanwhile) and, once written, its
   * segment becomes the base; a commit that fails leaves its changes, and its base, for the next one.
   */
  private commit(): Promise<void> {
    const run = this.committing.then(async () => {
      // The garbage of the files indexed since the last commit goes before the commit's own buffers come.
      collectHeap()
      const started = performance.now()
      const deltas = [...this.deltas]
      this.deltas.push({index: new LexicalIndex(), removed: new Set()})
      const base = await this.baseSegment()
      await commitIndex(this.request.root, this.manifest, {base, deltas})
      this.base = undefined
      this.committed = true
      await base?.close()
      this.deltas = this.deltas.filter((delta) => !deltas.includes(delta))
      collectHeap()
      this.lastCommit = performance.now()
      this.commitCost = this.lastCommit - started
    })
    this.committing = run.catch(() => {})
    return run
  }

  /** The base, opened again if this run committed it. Kept open until a commit succeeds: a failed one may have replaced the file. */
  private async baseSegment(): Promise<LexicalSegment | undefined> {
    if (this.base || !this.committed) return this.base
    this.base = await openSegment(this.request.root)
    if (!this.base) throw new Error(`the lexical index this run committed in ${path.join(this.request.root, INDEX_DIR)} is gone`)
    return this.base
  }

  /** Vectors of dropped chunks are deleted after the commit that stopped referencing them. */
  private async collectGarbage(): Promise<void> {
    if (this.manifest.garbage.length === 0 || !this.vectorPlan.available) return
    const store = await this.openVectors()
    await store.delete(this.manifest.garbage)
    this.manifest.garbage = []
    await this.commit()
  }

  private progress(): void {
    const elapsed = (performance.now() - this.indexStarted) / 1000
    const rate = this.chunksDone / Math.max(elapsed, 0.001)
    this.request.onProgress?.({
      phase: 'index',
      filesDone: this.filesDone,
      filesTotal: this.filesTotal,
      chunksDone: this.chunksDone,
      chunksTotal: this.chunksTotal,
      etaSeconds: elapsed > 1 && rate > 0 ? Math.round((this.chunksTotal - this.chunksDone) / rate) : undefined,
    })
  }
}

/** The path and symbol travel with the code: they are often the best clue to what it is about. */
function embeddingText(rel: string, chunk: PlannedChunk): string {
  return `${rel}${chunk.symbol ? ` ${chunk.symbol}` : ''}\n${chunk.text}`
}
