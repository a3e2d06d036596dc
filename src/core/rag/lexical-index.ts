import {FILE_KINDS, type FileKind} from './file-kinds.js'

/**
 * The lexical index's fields, per file: posting lists the ranking (file-ranking.ts) reads.
 *   body  — words and identifier parts of each chunk (one document per chunk; files sum their chunks);
 *   path  — the words of the file's path;
 *   names — the names the file defines (see definitions.ts), whole.
 */
export type Field = 'body' | 'path' | 'names'

export interface FileEntry {
  path: string
  kind: FileKind
  /** Body terms of all chunks. */
  length: number
  pathLength: number
}

/** What ranking reads: the committed segment on disk (lexical-segment.ts) and the in-memory index below both offer it. */
export interface LexicalReader {
  /** Files in the index. */
  readonly size: number
  readonly chunkCount: number
  /** Slots ever used (removed ones included): the size of arrays indexed by slot. */
  readonly fileSlots: number
  readonly chunkSlots: number
  /** Mean body terms per file and per chunk, and path terms per file: BM25's length norms. */
  readonly averages: {file: number; chunk: number; path: number}
  file(slot: number): FileEntry | undefined
  /** Every live file with its slot. */
  entries(): Iterable<[number, FileEntry]>
  /** Flat [slot, term frequency, …] of a term in a field (chunk slots for body, file slots otherwise), slots ascending. */
  postings(field: Field, term: string): ArrayLike<number> | undefined
  /** The per-slot numbers ranking reads for every posting, as arrays: no call per posting. */
  columns(): ReaderColumns
}

/**
 * Dense columns by slot. Why: a cold search reads one entry per posting of common terms (tens of
 * thousands) in code the JIT has not optimised yet, where a method call or an object per read costs
 * more than the arithmetic.
 */
export interface ReaderColumns {
  /** The file slot of each chunk slot; -1 for a removed chunk. */
  chunkFile: Int32Array
  /** Body terms of each chunk slot. */
  chunkLength: Uint32Array
  /** Body terms of each file slot (all its chunks). */
  fileLength: Uint32Array
  /** Each file slot's kind, as its index in FILE_KINDS. */
  fileKind: Uint8Array
}

export interface LexicalFile {
  path: string
  kind: FileKind
  pathTerms: string[]
  /** Defined names as terms (see nameTerm). */
  names: string[]
  /** Each chunk's terms, in the order of the file's chunks in the manifest (which holds their ids). */
  chunks: {terms: string[]}[]
}

interface MemoryFileEntry extends FileEntry {
  chunks: number[]
}

interface ChunkEntry {
  file: number
  length: number
}

/**
 * The lexical index in memory: what an index run adds until it commits (merged into the segment on
 * disk then, see writeSegment), and a small index for tests.
 */
export class LexicalIndex implements LexicalReader {
  private files: (MemoryFileEntry | undefined)[] = []
  private chunks: (ChunkEntry | undefined)[] = []
  private fileByPath = new Map<string, number>()
  private readonly fields: Record<Field, FieldPostings> = {body: new FieldPostings(), path: new FieldPostings(), names: new FieldPostings()}
  private liveFiles = 0
  private liveChunks = 0
  private bodyTotal = 0
  private pathTotal = 0

  get size(): number {
    return this.liveFiles
  }

  get chunkCount(): number {
    return this.liveChunks
  }

  get fileSlots(): number {
    return this.files.length
  }

  get chunkSlots(): number {
    return this.chunks.length
  }

  /** Posting entries held, removed files' included: how much memory the index takes, roughly. */
  get postingCount(): number {
    return this.fields.body.entries + this.fields.path.entries + this.fields.names.entries
  }

  get averages(): {file: number; chunk: number; path: number} {
    return {
      file: this.bodyTotal / Math.max(this.liveFiles, 1) || 1,
      chunk: this.bodyTotal / Math.max(this.liveChunks, 1) || 1,
      path: this.pathTotal / Math.max(this.liveFiles, 1) || 1,
    }
  }

  /** Adds a file, replacing an earlier version of it. */
  add(file: LexicalFile): void {
    this.removePath(file.path)
    const slot = this.files.length
    const entry: MemoryFileEntry = {path: file.path, kind: file.kind, length: 0, pathLength: file.pathTerms.length, chunks: []}
    this.files.push(entry)
    this.fileByPath.set(file.path, slot)
    this.liveFiles++
    this.pathTotal += file.pathTerms.length
    for (const chunk of file.chunks) {
      const chunkSlot = this.chunks.length
      this.chunks.push({file: slot, length: chunk.terms.length})
      entry.chunks.push(chunkSlot)
      entry.length += chunk.terms.length
      this.liveChunks++
      this.fields.body.add(chunkSlot, chunk.terms)
    }

    this.bodyTotal += entry.length
    this.fields.path.add(slot, file.pathTerms)
    this.fields.names.add(slot, file.names)
  }

  /** Drops a file and its chunks; their postings stay, pointing at removed slots, until the index is merged. */
  removePath(path: string): void {
    const slot = this.fileByPath.get(path)
    if (slot === undefined) return
    const entry = this.files[slot]!
    for (const chunk of entry.chunks) this.chunks[chunk] = undefined
    this.files[slot] = undefined
    this.fileByPath.delete(path)
    this.liveFiles--
    this.liveChunks -= entry.chunks.length
    this.bodyTotal -= entry.length
    this.pathTotal -= entry.pathLength
  }

  has(path: string): boolean {
    return this.fileByPath.has(path)
  }

  chunkLength(slot: number): number {
    return this.chunks[slot]?.length ?? 0
  }

  file(slot: number): FileEntry | undefined {
    return this.files[slot]
  }

  *entries(): Generator<[number, MemoryFileEntry]> {
    for (const [slot, entry] of this.files.entries()) if (entry) yield [slot, entry]
  }

  postings(field: Field, term: string): ArrayLike<number> | undefined {
    return this.fields[field].get(term)
  }

  /** Built per call: the in-memory index changes as files are added, and ranks only in tests. */
  columns(): ReaderColumns {
    const chunkFile = new Int32Array(this.chunks.length)
    const chunkLength = new Uint32Array(this.chunks.length)
    for (const [slot, chunk] of this.chunks.entries()) {
      chunkFile[slot] = chunk?.file ?? -1
      chunkLength[slot] = chunk?.length ?? 0
    }

    const fileLength = new Uint32Array(this.files.length)
    const fileKind = new Uint8Array(this.files.length)
    for (const [slot, file] of this.files.entries()) {
      fileLength[slot] = file?.length ?? 0
      fileKind[slot] = Math.max(FILE_KINDS.indexOf(file?.kind ?? 'source'), 0)
    }

    return {chunkFile, chunkLength, fileLength, fileKind}
  }

  /** The terms of a field (removed files' included). */
  termsOf(field: Field): Iterable<string> {
    return this.fields[field].terms()
  }
}

/**
 * One field's postings, compactly: every (term, slot, frequency) added goes to one growing Int32Array
 * log, and a term's list is cut out of it (by a counting sort on term ids, stable, so slots stay
 * ascending) when first asked for. Twelve bytes a posting and a handful of objects, where a list per
 * term would take a JavaScript array each: what lets an index run hold many postings in little
 * memory, and leave little for the garbage collector.
 */
class FieldPostings {
  private readonly ids = new Map<string, number>()
  private log = new Int32Array(3 * 1024)
  private length = 0
  /** After the first get: where each term's postings start in `sorted` (flat [slot, frequency, …]). */
  private starts?: Int32Array
  private sorted?: Int32Array

  get entries(): number {
    return this.length / 3
  }

  add(slot: number, terms: string[]): void {
    if (this.sorted) this.uncut()
    const counts = new Map<string, number>()
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1)
    if (this.length + 3 * counts.size > this.log.length) {
      const grown = new Int32Array(Math.max(this.log.length * 2, this.length + 3 * counts.size))
      grown.set(this.log.subarray(0, this.length))
      this.log = grown
    }

    for (const [term, count] of counts) {
      let id = this.ids.get(term)
      if (id === undefined) this.ids.set(term, (id = this.ids.size))
      this.log[this.length++] = id
      this.log[this.length++] = slot
      this.log[this.length++] = count
    }
  }

  get(term: string): Int32Array | undefined {
    const id = this.ids.get(term)
    if (id === undefined) return undefined
    if (!this.starts || !this.sorted) this.cut()
    return this.sorted!.subarray(this.starts![id]!, this.starts![id + 1]!)
  }

  terms(): Iterable<string> {
    return this.ids.keys()
  }

  private cut(): void {
    const starts = new Int32Array(this.ids.size + 1)
    for (let i = 0; i < this.length; i += 3) starts[this.log[i]! + 1]! += 2
    for (let id = 0; id < this.ids.size; id++) starts[id + 1]! += starts[id]!
    const sorted = new Int32Array(starts[this.ids.size]!)
    const next = starts.slice(0, this.ids.size)
    for (let i = 0; i < this.length; i += 3) {
      const at = next[this.log[i]!]!
      sorted[at] = this.log[i + 1]!
      sorted[at + 1] = this.log[i + 2]!
      next[this.log[i]!] = at + 2
    }

    // The log is not needed while the lists are cut (an index being merged is added to no more): freed.
    this.starts = starts
    this.sorted = sorted
    this.log = new Int32Array(0)
  }

  /** Back to a log, for adding after a get: the cut lists in term order (slots still ascend per term). */
  private uncut(): void {
    const log = new Int32Array(Math.max(3 * 1024, (this.sorted!.length / 2) * 3 * 2))
    let length = 0
    for (let id = 0; id < this.ids.size; id++) {
      for (let at = this.starts![id]!; at < this.starts![id + 1]!; at += 2) {
        log[length++] = id
        log[length++] = this.sorted![at]!
        log[length++] = this.sorted![at + 1]!
      }
    }

    this.log = log
    this.length = length
    this.starts = undefined
    this.sorted = undefined
  }
}
