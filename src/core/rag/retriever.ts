import {readFile, stat} from 'node:fs/promises'
import path from 'node:path'
import picomatch from 'picomatch'
import type {Where} from 'chromadb'

import {LlmError} from '../llm/errors.js'
import {openVectorStore, type VectorStoreHandle} from './chroma-store.js'
import {Embedder} from './embedder.js'
import type {FileKind} from './file-kinds.js'
import {rankFiles} from './file-ranking.js'
import {fuseRankings, strongHits} from './fusion.js'
import type {RagConfig} from './indexer.js'
import {extensionOf, languageFor} from './languages.js'
import type {LexicalIndex} from './lexical-index.js'
import {readLexicalIndex, readManifest, type IndexManifest} from './manifest.js'
import {matchingLines, type MatchingLine} from './matching-lines.js'
import {parseQuery} from './query.js'
import {RagError} from './rag-error.js'

export interface CodeSearchOptions {
  limit?: number
  /** Extensions to keep, e.g. [".py"] (the dot is optional). */
  ext?: string[]
  /** picomatch glob on root-relative paths, e.g. "src/**". */
  path?: string
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

interface CommittedChunk {
  path: string
  start: number
  end: number
  symbol?: string
  language: string
  embedded: boolean
}

interface LoadedIndex {
  manifest: IndexManifest
  chunks: Map<string, CommittedChunk>
}

/** A file the ranking chose, with its chunks best first (ids), before it is read from disk. */
interface RankedCandidate {
  path: string
  kind: FileKind
  score: number
  chunks: {id: string; score: number}[]
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

class IndexRetriever implements Retriever {
  private loaded?: Promise<LoadedIndex | undefined>
  private lexical?: Promise<LexicalIndex>
  private vectors?: Promise<VectorStoreHandle>
  private readonly embedder: Embedder

  constructor(private readonly settings: RetrieverSettings) {
    this.embedder = new Embedder({host: settings.host, model: settings.rag.embedModel, batchSize: 1, keepAlive: settings.keepAlive})
  }

  async hasIndex(): Promise<boolean> {
    return (await this.load()) !== undefined
  }

  async searchFiles(query: string, options: CodeSearchOptions = {}): Promise<FileSearchResult> {
    const limit = options.limit ?? 10
    const {candidates, parsed, index, lexicalIndex, mode, notes} = await this.rank(query, options, limit)
    const files: FileHit[] = []
    const rarity = rarityOf(lexicalIndex)
    const reads = candidates.slice(0, limit + 10).map((candidate) => this.readIndexed(candidate.path, index.manifest))
    for (const [i, candidate] of candidates.entries()) {
      if (files.length >= limit) break
      const file = await (reads[i] ?? this.readIndexed(candidate.path, index.manifest))
      if (!file) continue
      const best = index.chunks.get(candidate.chunks[0]?.id ?? '')
      const chunkLines = best ? {startLine: best.start, endLine: best.end} : {startLine: 1, endLine: Math.min(file.lines.length, 40)}
      // Matching lines come from the best few chunks: where the evidence is, and bounded on long files.
      const ranges = candidate.chunks
        .slice(0, MATCHING_CHUNKS)
        .map(({id}) => index.chunks.get(id))
        .filter((chunk) => chunk !== undefined)
        .map((chunk): [number, number] => [chunk.start, chunk.end])
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
    const {candidates, index, mode, notes} = await this.rank(query, options, limit)
    // A file's best chunk carries the file's score; its next chunks less, by how well they match.
    const pool: {id: string; score: number}[] = []
    for (const candidate of candidates) {
      const best = candidate.chunks[0]?.score || 1
      for (const [i, chunk] of candidate.chunks.slice(0, CHUNKS_PER_FILE).entries()) {
        const share = i === 0 ? 1 : FURTHER_CHUNK_SHARE * Math.min(1, chunk.score / best)
        pool.push({id: chunk.id, score: candidate.score * share})
      }
    }

    pool.sort((a, b) => b.score - a.score)
    const hits: CodeHit[] = []
    const files = new Map<string, Promise<{lines: string[]; stale: boolean} | undefined>>()
    for (const {id, score} of pool) {
      if (hits.length >= limit) break
      const chunk = index.chunks.get(id)!
      if (!files.has(chunk.path)) files.set(chunk.path, this.readIndexed(chunk.path, index.manifest))
      const file = await files.get(chunk.path)
      if (!file) continue
      hits.push({
        path: chunk.path,
        startLine: chunk.start,
        endLine: chunk.end,
        ...(chunk.symbol ? {symbol: chunk.symbol} : {}),
        language: chunk.language,
        score,
        text: file.lines.slice(chunk.start - 1, chunk.end).join('\n'),
        stale: file.stale,
      })
    }

    return {hits, mode, notes}
  }

  async close(): Promise<void> {
    const vectors = this.vectors
    this.vectors = undefined
    if (vectors) await (await vectors.catch(() => undefined))?.close()
  }

  /** Files ranked lexically and, with vectors, fused with the vector ranking; each with its chunks best first. */
  private async rank(query: string, options: CodeSearchOptions, limit: number) {
    const index = await this.load()
    if (!index) throw new RagError('no_index', `no index for ${this.settings.root} — run \`faithh index\` first`)
    const accept = pathFilter(options)
    const pool = Math.max(limit * 3, 30)
    const notes: string[] = []
    const parsed = parseQuery(query)
    if (parsed.terms.size === 0 && parsed.names.size === 0 && parsed.paths.length === 0) {
      notes.push('the query has no words to search for (it is empty, or only common words and symbols): name the code, a file or what it does')
      return {candidates: [] as RankedCandidate[], parsed, index, lexicalIndex: await (this.lexical ??= readLexicalIndex(this.settings.root, index.manifest)), mode: 'lexical' as const, notes}
    }

    this.lexical ??= readLexicalIndex(this.settings.root, index.manifest)
    // Side by side: on a cold start, loading the lexical index and starting Chroma take similar time.
    const [lexicalIndex, vector] = await Promise.all([this.lexical, this.vectorRanking(parsed.text, index, accept, pool, notes, options.signal)])
    const lexical = rankFiles(lexicalIndex, parsed, {limit: pool, accept})
      .map((file) => ({
        path: file.path,
        kind: file.kind,
        score: file.score,
        chunks: file.chunks.map(({slot, score}) => ({id: lexicalIndex.chunk(slot)!.id, score})).filter(({id}) => index.chunks.has(id)),
      }))
      .filter((file) => file.chunks.length > 0 || index.manifest.files[file.path])

    if (!vector) return {candidates: lexical as RankedCandidate[], parsed, index, lexicalIndex, mode: 'lexical' as const, notes}

    // Vectors rank chunks: a file is as good as its best chunk there, and brings its matching chunks along.
    const vectorFiles = new Map<string, string[]>()
    for (const id of vector) {
      const path = index.chunks.get(id)!.path
      const list = vectorFiles.get(path)
      if (list) list.push(id)
      else vectorFiles.set(path, [id])
    }

    const byPath = new Map(lexical.map((file) => [file.path, file]))
    const fused = fuseRankings([lexical.map((file) => file.path), [...vectorFiles.keys()]], {
      weights: [1, VECTOR_WEIGHT],
      keep: strongHits(lexical.map((file) => ({id: file.path, score: file.score}))),
    })
    const candidates: RankedCandidate[] = fused.map(({id: path, score}) => {
      const lexicalChunks = byPath.get(path)?.chunks ?? []
      const vectorChunks = (vectorFiles.get(path) ?? []).filter((id) => !lexicalChunks.some((chunk) => chunk.id === id))
      const lowest = lexicalChunks.at(-1)?.score ?? 1
      return {
        path,
        kind: byPath.get(path)?.kind ?? lexicalIndex.kindOf(path) ?? 'source',
        score,
        chunks: [...lexicalChunks, ...vectorChunks.map((id, i) => ({id, score: lowest / (2 + i)}))],
      }
    })
    return {candidates, parsed, index, lexicalIndex, mode: 'hybrid' as const, notes}
  }

  private load() {
    this.loaded ??= readManifest(this.settings.root).then((manifest) => {
      if (!manifest) return undefined
      const chunks = new Map<string, CommittedChunk>()
      for (const [file, entry] of Object.entries(manifest.files)) {
        for (const chunk of entry.chunks) {
          chunks.set(chunk.id, {path: file, start: chunk.start, end: chunk.end, symbol: chunk.symbol, language: entry.language, embedded: entry.embedded})
        }
      }

      return {manifest, chunks}
    })
    return this.loaded
  }

  /** Vector ranking of committed, embedded chunks; undefined (with a note) when vectors cannot take part. */
  private async vectorRanking(
    query: string,
    {manifest, chunks}: LoadedIndex,
    accept: ((file: string) => boolean) | undefined,
    pool: number,
    notes: string[],
    signal?: AbortSignal,
  ): Promise<string[] | undefined> {
    const {rag, root} = this.settings
    const location = rag.chromaUrl ? rag.chromaUrl.replace(/\/+$/, '') : 'embedded'
    const embeddedFiles = Object.entries(manifest.files).filter(([, file]) => file.embedded)
    if (!manifest.vectorStore || embeddedFiles.length === 0) {
      notes.push(`lexical-only results: the index has no vectors yet — run \`ollama pull ${rag.embedModel}\`, then \`faithh index\``)
      return undefined
    }

    if (manifest.vectorStore !== location || manifest.embedModel !== rag.embedModel) {
      notes.push(
        `lexical-only results: the vectors were made with ${manifest.embedModel} in ${manifest.vectorStore === 'embedded' ? 'the embedded Chroma' : manifest.vectorStore}; run \`faithh index\` to make them for the current settings`,
      )
      return undefined
    }

    if (query.trim() === '') return []
    let embedding: number[]
    try {
      embedding = await this.embedder.embedQuery(query.slice(0, EMBED_QUERY_CHARS), signal)
    } catch (error) {
      if (!(error instanceof LlmError) || error.code === 'aborted') throw error
      notes.push(`lexical-only results: could not embed the query (${error.message})`)
      return undefined
    }

    const matching = accept ? embeddedFiles.map(([file]) => file).filter(accept) : undefined
    if (matching?.length === 0) return []
    const where = chromaFilter(matching)
    try {
      this.vectors ??= openVectorStore(root, rag.chromaUrl, manifest.collection, signal)
      const {store} = await this.vectors
      const hits = await store.query(embedding, where || !accept ? pool : pool * 4, where)
      return hits.map((hit) => hit.id).filter((id) => chunks.get(id)?.embedded && (!accept || accept(chunks.get(id)!.path)))
    } catch (error) {
      if (!(error instanceof RagError) || this.settings.strictVectors) throw error
      this.vectors = undefined
      notes.push(`lexical-only results: ${error.message}`)
      return undefined
    }
  }

  /** The file as it is now, and whether it changed since it was indexed. */
  private async readIndexed(file: string, manifest: IndexManifest): Promise<{lines: string[]; stale: boolean} | undefined> {
    const abs = path.join(this.settings.root, file)
    try {
      const [info, text] = await Promise.all([stat(abs), readFile(abs, 'utf8')])
      const entry = manifest.files[file]!
      return {lines: text.split(/\r?\n/), stale: info.size !== entry.size || info.mtimeMs !== entry.mtimeMs}
    } catch {
      return undefined // deleted since indexing: never show a hit for a file that is gone
    }
  }
}

/** How rare a term is in the index (an idf over chunks), for choosing the lines to show. */
function rarityOf(index: LexicalIndex): (term: string) => number {
  const cache = new Map<string, number>()
  const total = Math.max(index.chunkCount, 1)
  return (term) => {
    let rarity = cache.get(term)
    if (rarity === undefined) {
      const df = (index.postings('body', term)?.length ?? 0) / 2
      cache.set(term, (rarity = Math.log(1 + (total - df + 0.5) / (df + 0.5))))
    }

    return rarity
  }
}

function pathFilter({ext, path: glob}: CodeSearchOptions): ((file: string) => boolean) | undefined {
  const extensions = ext?.flatMap((e) => e.split(',')).map((e) => e.trim().toLowerCase()).filter(Boolean).map((e) => (e.startsWith('.') ? e : `.${e}`))
  const wantExt = extensions && extensions.length > 0 ? new Set(extensions) : undefined
  const pattern = glob?.trim().replace(/^\.\//, '')
  const isMatch = pattern ? picomatch(pattern, {dot: true, basename: !pattern.includes('/')}) : undefined
  if (!wantExt && !isMatch) return undefined
  return (file) => (!wantExt || wantExt.has(extensionOf(file))) && (!isMatch || isMatch(file))
}

function chromaFilter(paths: string[] | undefined): Where | undefined {
  if (!paths || paths.length > MAX_WHERE_PATHS) return undefined
  return paths.length === 1 ? {path: paths[0]!} : {path: {$in: paths}}
}
