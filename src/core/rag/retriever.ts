import {readFile, stat} from 'node:fs/promises'
import path from 'node:path'
import picomatch from 'picomatch'
import type {Where} from 'chromadb'

import {LlmError} from '../llm/errors.js'
import {openVectorStore, type VectorStoreHandle} from './chroma-store.js'
import {Embedder} from './embedder.js'
import {fuseRankings} from './fusion.js'
import type {RagConfig} from './indexer.js'
import {extensionOf} from './languages.js'
import type {LexicalIndex} from './lexical-index.js'
import {readLexicalIndex, readManifest, type IndexManifest} from './manifest.js'
import {RagError} from './rag-error.js'
import {termsOf} from './terms.js'

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

/** Search over the project's index; what `faithh search`, `ask` and the search_codebase tool use. */
export interface Retriever {
  /** Whether `faithh index` has been run for this project. */
  hasIndex(): Promise<boolean>
  search(query: string, options?: CodeSearchOptions): Promise<CodeSearchResult>
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

/** $in lists longer than this are not sent to Chroma; the results are filtered here instead. */
const MAX_WHERE_PATHS = 1000

export function createRetriever(settings: RetrieverSettings): Retriever {
  return new IndexRetriever(settings)
}

class IndexRetriever implements Retriever {
  private loaded?: Promise<{manifest: IndexManifest; chunks: Map<string, CommittedChunk>} | undefined>
  private lexical?: Promise<LexicalIndex>
  private vectors?: Promise<VectorStoreHandle>
  private readonly embedder: Embedder

  constructor(private readonly settings: RetrieverSettings) {
    this.embedder = new Embedder({host: settings.host, model: settings.rag.embedModel, batchSize: 1, keepAlive: settings.keepAlive})
  }

  async hasIndex(): Promise<boolean> {
    return (await this.load()) !== undefined
  }

  async search(query: string, options: CodeSearchOptions = {}): Promise<CodeSearchResult> {
    const index = await this.load()
    if (!index) throw new RagError('no_index', `no index for ${this.settings.root}`, {hint: 'run `faithh index` first'})
    const {manifest, chunks} = index
    const limit = options.limit ?? 10
    const accept = pathFilter(options)
    const pool = Math.max(limit * 3, 30)
    const notes: string[] = []

    this.lexical ??= readLexicalIndex(this.settings.root, manifest)
    // Side by side: on a cold start, loading the lexical index and starting Chroma take similar time.
    const [lexicalIndex, vector] = await Promise.all([this.lexical, this.vectorRanking(query, index, accept, pool, notes, options.signal)])
    const lexical = lexicalIndex.search(termsOf(query), {limit: pool, accept}).filter((hit) => chunks.has(hit.id))
    const ranked = vector ? fuseRankings([vector, lexical.map((hit) => hit.id)]) : lexical

    const hits: CodeHit[] = []
    const files = new Map<string, Promise<{lines: string[]; stale: boolean} | undefined>>()
    for (const {id, score} of ranked) {
      if (hits.length >= limit) break
      const chunk = chunks.get(id)!
      if (!files.has(chunk.path)) files.set(chunk.path, this.readIndexed(chunk.path, manifest))
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

    return {hits, mode: vector ? 'hybrid' : 'lexical', notes}
  }

  async close(): Promise<void> {
    const vectors = this.vectors
    this.vectors = undefined
    if (vectors) await (await vectors.catch(() => undefined))?.close()
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
    {manifest, chunks}: {manifest: IndexManifest; chunks: Map<string, CommittedChunk>},
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

    let embedding: number[]
    try {
      embedding = await this.embedder.embedQuery(query, signal)
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
