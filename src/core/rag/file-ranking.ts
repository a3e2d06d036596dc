import type {FileKind} from './file-kinds.js'
import type {LexicalReader} from './lexical-index.js'
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

/** A path mention matching more files than this (a bare `index.js`) names none of them. */
const NAMED_FILES = 3

export interface RankedFile {
  slot: number
  path: string
  kind: FileKind
  score: number
  /** Chunk slots of the file with their scores, best first (none when only its path or names matched). */
  chunks: {slot: number; score: number}[]
}

export interface RankOptions {
  limit: number
  accept?: (path: string) => boolean
  params?: RankingParams
}

export function rankFiles(index: LexicalReader, query: ParsedQuery, {limit, accept, params = DEFAULT_RANKING}: RankOptions): RankedFile[] {
  const fileCount = index.size
  if (fileCount === 0 || (query.terms.size === 0 && query.names.size === 0 && query.paths.length === 0)) return []
  const averages = index.averages
  const isAccepted = acceptCache(index, accept)
  const filtering = accept !== undefined

  // Typed arrays by slot, not maps or objects: a long report has hundreds of terms, common ones in most
  // chunks, and a cold search cannot afford the garbage of one object per posting.
  const body = new Float64Array(index.fileSlots)
  const fileNorm = new Float64Array(index.fileSlots)
  const fileTf = new Float64Array(index.fileSlots)
  const chunkScores = new Float64Array(index.chunkSlots)
  const scoredFiles: number[] = []
  const scoredChunks = new Int32Array(index.chunkSlots)
  let scoredChunkCount = 0
  let postingFiles = new Int32Array(0)
  // A term repeated twenty times in a report is not twenty times the evidence: query weights saturate.
  const termWeight = sumOf([...query.terms.values()].map(Math.log1p))
  for (const [term, rawWeight] of query.terms) {
    const weight = Math.log1p(rawWeight)
    // Per term: each file's summed chunk frequency and its path frequency, then BM25F saturation once.
    const bodyList = index.postings('body', term)
    const pathList = index.postings('path', term)
    if (!bodyList && !pathList) continue
    const termFiles: number[] = []
    const bodyLength = bodyList?.length ?? 0
    if (postingFiles.length < bodyLength / 2) postingFiles = new Int32Array(bodyLength)
    let termChunks = 0
    // Constants in locals and no filter call when nothing is filtered: a cold search runs this loop
    // over tens of thousands of postings before the JIT has optimised it.
    const bFile = params.bFile
    const averageFile = averages.file
    for (let i = 0, p = 0; i < bodyLength; i += 2, p++) {
      const file = index.fileOfChunk(bodyList![i]!)
      if (file < 0 || (filtering && !isAccepted(file))) {
        postingFiles[p] = -1
        continue
      }

      postingFiles[p] = file
      termChunks++
      let norm = fileNorm[file]!
      if (norm === 0) norm = fileNorm[file] = lengthNorm(bFile, index.file(file)!.length, averageFile)
      const tf = fileTf[file]!
      if (tf === 0) termFiles.push(file)
      fileTf[file] = tf + bodyList![i + 1]! / norm
    }

    for (let i = 0; pathList && i < pathList.length; i += 2) {
      const file = pathList[i]!
      const entry = index.file(file)
      if (!entry || !isAccepted(file)) continue
      if (fileTf[file] === 0) termFiles.push(file)
      fileTf[file] = fileTf[file]! + (params.pathField * pathList[i + 1]!) / lengthNorm(params.bPath, entry.pathLength, averages.path)
    }

    if (termFiles.length === 0) continue
    const share = weight / termWeight
    const idf = idfOf(termFiles.length, fileCount)
    for (const file of termFiles) {
      const tf = fileTf[file]!
      if (body[file] === 0) scoredFiles.push(file)
      body[file] = body[file]! + (share * idf * tf * (params.k1 + 1)) / (tf + params.k1)
      fileTf[file] = 0
    }

    const chunkIdf = idfOf(termChunks, index.chunkCount)
    // Same operations in the same order as BM25 is written: the scores, and so the ties, stay bit for bit.
    const shareIdf = share * chunkIdf
    const k1 = params.k1
    const k1Plus1 = k1 + 1
    const bChunk = params.bChunk
    const averageChunk = averages.chunk
    for (let i = 0, p = 0; i < bodyLength; i += 2, p++) {
      if (postingFiles[p]! < 0) continue
      const chunk = bodyList![i]!
      const tf = bodyList![i + 1]!
      const norm = lengthNorm(bChunk, index.chunkLength(chunk), averageChunk)
      const score = chunkScores[chunk]!
      if (score === 0) scoredChunks[scoredChunkCount++] = chunk
      chunkScores[chunk] = score + (shareIdf * tf * k1Plus1) / (tf + k1 * norm)
    }
  }

  // Names and paths share one budget: the more a query names, the less each name says on its own.
  const evidence = new Map<number, number>()
  const evidenceWeight = sumOf([...query.names.values(), ...query.paths.map((p) => p.weight)])
  for (const [name, weight] of query.names) {
    const list = index.postings('names', name)
    if (!list) continue
    const definers: number[] = []
    for (let i = 0; i < list.length; i += 2) if (index.file(list[i]!) && isAccepted(list[i]!)) definers.push(list[i]!)
    if (definers.length === 0) continue
    const gain = (params.names * weight * idfOf(definers.length, fileCount)) / evidenceWeight
    for (const slot of definers) evidence.set(slot, (evidence.get(slot) ?? 0) + gain)
  }

  // A file the query names by path ranks as what it is, whatever its kind (a test the report links to).
  const named = new Set<number>()
  for (const mention of query.paths) {
    const matching = filesMatching(index, mention.path, mention.kind).filter(isAccepted)
    if (matching.length === 0) continue
    const gain = (params.paths * mention.weight * idfOf(matching.length, fileCount)) / evidenceWeight
    for (const slot of matching) evidence.set(slot, (evidence.get(slot) ?? 0) + gain)
    if (mention.kind === 'file' && matching.length <= NAMED_FILES) for (const slot of matching) named.add(slot)
  }

  // Each file's best chunk, then every candidate's score; chunk lists only for the files returned.
  const bestChunk = new Float64Array(index.fileSlots)
  for (let i = 0; i < scoredChunkCount; i++) {
    const chunk = scoredChunks[i]!
    const file = index.fileOfChunk(chunk)
    if (chunkScores[chunk]! > bestChunk[file]!) bestChunk[file] = chunkScores[chunk]!
  }

  const candidates = [...scoredFiles]
  for (const slot of evidence.keys()) if (body[slot] === 0) candidates.push(slot)
  const scores = new Float64Array(index.fileSlots)
  for (const slot of candidates) {
    const file = index.file(slot)!
    const raw = body[slot]! + params.chunk * bestChunk[slot]! + (evidence.get(slot) ?? 0)
    const kindWeight = query.wants.has(file.kind) || named.has(slot) ? 1 : (params.kinds[file.kind] ?? 1)
    scores[slot] = raw * kindWeight
  }

  const pathOf = (slot: number) => index.file(slot)!.path
  const top = candidates.sort((a, b) => scores[b]! - scores[a]! || (pathOf(a) < pathOf(b) ? -1 : 1)).slice(0, limit)
  const chunksByFile = new Map<number, {slot: number; score: number}[]>(top.map((slot) => [slot, []]))
  for (let i = 0; i < scoredChunkCount; i++) {
    const chunk = scoredChunks[i]!
    chunksByFile.get(index.fileOfChunk(chunk))?.push({slot: chunk, score: chunkScores[chunk]!})
  }

  return top.map((slot) => {
    const file = index.file(slot)!
    const chunks = chunksByFile.get(slot)!.sort((a, b) => b.score - a.score || a.slot - b.slot)
    return {slot, path: file.path, kind: file.kind, score: scores[slot]!, chunks}
  })
}

/**
 * Files a mention points at. A path matches files whose path ends with it, trying its longest tail
 * first (`/usr/lib/…/xarray/core/dataset.py` finds `xarray/core/dataset.py`); a module (`a.b.c`) also
 * matches a file `a/b/c.<ext>` and the files of a folder `a/b/c/`.
 */
function filesMatching(index: LexicalReader, mention: string, kind: 'file' | 'module'): number[] {
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
export function idfOf(df: number, total: number): number {
  return Math.log(1 + (total - df + 0.5) / (df + 0.5))
}

function sumOf(values: Iterable<number>): number {
  let sum = 0
  for (const value of values) sum += value
  return sum || 1
}

function acceptCache(index: LexicalReader, accept?: (path: string) => boolean): (slot: number) => boolean {
  if (!accept) return () => true
  // 0 not asked yet, 1 accepted, 2 filtered out.
  const cache = new Uint8Array(index.fileSlots)
  return (slot) => {
    if (cache[slot] === 0) cache[slot] = accept(index.file(slot)!.path) ? 1 : 2
    return cache[slot] === 1
  }
}
