import {existsSync} from 'node:fs'
import {readFile, stat} from 'node:fs/promises'
import path from 'node:path'
import picomatch from 'picomatch'
import type {Where} from 'chromadb'

import {LlmError} from '../llm/errors.js'
import type {VectorStoreHandle} from './chroma-store.js'
import type {Embedder} from './embedder.js'
import type {FileKind} from './file-kinds.js'
import {idfOf, rankFiles, type RankedFile} from './file-ranking.js'
import {fuseRankings, strongHits} from './fusion.js'
import type {RagConfig} from './indexer.js'
import {extensionOf, languageFor} from './languages.js'
import type {LexicalReader} from './lexical-index.js'
import {loadChromaStore} from './load-chroma-store.js'
import {SegmentError, type LexicalSegment} from './lexical-segment.js'
import {INDEX_DIR, openSegment} from './manifest.js'
import {matchingLines, type MatchingLine} from './matching-lines.js'
import {parseQuery} from './query.js'
import {RagError} from './rag-error.js'

export interface CodeSearchOptions {
  limit?: number
  /** Extensions to keep, e.g. [".py"] (the dot is optional). */
  ext?: string[]
  /** picomatch glob on root-relative paths, e.g. "src/**". */
  path?: string
  /** Only files this accepts (root-relative paths), the caller's own rule: applied while ranking, with ext and path, so results still fill `limit`. */
  accept?: (path: string) => boolean
  signal?: AbortSignal
}

export interface CodeHit {
  path: string
  startLine: number
  endLine: number
  symbol?: string
  language: string
  score: number
  /** The chunk's lines as they are on disk now. */
  text: string
  /** The file changed since it was indexed: lines may have moved. */
  stale: boolean
}

export interface CodeSearchResult {
  hits: CodeHit[]
  /** "lexical" when no vectors took part (no model, no vectors yet, or they could not be reached). */
  mode: 'hybrid' | 'lexical'
  /** What the user should know about how the results were made, e.g. how to enable vectors. */
  notes: string[]
}

/** A ranked file: where its evidence is densest (`chunk`) and the lines that match best. */
export interface FileHit {
  path: string
  kind: FileKind
  language: string
  score: number
  chunk: {startLine: number; endLine: number; symbol?: string; text: string}
  /** Up to three lines of the file where the query's strongest terms are, in file order. */
  lines: MatchingLine[]
  /** The file changed since it was indexed: lines may have moved. */
  stale: boolean
}

export interface FileSearchResult {
  files: FileHit[]
  mode: 'hybrid' | 'lexical'
  notes: string[]
}

/** Search over the project's index; what `faithh search`, `ask` and the search_codebase tool use. */
export interface Retriever {
  /** Whether `faithh index` has been run for this project. */
  hasIndex(): Promise<boolean>
  /** Ranked chunks: the best chunks of the best files first. */
  search(query: string, options?: CodeSearchOptions): Promise<CodeSearchResult>
  /** Ranked files, each with its best chunk and matching lines. */
  searchFiles(query: string, options?: CodeSearchOptions): Promise<FileSearchResult>
  /** Stops the embedded Chroma server if this retriever started it. */
  close(): Promise<void>
}

export interface RetrieverSettings {
  root: string
  host: string
  rag: RagConfig
  keepAlive?: string | number
  /** Throw when Chroma cannot be reached (the search command) instead of falling back to lexical with a note (the agent). */
  strictVectors?: boolean
}

/** $in lists longer than this are not sent to Chroma; the results are filtered here instead. */
const MAX_WHERE_PATHS = 1000
/** Vectors weigh this much against the lexical ranking in fusion (see fusion.ts). */
const VECTOR_WEIGHT = 0.6
/**
 * Long reports are embedded from their start (title first), boilerplate removed: embedding models
 * read a window of a few hundred tokens and truncate the rest anyway.
 */
const EMBED_QUERY_CHARS = 2000
/** In chunk results, a file's further chunks count this share of its score at most. */
const FURTHER_CHUNK_SHARE = 0.5
const CHUNKS_PER_FILE = 3
/** A file's matching lines are looked for in this many of its best chunks. */
const MATCHING_CHUNKS = 3

export function createRetriever(settings: RetrieverSettings): Retriever {
  return new IndexRetriever(settings)
}

/**
 * Search reads one file of the index: the committed lexical segment, which also holds chunk lines,
 * symbols, file sizes and which files have vectors (see lexical-segment.ts). It is opened on the
 * first search and read by positioned reads: a cold search touches the query's terms only.
 */
class IndexRetriever implements Retriever {
  private segment?: Promise<LexicalSegment | undefined>
  private vectors?: Promise<VectorStoreHandle>
  private embedder?: Promise<Embedder>

  constructor(private readonly settings: RetrieverSettings) {}

  async hasIndex(): Promise<boolean> {
    // A damaged segment, or an index from an older faithh, is still an index: search says what to do about it.
    if (await this.open().catch(() => true)) return true
    return existsSync(path.join(this.settings.root, INDEX_DIR, 'manifest.json'))
  }

  async searchFiles(query: string, options: CodeSearchOptions = {}): Promise<FileSearchResult> {
    const limit = options.limit ?? 10
    const {candidates, parsed, segment, mode, notes} = await this.rank(query, options, limit)
    const rarity = rarityOf(segment)
    const files: FileHit[] = []
    const reads = candidates.slice(0, limit + 10).map((candidate) => this.readIndexed(segment, candidate.slot))
    for (const [i, candidate] of candidates.entries()) {
      if (files.length >= limit) break
      const file = await (reads[i] ?? this.readIndexed(segment, candidate.slot))
      if (!file) continue
      const best = candidate.chunks[0] ? segment.chunkInfo(candidate.chunks[0].slot) : undefined
      const chunkLines = best ? {startLine: best.startLine, endLine: best.endLine} : {startLine: 1, endLine: Math.min(file.lines.length, 40)}
      // Matching lines come from the best few chunks: where the evidence is, and bounded on long files.
      const ranges = candidate.chunks.slice(0, MATCHING_CHUNKS).map(({slot}): [number, number] => {
        const chunk = segment.chunkInfo(slot)
        return [chunk.startLine, chunk.endLine]
      })
      files.push({
        path: candidate.path,
        kind: candidate.kind,
        language: languageFor(candidate.path).name,
        score: candidate.score,
        chunk: {...chunkLines, ...(best?.symbol ? {symbol: best.symbol} : {}), text: file.lines.slice(chunkLines.startLine - 1, chunkLines.endLine).join('\n')},
        lines: matchingLines(file.lines, parsed, {ranges: ranges.length > 0 ? ranges : undefined, rarity}),
        stale: file.stale,
      })
    }

    return {files, mode, notes}
  }

  async search(query: string, options: CodeSearchOptions = {}): Promise<CodeSearchResult> {
    const limit = options.limit ?? 10
    const {candidates, segment, mode, notes} = await this.rank(query, options, limit)
    // A file's best chunk carries the file's score; its next chunks less, by how well they match.
    const pool: {slot: number; score: number}[] = []
    for (const candidate of candidates) {
      const best = candidate.chunks[0]?.score || 1
      for (const [i, chunk] of candidate.chunks.slice(0, CHUNKS_PER_FILE).entries()) {
        const share = i === 0 ? 1 : FURTHER_CHUNK_SHARE * Math.min(1, chunk.score / best)
        pool.push({slot: chunk.slot, score: candidate.score * share})
      }
    }

    pool.sort((a, b) => b.score - a.score)
    const hits: CodeHit[] = []
    const files = new Map<number, Promise<{lines: string[]; stale: boolean} | undefined>>()
    for (const {slot, score} of pool) {
      if (hits.length >= limit) break
      const chunk = segment.chunkInfo(slot)
      if (!files.has(chunk.file)) files.set(chunk.file, this.readIndexed(segment, chunk.file))
      const file = await files.get(chunk.file)
      if (!file) continue
      const filePath = segment.file(chunk.file)!.path
      hits.push({
        path: filePath,
        startLine: chunk.startLine,
        endLine: chunk.endLine,
        ...(chunk.symbol ? {symbol: chunk.symbol} : {}),
        language: languageFor(filePath).name,
        score,
        text: file.lines.slice(chunk.startLine - 1, chunk.endLine).join('\n'),
        stale: file.stale,
      })
    }

    return {hits, mode, notes}
  }

  async close(): Promise<void> {
    const vectors = this.vectors
    const segment = this.segment
    this.vectors = undefined
    this.segment = undefined
    if (vectors) await (await vectors.catch(() => undefined))?.close()
    if (segment) await (await segment.catch(() => undefined))?.close()
  }

  private open(): Promise<LexicalSegment | undefined> {
    this.segment ??= openSegment(this.settings.root)
    return this.segment
  }

  /** Files ranked lexically and, with vectors, fused with the vector ranking; each with its chunks best first. */
  private async rank(query: string, options: CodeSearchOptions, limit: number) {
    const segment = await this.open().catch((error: unknown) => {
      if (error instanceof SegmentError) throw new RagError('no_index', error.message, {hint: 'run `faithh index` to rebuild it', cause: error})
      throw error
    })
    if (!segment) {
      const older = existsSync(path.join(this.settings.root, INDEX_DIR, 'manifest.json'))
      throw new RagError('no_index', older ? `the index of ${this.settings.root} was made by an older faithh` : `no index for ${this.settings.root}`, {
        hint: older ? 'run `faithh index` to update it' : 'run `faithh index` first',
      })
    }

    const accept = pathFilter(options)
    const pool = Math.max(limit * 3, 30)
    const notes: string[] = []
    const parsed = parseQuery(query)
    if (parsed.terms.size === 0 && parsed.names.size === 0 && parsed.paths.length === 0) {
      notes.push('the query has no words to search for (it is empty, or only common words and symbols): name the code, a file or what it does')
      return {candidates: [] as RankedFile[], parsed, segment, mode: 'lexical' as const, notes}
    }

    const vector = await this.vectorRanking(parsed.text, segment, accept, pool, notes, options.signal)
    const lexical = rankFiles(segment, parsed, {limit: pool, accept})
    if (!vector) return {candidates: lexical, parsed, segment, mode: 'lexical' as const, notes}

    // Vectors rank chunks: a file is as good as its best chunk there, and brings its matching chunks along.
    const vectorFiles = new Map<number, number[]>()
    for (const chunk of vector) {
      const file = segment.fileOfChunk(chunk)
      const list = vectorFiles.get(file)
      if (list) list.push(chunk)
      else vectorFiles.set(file, [chunk])
    }

    const bySlot = new Map(lexical.map((file) => [file.slot, file]))
    const key = (slot: number) => String(slot)
    const fused = fuseRankings([lexical.map((file) => key(file.slot)), [...vectorFiles.keys()].map(key)], {
      weights: [1, VECTOR_WEIGHT],
      keep: strongHits(lexical.map((file) => ({id: key(file.slot), score: file.score}))),
    })
    const candidates: RankedFile[] = fused.map(({id, score}) => {
      const slot = Number(id)
      const lexicalChunks = bySlot.get(slot)?.chunks ?? []
      const vectorChunks = (vectorFiles.get(slot) ?? []).filter((chunk) => !lexicalChunks.some((c) => c.slot === chunk))
      const lowest = lexicalChunks.at(-1)?.score ?? 1
      const entry = segment.file(slot)!
      return {
        slot,
        path: entry.path,
        kind: entry.kind,
        score,
        chunks: [...lexicalChunks, ...vectorChunks.map((chunk, i) => ({slot: chunk, score: lowest / (2 + i)}))],
      }
    })
    return {candidates, parsed, segment, mode: 'hybrid' as const, notes}
  }

  /** Vector ranking of committed, embedded chunks (slots); undefined (with a note) when vectors cannot take part. */
  private async vectorRanking(
    query: string,
    segment: LexicalSegment,
    accept: ((file: string) => boolean) | undefined,
    pool: number,
    notes: string[],
    signal?: AbortSignal,
  ): Promise<number[] | undefined> {
    const {rag, root} = this.settings
    const {vectorStore, embedModel, collection} = segment.meta
    const location = rag.chromaUrl ? rag.chromaUrl.replace(/\/+$/, '') : 'embedded'
    // Every file's path is listed only when a filter needs them; whether any file has vectors, at the first that does.
    const embeddedFiles = () => [...segment.entries()].filter(([slot]) => segment.fileInfo(slot).embedded).map(([, entry]) => entry.path)
    if (!vectorStore || !segment.hasVectors()) {
      notes.push(`lexical-only results: the index has no vectors yet — run \`ollama pull ${rag.embedModel}\`, then \`faithh index\``)
      return undefined
    }

    if (vectorStore !== location || embedModel !== rag.embedModel) {
      notes.push(
        `lexical-only results: the vectors were made with ${embedModel} in ${vectorStore === 'embedded' ? 'the embedded Chroma' : vectorStore}; run \`faithh index\` to make them for the current settings`,
      )
      return undefined
    }

    let embedding: number[]
    try {
      // The Ollama and Chroma clients are loaded only for an index that has vectors.
      this.embedder ??= import('./embedder.js').then(
        ({Embedder}) => new Embedder({host: this.settings.host, model: rag.embedModel, batchSize: 1, keepAlive: this.settings.keepAlive}),
      )
      embedding = await (await this.embedder).embedQuery(query.slice(0, EMBED_QUERY_CHARS), signal)
    } catch (error) {
      if (!(error instanceof LlmError) || error.code === 'aborted') throw error
      notes.push(`lexical-only results: could not embed the query (${error.message})`)
      return undefined
    }

    const matching = accept ? embeddedFiles().filter(accept) : undefined
    if (matching?.length === 0) return []
    const where = chromaFilter(matching)
    try {
      this.vectors ??= loadChromaStore().then(({openVectorStore}) => openVectorStore(root, rag.chromaUrl, collection, signal))
      const {store} = await this.vectors
      const hits = await store.query(embedding, where || !accept ? pool : pool * 4, where)
      const slots: number[] = []
      for (const {id} of hits) {
        // Only chunks of the committed segment, of files with vectors, that the filters accept.
        const slot = segment.chunkSlot(id)
        if (slot === undefined) continue
        const file = segment.fileOfChunk(slot)
        if (segment.fileInfo(file).embedded && (!accept || accept(segment.file(file)!.path))) slots.push(slot)
      }

      return slots
    } catch (error) {
      if (!(error instanceof RagError) || this.settings.strictVectors) throw error
      this.vectors = undefined
      notes.push(`lexical-only results: ${error.message}`)
      return undefined
    }
  }

  /** The file as it is now, and whether it changed since it was indexed. */
  private async readIndexed(segment: LexicalSegment, slot: number): Promise<{lines: string[]; stale: boolean} | undefined> {
    const abs = path.join(this.settings.root, segment.file(slot)!.path)
    try {
      const [info, text] = await Promise.all([stat(abs), readFile(abs, 'utf8')])
      const indexed = segment.fileInfo(slot)
      return {lines: text.split(/\r?\n/), stale: info.size !== indexed.size || info.mtimeMs !== indexed.mtimeMs}
    } catch {
      return undefined // deleted since indexing: never show a hit for a file that is gone
    }
  }
}

/** How rare a term is in the index (an idf over chunks), for choosing the lines to show. */
function rarityOf(index: LexicalReader): (term: string) => number {
  const cache = new Map<string, number>()
  const total = Math.max(index.chunkCount, 1)
  return (term) => {
    let rarity = cache.get(term)
    if (rarity === undefined) {
      const df = (index.postings('body', term)?.length ?? 0) / 2
      cache.set(term, (rarity = idfOf(df, total)))
    }

    return rarity
  }
}

function pathFilter({ext, path: glob, accept}: CodeSearchOptions): ((file: string) => boolean) | undefined {
  const extensions = ext
    ?.flatMap((e) => e.split(','))
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean)
    .map((e) => (e.startsWith('.') ? e : `.${e}`))
  const wantExt = extensions && extensions.length > 0 ? new Set(extensions) : undefined
  const pattern = glob?.trim().replace(/^\.\//, '')
  const isMatch = pattern ? picomatch(pattern, {dot: true, basename: !pattern.includes('/')}) : undefined
  if (!wantExt && !isMatch && !accept) return undefined
  return (file) => (!wantExt || wantExt.has(extensionOf(file))) && (!isMatch || isMatch(file)) && (!accept || accept(file))
}

function chromaFilter(paths: string[] | undefined): Where | undefined {
  if (!paths || paths.length > MAX_WHERE_PATHS) return undefined
  return paths.length === 1 ? {path: paths[0]!} : {path: {$in: paths}}
}
