import {LlmError} from '../llm/errors.js'
import {openVectorStore, type ChromaStore, type VectorStoreHandle} from './chroma-store.js'
import type {Embedder} from './embedder.js'
import type {FileWork, IndexPlan, PlannedChunk} from './index-plan.js'
import type {IndexRequest, IndexSummary} from './indexer.js'
import {extensionOf} from './languages.js'
import {LexicalIndex} from './lexical-index.js'
import {commitIndex, readLexicalIndex, type IndexManifest} from './manifest.js'
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

interface Pending {
  work: FileWork
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

/** One run's work phase: embed in batches, store, and commit completed files. */
export class IndexRun {
  private lexical = new LexicalIndex()
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
  ) {}

  async apply(plan: IndexPlan): Promise<void> {
    const {manifest, request} = this
    if (manifest.lexicalFile && manifest.generation > 0 && Object.keys(manifest.files).length > 0) {
      this.lexical = await readLexicalIndex(request.root, manifest)
    }

    for (const rel of plan.removed) this.forget(rel)
    for (const {rel, size, mtimeMs} of plan.touched) Object.assign(manifest.files[rel]!, {size, mtimeMs})

    this.chunksTotal = plan.work.reduce((n, work) => n + work.chunks.length, 0)
    this.filesTotal = plan.work.length
    this.indexStarted = performance.now()
    try {
      const queue: {chunk: PlannedChunk; pending: Pending}[] = []
      for (const work of plan.work) {
        const old = manifest.files[work.rel]
        const reusable = new Set(old?.embedded ? old.chunks.map((c) => c.id) : [])
        const toEmbed = this.vectorPlan.available ? work.chunks.filter((chunk) => !reusable.has(chunk.id)) : []
        this.summary.chunks.reused += this.vectorPlan.available ? work.chunks.length - toEmbed.length : 0
        const pending: Pending = {work, remaining: toEmbed.length}
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
      await this.storing.catch(() => {})
      await this.startStore().catch(() => {})
      await this.storing.catch(() => {})
      await this.commit().catch(() => {})
      throw error
    } finally {
      await this.vectors?.close()
    }
  }

  private async flush(batch: {chunk: PlannedChunk; pending: Pending}[]): Promise<void> {
    const {signal} = this.request
    if (signal?.aborted) throw new LlmError('aborted', 'cancelled')
    const embeddings = await this.embedder.embedDocuments(batch.map(({chunk, pending}) => embeddingText(pending.work.rel, chunk)), signal)
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
          path: pending.work.rel,
          extension: extensionOf(pending.work.rel),
          language: pending.work.entry.language,
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
    const {work} = pending
    const old = this.manifest.files[work.rel]
    const ids = new Set(work.chunks.map((c) => c.id))
    if (old?.embedded) this.manifest.garbage.push(...old.chunks.map((c) => c.id).filter((id) => !ids.has(id)))
    this.lexical.add({
      path: work.rel,
      kind: work.fileKind,
      pathTerms: termsOf(work.rel),
      names: work.names.map(nameTerm),
      chunks: work.chunks.map((chunk) => ({id: chunk.id, terms: termsOf(chunk.text)})),
    })

    this.manifest.files[work.rel] = {
      ...work.entry,
      embedded,
      chunks: work.chunks.map((c) => ({id: c.id, start: c.startLine, end: c.endLine, ...(c.symbol ? {symbol: c.symbol} : {})})),
    }
    this.chunksDone += work.chunks.length
    this.filesDone++
    this.progress()
    // A commit rewrites the whole lexical index: keep that under a tenth of the run on big trees.
    if (performance.now() - this.lastCommit >= Math.max(COMMIT_INTERVAL_MS, 10 * this.commitCost)) await this.commit()
  }

  private forget(rel: string): void {
    const old = this.manifest.files[rel]
    if (old?.embedded) this.manifest.garbage.push(...old.chunks.map((c) => c.id))
    this.lexical.removePath(rel)
    delete this.manifest.files[rel]
  }

  /** Commits run one after another: each must replace the previous, never interleave with it. */
  private commit(): Promise<void> {
    const run = this.committing.then(async () => {
      const started = performance.now()
      await commitIndex(this.request.root, this.manifest, this.lexical)
      this.lastCommit = performance.now()
      this.commitCost = this.lastCommit - started
    })
    this.committing = run.catch(() => {})
    return run
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
