import {FILE_KINDS, type FileKind} from './file-kinds.js'
import type {LexicalReader, ReaderColumns} from './lexical-index.js'
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
  const columns = index.columns()
  const isAccepted = acceptCache(index, accept)

  // Typed arrays by slot, not maps or objects: a long report has hundreds of terms, common ones in most
  // chunks, and a cold search cannot afford the garbage of one object per posting. The loops over
  // postings are small functions of their own (below): the JIT optimises a small function after a few
  // thousand iterations, where one large function stays in the interpreter for most of a cold search.
  const body = new Float64Array(index.fileSlots)
  const fileNorm = new Float64Array(index.fileSlots)
  const fileTf = new Float64Array(index.fileSlots)
  const chunkScores = new Float64Array(index.chunkSlots)
  const scored: Scored = {files: new Int32Array(index.fileSlots), fileCount: 0, chunks: new Int32Array(index.chunkSlots), chunkCount: 0}
  const termFiles: TermFiles = {files: new Int32Array(index.fileSlots), count: 0}
  // A term repeated twenty times in a report is not twenty times the evidence: query weights saturate.
  const termWeight = sumOf([...query.terms.values()].map(Math.log1p))
  for (const [term, rawWeight] of query.terms) {
    const weight = Math.log1p(rawWeight)
    // Per term: each file's summed chunk frequency and its path frequency, then BM25F saturation once.
    const bodyList = index.postings('body', term)
    const pathList = index.postings('path', term)
    if (!bodyList && !pathList) continue
    termFiles.count = 0
    const share = weight / termWeight
    if (bodyList) {
      // BM25 over chunks needs the term's chunk count first: its list's length, unless some postings do not count.
      const filter = accept ? isAccepted : undefined
      const termChunks = !filter && index.chunkCount === index.chunkSlots ? bodyList.length / 2 : countingPostings(bodyList, columns.chunkFile, filter)
      const shareIdf = share * idfOf(termChunks, index.chunkCount)
      addBodyAndChunkScores(bodyList, columns, filter, params, averages, shareIdf, fileNorm, fileTf, termFiles, chunkScores, scored)
    }

    for (let i = 0; pathList && i < pathList.length; i += 2) {
      const file = pathList[i]!
      const entry = index.file(file)
      if (!entry || !isAccepted(file)) continue
      if (fileTf[file] === 0) termFiles.files[termFiles.count++] = file
      fileTf[file] = fileTf[file]! + (params.pathField * pathList[i + 1]!) / lengthNorm(params.bPath, entry.pathLength, averages.path)
    }

    if (termFiles.count === 0) continue
    addFileScores(termFiles, share, idfOf(termFiles.count, fileCount), params.k1, fileTf, body, scored)
  }

  // Names and paths share one budget: the more a query names, the less each name says on its own.
  const evidence = new Float64Array(index.fileSlots)
  const hasEvidence = new Uint8Array(index.fileSlots)
  const evidenceFiles: number[] = []
  const addEvidence = (slot: number, gain: number) => {
    if (hasEvidence[slot] === 0) evidenceFiles.push(slot)
    hasEvidence[slot] = 1
    evidence[slot] = evidence[slot]! + gain
  }

  const evidenceWeight = sumOf([...query.names.values(), ...query.paths.map((p) => p.weight)])
  for (const [name, weight] of query.names) {
    const list = index.postings('names', name)
    if (!list) continue
    const definers: number[] = []
    for (let i = 0; i < list.length; i += 2) if (index.file(list[i]!) && isAccepted(list[i]!)) definers.push(list[i]!)
    if (definers.length === 0) continue
    const gain = (params.names * weight * idfOf(definers.length, fileCount)) / evidenceWeight
    for (const slot of definers) addEvidence(slot, gain)
  }

  // A file the query names by path ranks as what it is, whatever its kind (a test the report links to).
  const named = new Uint8Array(index.fileSlots)
  for (const mention of query.paths) {
    const matching = filesMatching(index, mention.path, mention.kind).filter(isAccepted)
    if (matching.length === 0) continue
    const gain = (params.paths * mention.weight * idfOf(matching.length, fileCount)) / evidenceWeight
    for (const slot of matching) addEvidence(slot, gain)
    if (mention.kind === 'file' && matching.length <= NAMED_FILES) for (const slot of matching) named[slot] = 1
  }

  // Each file's best chunk, then every candidate's score; chunk lists only for the files returned.
  const bestChunk = new Float64Array(index.fileSlots)
  bestChunks(scored, columns.chunkFile, chunkScores, bestChunk)
  const candidates = Array.from(scored.files.subarray(0, scored.fileCount))
  for (const slot of evidenceFiles) if (body[slot] === 0) candidates.push(slot)
  const kindWeights = new Float64Array(FILE_KINDS.map((kind) => (query.wants.has(kind) ? 1 : (params.kinds[kind] ?? 1))))
  const scores = new Float64Array(index.fileSlots)
  for (const slot of candidates) {
    const raw = body[slot]! + params.chunk * bestChunk[slot]! + evidence[slot]!
    scores[slot] = raw * (named[slot] === 1 ? 1 : kindWeights[columns.fileKind[slot]!]!)
  }

  const top = topFiles(index, candidates, scores, limit)
  const rankOf = new Int32Array(index.fileSlots)
  for (const [i, slot] of top.entries()) rankOf[slot] = i + 1
  const chunkLists: {slot: number; score: number}[][] = top.map(() => [])
  for (let i = 0; i < scored.chunkCount; i++) {
    const chunk = scored.chunks[i]!
    const rank = rankOf[columns.chunkFile[chunk]!]!
    if (rank > 0) chunkLists[rank - 1]!.push({slot: chunk, score: chunkScores[chunk]!})
  }

  return top.map((slot, i) => {
    const file = index.file(slot)!
    const chunks = chunkLists[i]!.sort((a, b) => b.score - a.score || a.slot - b.slot)
    return {slot, path: file.path, kind: file.kind, score: scores[slot]!, chunks}
  })
}

/** Files and chunks with a score so far, each listed once, in the order they first scored. */
interface Scored {
  files: Int32Array
  fileCount: number
  chunks: Int32Array
  chunkCount: number
}

/** The files one term occurs in (body or path). */
interface TermFiles {
  files: Int32Array
  count: number
}

/** How many of a term's body postings count: their chunk is live and its file not filtered out. */
function countingPostings(list: ArrayLike<number>, chunkFile: Int32Array, isAccepted: ((slot: number) => boolean) | undefined): number {
  let count = 0
  for (let i = 0; i < list.length; i += 2) {
    const file = list[i]! < chunkFile.length ? chunkFile[list[i]!]! : -1
    if (file >= 0 && (isAccepted === undefined || isAccepted(file))) count++
  }

  return count
}

/** BM25F saturation of a term's summed frequency per file, added to the files' body scores; clears fileTf for the next term. */
function addFileScores(termFiles: TermFiles, share: number, idf: number, k1: number, fileTf: Float64Array, body: Float64Array, scored: Scored): void {
  for (let i = 0; i < termFiles.count; i++) {
    const file = termFiles.files[i]!
    const tf = fileTf[file]!
    if (body[file] === 0) scored.files[scored.fileCount++] = file
    body[file] = body[file]! + (share * idf * tf * (k1 + 1)) / (tf + k1)
    fileTf[file] = 0
  }
}

/**
 * One pass over a term's body postings: their frequencies summed per file (each over its file's
 * length norm) for BM25F, and BM25 over chunks added to each chunk's score, in the operations and
 * order BM25 is written in (the scores, and so the ties, stay bit for bit).
 */
function addBodyAndChunkScores(
  list: ArrayLike<number>,
  {chunkFile, chunkLength, fileLength}: ReaderColumns,
  isAccepted: ((slot: number) => boolean) | undefined,
  {k1, bFile, bChunk}: RankingParams,
  averages: LexicalReader['averages'],
  shareIdf: number,
  fileNorm: Float64Array,
  fileTf: Float64Array,
  termFiles: TermFiles,
  chunkScores: Float64Array,
  scored: Scored,
): void {
  const averageChunk = averages.chunk
  const chunkSlots = chunkFile.length
  const k1Plus1 = k1 + 1
  for (let i = 0; i < list.length; i += 2) {
    const chunk = list[i]!
    const file = chunk < chunkSlots ? chunkFile[chunk]! : -1
    if (file < 0 || (isAccepted !== undefined && !isAccepted(file))) continue
    const tf = list[i + 1]!
    let fileNormOf = fileNorm[file]!
    if (fileNormOf === 0) fileNormOf = fileNorm[file] = lengthNorm(bFile, fileLength[file]!, averages.file)
    const summed = fileTf[file]!
    if (summed === 0) termFiles.files[termFiles.count++] = file
    fileTf[file] = summed + tf / fileNormOf
    // lengthNorm, written out: this runs per posting, before the JIT would inline the call.
    const chunkNorm = 1 - bChunk + (bChunk * chunkLength[chunk]!) / averageChunk
    const score = chunkScores[chunk]!
    if (score === 0) scored.chunks[scored.chunkCount++] = chunk
    chunkScores[chunk] = score + (shareIdf * tf * k1Plus1) / (tf + k1 * chunkNorm)
  }
}

function bestChunks(scored: Scored, chunkFile: Int32Array, chunkScores: Float64Array, best: Float64Array): void {
  for (let i = 0; i < scored.chunkCount; i++) {
    const chunk = scored.chunks[i]!
    const file = chunkFile[chunk]!
    if (chunkScores[chunk]! > best[file]!) best[file] = chunkScores[chunk]!
  }
}

/**
 * The best `limit` candidates, by score then path. Only those at or above the limit-th best score are
 * sorted with the comparator (which reads paths): a common word scores thousands of files.
 */
function topFiles(index: LexicalReader, candidates: number[], scores: Float64Array, limit: number): number[] {
  let contenders = candidates
  if (candidates.length > limit) {
    const values = new Float64Array(candidates.length)
    for (let i = 0; i < candidates.length; i++) values[i] = scores[candidates[i]!]!
    const threshold = values.sort()[values.length - limit]!
    contenders = candidates.filter((slot) => scores[slot]! >= threshold)
  }

  const pathOf = (slot: number) => index.file(slot)!.path
  return contenders.sort((a, b) => scores[b]! - scores[a]! || (pathOf(a) < pathOf(b) ? -1 : 1)).slice(0, limit)
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
