import type {FileKind} from './file-kinds.js'

/**
 * The lexical index: posting lists for three fields of every file, the search that works before any
 * embedding model is pulled and the exact-name half of hybrid search.
 *   body  — words and identifier parts of each chunk (one document per chunk; files sum their chunks);
 *   path  — the words of the file's path;
 *   names — the names the file defines (see definitions.ts), whole.
 * Ranking (file-ranking.ts) reads them; this class only stores, updates and serialises them.
 */
export interface LexicalFile {
  path: string
  kind: FileKind
  pathTerms: string[]
  /** Defined names as terms (see nameTerm). */
  names: string[]
  chunks: {id: string; terms: string[]}[]
}

export interface FileEntry {
  path: string
  kind: FileKind
  /** Body terms of all chunks. */
  length: number
  pathLength: number
  chunks: number[]
}

export interface ChunkEntry {
  id: string
  file: number
  length: number
}

export type Field = 'body' | 'path' | 'names'

/** The format written by toJSON; manifest.lexicalVersion records it. */
export const LEXICAL_VERSION = 3

export interface SerializedLexicalIndex {
  version: typeof LEXICAL_VERSION
  /** [path, kind, path terms, chunk count] per file slot; its chunks follow those of the previous file. */
  files: [string, FileKind, number, number][]
  /** [chunk id, number of body terms] per chunk slot. */
  chunks: [string, number][]
  /** field -> term -> postings, see encodePostings. */
  postings: Record<Field, Record<string, string>>
}

export class LexicalIndex {
  private files: (FileEntry | undefined)[] = []
  private chunks: (ChunkEntry | undefined)[] = []
  private fileByPath = new Map<string, number>()
  private readonly fields: Record<Field, FieldPostings> = {body: new FieldPostings(), path: new FieldPostings(), names: new FieldPostings()}
  private liveFiles = 0
  private liveChunks = 0
  private bodyTotal = 0
  private pathTotal = 0

  /** Files in the index. */
  get size(): number {
    return this.liveFiles
  }

  get chunkCount(): number {
    return this.liveChunks
  }

  /** Mean body terms per file and per chunk, and path terms per file: BM25's length norms. */
  get averages(): {file: number; chunk: number; path: number} {
    return {
      file: this.bodyTotal / Math.max(this.liveFiles, 1) || 1,
      chunk: this.bodyTotal / Math.max(this.liveChunks, 1) || 1,
      path: this.pathTotal / Math.max(this.liveFiles, 1) || 1,
    }
  }

  add(file: LexicalFile): void {
    this.removePath(file.path)
    const slot = this.files.length
    const entry: FileEntry = {path: file.path, kind: file.kind, length: 0, pathLength: file.pathTerms.length, chunks: []}
    this.files.push(entry)
    this.fileByPath.set(file.path, slot)
    this.liveFiles++
    this.pathTotal += file.pathTerms.length
    for (const chunk of file.chunks) {
      const chunkSlot = this.chunks.length
      this.chunks.push({id: chunk.id, file: slot, length: chunk.terms.length})
      entry.chunks.push(chunkSlot)
      entry.length += chunk.terms.length
      this.liveChunks++
      this.fields.body.add(chunkSlot, chunk.terms)
    }

    this.bodyTotal += entry.length
    this.fields.path.add(slot, file.pathTerms)
    this.fields.names.add(slot, file.names)
  }

  /** Drops a file and its chunks; postings are cleaned when the index is next serialised. */
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

  /** Slots ever used (removed ones included): the size of arrays indexed by slot. */
  get fileSlots(): number {
    return this.files.length
  }

  get chunkSlots(): number {
    return this.chunks.length
  }

  /** The file slot of a live chunk, -1 for a removed one. */
  fileOfChunk(slot: number): number {
    return this.chunks[slot]?.file ?? -1
  }

  file(slot: number): FileEntry | undefined {
    return this.files[slot]
  }

  kindOf(path: string): FileKind | undefined {
    const slot = this.fileByPath.get(path)
    return slot === undefined ? undefined : this.files[slot]?.kind
  }

  chunk(slot: number): ChunkEntry | undefined {
    return this.chunks[slot]
  }

  /** Every live file with its slot. */
  *entries(): Generator<[number, FileEntry]> {
    for (const [slot, entry] of this.files.entries()) if (entry) yield [slot, entry]
  }

  /** Flat [slot, term frequency, …] of a term in a field (chunk slots for body, file slots otherwise); removed slots included. */
  postings(field: Field, term: string): readonly number[] | undefined {
    return this.fields[field].get(term)
  }

  /** Compacts away removed files and chunks. */
  toJSON(): SerializedLexicalIndex {
    const fileRemap = new Map<number, number>()
    const chunkRemap = new Map<number, number>()
    const files: SerializedLexicalIndex['files'] = []
    const chunks: SerializedLexicalIndex['chunks'] = []
    for (const [slot, entry] of this.entries()) {
      fileRemap.set(slot, files.length)
      files.push([entry.path, entry.kind, entry.pathLength, entry.chunks.length])
      for (const chunk of entry.chunks) {
        chunkRemap.set(chunk, chunks.length)
        chunks.push([this.chunks[chunk]!.id, this.chunks[chunk]!.length])
      }
    }

    return {
      version: LEXICAL_VERSION,
      files,
      chunks,
      postings: {
        body: this.fields.body.serialize(chunkRemap),
        path: this.fields.path.serialize(fileRemap),
        names: this.fields.names.serialize(fileRemap),
      },
    }
  }

  static fromJSON(data: SerializedLexicalIndex): LexicalIndex {
    const index = new LexicalIndex()
    if (data.version !== LEXICAL_VERSION) return index
    let chunkSlot = 0
    for (const [path, kind, pathLength, chunkCount] of data.files) {
      const slot = index.files.length
      const entry: FileEntry = {path, kind, length: 0, pathLength, chunks: []}
      for (let i = 0; i < chunkCount; i++, chunkSlot++) {
        const [id, length] = data.chunks[chunkSlot]!
        index.chunks.push({id, file: slot, length})
        entry.chunks.push(chunkSlot)
        entry.length += length
      }

      index.files.push(entry)
      index.fileByPath.set(path, slot)
      index.liveFiles++
      index.liveChunks += chunkCount
      index.bodyTotal += entry.length
      index.pathTotal += pathLength
    }

    for (const field of ['body', 'path', 'names'] as const) index.fields[field].load(data.postings[field])
    return index
  }
}

/** One field's postings: term -> flat [slot, term frequency, …], slots ascending. */
class FieldPostings {
  private decoded = new Map<string, number[]>()
  /** Postings as loaded, decoded per term on first use: a search touches a handful of terms, not 200,000. */
  private encoded: Record<string, string> = Object.create(null)

  add(slot: number, terms: string[]): void {
    const counts = new Map<string, number>()
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1)
    for (const [term, count] of counts) {
      const list = this.get(term)
      if (list) list.push(slot, count)
      else this.decoded.set(term, [slot, count])
    }
  }

  get(term: string): number[] | undefined {
    let list = this.decoded.get(term)
    if (!list && this.encoded[term] !== undefined) {
      list = decodePostings(this.encoded[term]!)
      this.decoded.set(term, list)
      delete this.encoded[term]
    }

    return list
  }

  load(encoded: Record<string, string>): void {
    this.encoded = Object.assign(Object.create(null), encoded)
  }

  serialize(remap: Map<number, number>): Record<string, string> {
    // No prototype: a term such as "constructor" must be an ordinary key.
    const out: Record<string, string> = Object.create(null)
    for (const term of new Set([...Object.keys(this.encoded), ...this.decoded.keys()])) {
      const list = this.get(term)!
      const kept: number[] = []
      for (let i = 0; i < list.length; i += 2) {
        const slot = remap.get(list[i]!)
        if (slot !== undefined) kept.push(slot, list[i + 1]!)
      }

      if (kept.length > 0) out[term] = encodePostings(kept)
    }

    return out
  }
}

/**
 * A posting list as base64 of varints: the gap to the previous slot, then the term frequency.
 * About a third of the size of a JSON number array, and nothing to parse until a query needs it.
 */
export function encodePostings(list: number[]): string {
  const bytes: number[] = []
  const varint = (value: number) => {
    while (value >= 0x80) {
      bytes.push((value & 0x7f) | 0x80)
      value >>>= 7
    }

    bytes.push(value)
  }

  let previous = 0
  for (let i = 0; i < list.length; i += 2) {
    varint(list[i]! - previous)
    varint(list[i + 1]!)
    previous = list[i]!
  }

  return Buffer.from(bytes).toString('base64')
}

export function decodePostings(text: string): number[] {
  const bytes = Buffer.from(text, 'base64')
  const list: number[] = []
  let previous = 0
  let value = 0
  let shift = 0
  let isGap = true
  for (const byte of bytes) {
    value |= (byte & 0x7f) << shift
    if (byte & 0x80) {
      shift += 7
      continue
    }

    if (isGap) {
      previous += value
      list.push(previous)
    } else {
      list.push(value)
    }

    isGap = !isGap
    value = 0
    shift = 0
  }

  return list
}
