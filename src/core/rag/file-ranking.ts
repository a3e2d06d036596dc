import type {FileKind} from './file-kinds.js'
import type {LexicalIndex} from './lexical-index.js'
import type {ParsedQuery} from './query.js'

/**
 * Ranks files for a parsed query, lexically. A file's evidence is gathered from all of it:
 *   - BM25F over the file: its chunks' words summed, plus its path's words as a weighted field;
 *   - its best chunk (BM25 over chunks): a file whose one function matches densely beats a long
 *     file that mentions the words here and there;
 *   - names the query uses as code that the file defines (the symbol table), and files or modules the
 *     query mentions by path (traceback frames, imports), each weighted by how rare it is;
 *   - its kind: tests, docs, changelogs, bundles, … rank below source unless the query asks for them.
 */
export interface RankingParams {
  k1: number
  /** Length normalisation of the file body, of chunks, and of the path field. */
  bFile: number
  bChunk: number
  bPath: number
  /** Weight of a path term against a body term in BM25F. */
  pathField: number
  /** Share of the best chunk's score added to the file's. */
  chunk: number
  /** How much a defined name, and a mentioned path, counts against the whole body score. */
  names: number
  paths: number
  /** Score multipliers of file kinds the query does not ask for. */
  kinds: Partial<Record<FileKind, number>>
}

export const DEFAULT_RANKING: RankingParams = {
  k1: 1.2,
  bFile: 0.75,
  bChunk: 0.75,
  bPath: 0.3,
  pathField: 2,
  chunk: 0.5,
  names: 1,
  paths: 1,
  kinds: {
    test: 0.3,
    fixture: 0.2,
    example: 0.5,
    docs: 0.3,
    changelog: 0.1,
    licence: 0.05,
    community: 0.1,
    config: 0.4,
    data: 0.3,
    types: 0.6,
    generated: 0.3,
    vendored: 0.15,
    build: 0.15,
    minified: 0.05,
  },
}

export interface RankedFile {
  slot: number
  path: string
  kind: FileKind
  score: number
  /** The chunk that matches best (a chunk slot), when any chunk matches. */
  bestChunk?: number
  /** Chunk slots of the file with their scores, best first. */
  chunks: {slot: number; score: number}[]
  /** The score's parts before the kind's multiplier: for reading rankings (bench, tests). */
  parts: {body: number; chunk: number; evidence: number; kind: number}
}

export interface RankOptions {
  limit: number
  accept?: (path: string) => boolean
  params?: RankingParams
}

export function rankFiles(index: LexicalIndex, query: ParsedQuery, {limit, accept, params = DEFAULT_RANKING}: RankOptions): RankedFile[] {
  const fileCount = index.size
  if (fileCount === 0 || (query.terms.size === 0 && query.names.size === 0 && query.paths.length === 0)) return []
  const averages = index.averages
  const isAccepted = acceptCache(index, accept)

  const body = new Map<number, number>()
  const chunkScores = new Map<number, number>()
  const termWeight = sumOf(query.terms.values())
  for (const [term, weight] of query.terms) {
    // Per term: each file's summed chunk frequency and its path frequency, then BM25F saturation once.
    const fileTf = new Map<number, number>()
    const bodyList = index.postings('body', term)
    const pathList = index.postings('path', term)
    if (!bodyList && !pathList) continue
    const chunkTf: [number, number][] = []
    for (let i = 0; bodyList && i < bodyList.length; i += 2) {
      const chunk = index.chunk(bodyList[i]!)
      if (!chunk || !isAccepted(chunk.file)) continue
      fileTf.set(chunk.file, (fileTf.get(chunk.file) ?? 0) + bodyList[i + 1]! / lengthNorm(params.bFile, index.file(chunk.file)!.length, averages.file))
      chunkTf.push([bodyList[i]!, bodyList[i + 1]!])
    }

    for (let i = 0; pathList && i < pathList.length; i += 2) {
      const file = index.file(pathList[i]!)
      if (!file || !isAccepted(pathList[i]!)) continue
      const tf = (params.pathField * pathList[i + 1]!) / lengthNorm(params.bPath, file.pathLength, averages.path)
      fileTf.set(pathList[i]!, (fileTf.get(pathList[i]!) ?? 0) + tf)
    }

    if (fileTf.size === 0) continue
    const share = weight / termWeight
    const idf = idfOf(fileTf.size, fileCount)
    for (const [file, tf] of fileTf) body.set(file, (body.get(file) ?? 0) + (share * idf * tf * (params.k1 + 1)) / (tf + params.k1))

    const chunkIdf = idfOf(chunkTf.length, index.chunkCount)
    for (const [slot, tf] of chunkTf) {
      const norm = lengthNorm(params.bChunk, index.chunk(slot)!.length, averages.chunk)
      chunkScores.set(slot, (chunkScores.get(slot) ?? 0) + (share * chunkIdf * tf * (params.k1 + 1)) / (tf + params.k1 * norm))
    }
  }

  // Names and paths share one budget: the more a query names, the less each name says on its own.
  const evidence = new Map<number, number>()
  const evidenceWeight = sumOf([...query.names.values(), ...query.paths.map((p) => p.weight)])
  for (const [name, weight] of query.names) {
    const list = index.postings('names', name)
    if (!list) continue
    const definers = list.filter((_, i) => i % 2 === 0).filter((slot) => index.file(slot) && isAccepted(slot))
    if (definers.length === 0) continue
    const gain = (params.names * weight * idfOf(definers.length, fileCount)) / evidenceWeight
    for (const slot of definers) evidence.set(slot, (evidence.get(slot) ?? 0) + gain)
  }

  for (const mention of query.paths) {
    const matching = filesMatching(index, mention.path, mention.kind).filter(isAccepted)
    if (matching.length === 0) continue
    const gain = (params.paths * mention.weight * idfOf(matching.length, fileCount)) / evidenceWeight
    for (const slot of matching) evidence.set(slot, (evidence.get(slot) ?? 0) + gain)
  }

  const chunksByFile = new Map<number, {slot: number; score: number}[]>()
  for (const [slot, score] of chunkScores) {
    const file = index.chunk(slot)!.file
    const list = chunksByFile.get(file)
    if (list) list.push({slot, score})
    else chunksByFile.set(file, [{slot, score}])
  }

  const ranked: RankedFile[] = []
  for (const slot of new Set([...body.keys(), ...evidence.keys()])) {
    const file = index.file(slot)!
    const chunks = (chunksByFile.get(slot) ?? []).sort((a, b) => b.score - a.score || a.slot - b.slot)
    const raw = (body.get(slot) ?? 0) + params.chunk * (chunks[0]?.score ?? 0) + (evidence.get(slot) ?? 0)
    const kindWeight = query.wants.has(file.kind) ? 1 : (params.kinds[file.kind] ?? 1)
    const parts = {body: body.get(slot) ?? 0, chunk: params.chunk * (chunks[0]?.score ?? 0), evidence: evidence.get(slot) ?? 0, kind: kindWeight}
    ranked.push({slot, path: file.path, kind: file.kind, score: raw * kindWeight, bestChunk: chunks[0]?.slot, chunks, parts})
  }

  return ranked.sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : 1)).slice(0, limit)
}

/**
 * Files a mention points at. A path matches files whose path ends with it, trying its longest tail
 * first (`/usr/lib/…/xarray/core/dataset.py` finds `xarray/core/dataset.py`); a module (`a.b.c`) also
 * matches a file `a/b/c.<ext>` and the files of a folder `a/b/c/`.
 */
function filesMatching(index: LexicalIndex, mention: string, kind: 'file' | 'module'): number[] {
  const segments = mention.split('/')
  const minimum = kind === 'file' && /\.\w+$/.test(mention) ? 1 : Math.min(2, segments.length)
  for (let take = segments.length; take >= minimum; take--) {
    const tail = segments.slice(-take).join('/')
    const matches: number[] = []
    for (const [slot, entry] of index.entries()) {
      const path = `/${entry.path}`
      if (kind === 'file' && path.endsWith(`/${tail}`)) matches.push(slot)
      else if (kind === 'module' && (withoutExtension(path).endsWith(`/${tail}`) || path.includes(`/${tail}/`))) matches.push(slot)
    }

    if (matches.length > 0) return matches
  }

  return []
}

function withoutExtension(path: string): string {
  const dot = path.lastIndexOf('.')
  return dot > path.lastIndexOf('/') ? path.slice(0, dot) : path
}

function lengthNorm(b: number, length: number, average: number): number {
  return 1 - b + (b * length) / average
}

/** Lucene's BM25 idf: never negative, so a term in most files still counts a little. */
function idfOf(df: number, total: number): number {
  return Math.log(1 + (total - df + 0.5) / (df + 0.5))
}

function sumOf(values: Iterable<number>): number {
  let sum = 0
  for (const value of values) sum += value
  return sum || 1
}

function acceptCache(index: LexicalIndex, accept?: (path: string) => boolean): (slot: number) => boolean {
  if (!accept) return () => true
  const cache = new Map<number, boolean>()
  return (slot) => {
    let result = cache.get(slot)
    if (result === undefined) cache.set(slot, (result = accept(index.file(slot)!.path)))
    return result
  }
}
