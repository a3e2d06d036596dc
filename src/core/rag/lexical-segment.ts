import {readSync} from 'node:fs'
import {open, rename, unlink, type FileHandle} from 'node:fs/promises'

import {FILE_KINDS} from './file-kinds.js'
import type {Field, FileEntry, LexicalIndex, LexicalReader, ReaderColumns} from './lexical-index.js'
import type {IndexManifest} from './manifest.js'
import {ByteReader, ByteWriter, decodePostings, encodePostings, lastSlot} from './postings-codec.js'

/**
 * The committed lexical index as one immutable binary file, read with positioned reads: opening it
 * reads its tables of files and chunks (a few bytes each), and a query reads only the dictionary
 * blocks and posting lists of its own terms. Everything search needs is in it (chunk lines, symbols,
 * file sizes for staleness, which files have vectors), so search reads nothing else of the index.
 *
 * Layout: groups of up to 64 terms, each [posting lists][dictionary block], in term order; then the
 * file table, the chunk table, the strings (paths, symbols), the group index (JSON: first term and
 * offsets of each group), the meta (JSON) and a 16-byte footer (meta offset, meta length, magic).
 * A dictionary entry is the term and, per field (body, path, names), its document frequency and the
 * offset and length of its posting list.
 */
export const SEGMENT_VERSION = 4
export const SEGMENT_FILE = 'lexical.bin'

const MAGIC = 0x344b4c46 // "FLK4"
const FOOTER_BYTES = 16
const GROUP_TERMS = 64
const FILE_RECORD = 48
const CHUNK_RECORD = 36
const CHUNK_ID_BYTES = 12
const FIELDS: Field[] = ['body', 'path', 'names']
const EMBEDDED = 1

export interface SegmentMeta {
  version: typeof SEGMENT_VERSION
  /** The manifest generation this segment was committed with. */
  generation: number
  collection: string
  vectorStore?: string
  embedModel?: string
  files: number
  chunks: number
  bodyTotal: number
  pathTotal: number
  /** [offset, length] of each table. */
  sections: Record<'files' | 'chunks' | 'strings' | 'groups', [number, number]>
}

/** A group: its first term, where it starts (its posting lists), where its dictionary block starts, where it ends. */
type Group = [string, number, number, number]

export interface ChunkInfo {
  id: string
  file: number
  startLine: number
  endLine: number
  symbol?: string
}

export interface FileInfo {
  size: number
  mtimeMs: number
  embedded: boolean
}

export class SegmentError extends Error {
  override name = 'SegmentError'
}

export class LexicalSegment implements LexicalReader {
  /** File entries decoded on first use: a search reads the few files it returns, not all of them. */
  private readonly files: (FileEntry | undefined)[] = []
  private fileByPath?: Map<string, number>
  private readonly blocks = new Map<number, Map<string, number[]>>()
  private readonly cache = new Map<string, ArrayLike<number> | null>()
  private chunkSlotById?: Map<string, number>
  private rankingColumns?: ReaderColumns

  private constructor(
    private readonly handle: FileHandle,
    readonly meta: SegmentMeta,
    private readonly fileTable: Buffer,
    private readonly chunkTable: Buffer,
    private readonly strings: Buffer,
    private readonly groups: Group[],
  ) {}

  /** The segment at `file`, or undefined when there is none. A damaged or foreign file is a SegmentError. */
  static async open(file: string): Promise<LexicalSegment | undefined> {
    let handle: FileHandle
    try {
      handle = await open(file, 'r')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }

    try {
      const {size} = await handle.stat()
      if (size < FOOTER_BYTES) throw new SegmentError(`${file} is too short to be a lexical index`)
      const footer = await readAt(handle, size - FOOTER_BYTES, FOOTER_BYTES)
      if (footer.readUInt32LE(12) !== MAGIC) throw new SegmentError(`${file} is not a lexical index of this faithh version`)
      const metaOffset = footer.readDoubleLE(0)
      const meta = JSON.parse((await readAt(handle, metaOffset, footer.readUInt32LE(8))).toString('utf8')) as SegmentMeta
      if (meta.version !== SEGMENT_VERSION) throw new SegmentError(`${file} is of format ${meta.version}, not ${SEGMENT_VERSION}`)
      // The tables lie together before the meta: one read.
      const start = meta.sections.files[0]
      const tail = await readAt(handle, start, metaOffset - start)
      const section = (name: keyof SegmentMeta['sections']) =>
        tail.subarray(meta.sections[name][0] - start, meta.sections[name][0] - start + meta.sections[name][1])
      const groups = JSON.parse(section('groups').toString('utf8')) as Group[]
      return new LexicalSegment(handle, meta, section('files'), section('chunks'), section('strings'), groups)
    } catch (error) {
      await handle.close()
      if (error instanceof SegmentError) throw error
      throw new SegmentError(`${file} is damaged (${(error as Error).message})`)
    }
  }

  get generation(): number {
    return this.meta.generation
  }

  get size(): number {
    return this.meta.files
  }

  get chunkCount(): number {
    return this.meta.chunks
  }

  get fileSlots(): number {
    return this.meta.files
  }

  get chunkSlots(): number {
    return this.meta.chunks
  }

  get averages(): {file: number; chunk: number; path: number} {
    return {
      file: this.meta.bodyTotal / Math.max(this.meta.files, 1) || 1,
      chunk: this.meta.bodyTotal / Math.max(this.meta.chunks, 1) || 1,
      path: this.meta.pathTotal / Math.max(this.meta.files, 1) || 1,
    }
  }

  has(path: string): boolean {
    return this.slots().has(path)
  }

  slotOf(path: string): number | undefined {
    return this.slots().get(path)
  }

  file(slot: number): FileEntry | undefined {
    if (!(slot >= 0 && slot < this.meta.files)) return undefined
    const known = this.files[slot]
    if (known) return known
    const at = slot * FILE_RECORD
    const pathAt = this.fileTable.readUInt32LE(at)
    const entry: FileEntry = {
      path: this.strings.toString('utf8', pathAt, pathAt + this.fileTable.readUInt32LE(at + 4)),
      kind: FILE_KINDS[this.fileTable[at + 8]!] ?? 'source',
      length: this.fileTable.readUInt32LE(at + 12),
      pathLength: this.fileTable.readUInt32LE(at + 16),
    }
    this.files[slot] = entry
    return entry
  }

  *entries(): Generator<[number, FileEntry]> {
    for (let slot = 0; slot < this.meta.files; slot++) yield [slot, this.file(slot)!]
  }

  /** Whether any file has vectors: a scan of one byte per file, stopping at the first. */
  hasVectors(): boolean {
    for (let at = 9; at < this.fileTable.length; at += FILE_RECORD) if ((this.fileTable[at]! & EMBEDDED) !== 0) return true
    return false
  }

  columns(): ReaderColumns {
    this.rankingColumns ??= this.readColumns()
    return this.rankingColumns
  }

  fileInfo(slot: number): FileInfo {
    const at = slot * FILE_RECORD
    return {size: this.fileTable.readDoubleLE(at + 32), mtimeMs: this.fileTable.readDoubleLE(at + 40), embedded: (this.fileTable[at + 9]! & EMBEDDED) !== 0}
  }

  /** Chunk slots of a file: first, count. */
  chunksOf(slot: number): [number, number] {
    const at = slot * FILE_RECORD
    return [this.fileTable.readUInt32LE(at + 20), this.fileTable.readUInt32LE(at + 24)]
  }

  fileOfChunk(slot: number): number {
    return slot >= 0 && slot < this.meta.chunks ? this.chunkTable.readUInt32LE(slot * CHUNK_RECORD + CHUNK_ID_BYTES) : -1
  }

  chunkLength(slot: number): number {
    return this.chunkTable.readUInt32LE(slot * CHUNK_RECORD + CHUNK_ID_BYTES + 4)
  }

  chunkId(slot: number): string {
    return this.chunkTable.toString('hex', slot * CHUNK_RECORD, slot * CHUNK_RECORD + CHUNK_ID_BYTES)
  }

  chunkInfo(slot: number): ChunkInfo {
    const at = slot * CHUNK_RECORD
    const symbolAt = this.chunkTable.readUInt32LE(at + 28)
    const symbolLength = this.chunkTable.readUInt32LE(at + 32)
    return {
      id: this.chunkId(slot),
      file: this.chunkTable.readUInt32LE(at + 12),
      startLine: this.chunkTable.readUInt32LE(at + 20),
      endLine: this.chunkTable.readUInt32LE(at + 24),
      ...(symbolLength > 0 ? {symbol: this.strings.toString('utf8', symbolAt, symbolAt + symbolLength)} : {}),
    }
  }

  /** The chunk slot of a chunk id (vector hits name chunks by id); the map is built on first use. */
  chunkSlot(id: string): number | undefined {
    if (!this.chunkSlotById) {
      this.chunkSlotById = new Map()
      for (let slot = 0; slot < this.meta.chunks; slot++) this.chunkSlotById.set(this.chunkId(slot), slot)
    }

    return this.chunkSlotById.get(id)
  }

  /**
   * A term's posting list in a field. Synchronous positioned reads: a few kilobytes from the page
   * cache per term, which keeps ranking a plain loop; each term is read once per segment.
   */
  postings(field: Field, term: string): ArrayLike<number> | undefined {
    const key = `${field}\u0000${term}`
    const cached = this.cache.get(key)
    if (cached !== undefined) return cached ?? undefined
    const entry = this.dictionaryEntry(term)
    const index = FIELDS.indexOf(field)
    const offset = entry?.[index * 3 + 1]
    const list = entry && entry[index * 3]! > 0 ? decodePostings(this.readSync(offset!, entry[index * 3 + 2]!), entry[index * 3]!) : undefined
    this.cache.set(key, list ?? null)
    return list
  }

  /** Every term with its three fields' encoded posting lists and their lengths (df), in term order: what a merge reads. */
  async *terms(): AsyncGenerator<{term: string; lists: ({bytes: Uint8Array; df: number} | undefined)[]}> {
    for (const [, start, dictionary, end] of this.groups) {
      const bytes = await readAt(this.handle, start, end - start)
      for (const [term, entry] of decodeBlock(bytes.subarray(dictionary - start))) {
        yield {
          term,
          lists: FIELDS.map((_, i) => {
            const [df, offset, length] = [entry[i * 3]!, entry[i * 3 + 1]! - start, entry[i * 3 + 2]!]
            return df > 0 ? {bytes: bytes.subarray(offset, offset + length), df} : undefined
          }),
        }
      }
    }
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => {})
  }

  /** [df, offset, length] × 3 fields, or undefined when the term is not in the segment. */
  private dictionaryEntry(term: string): number[] | undefined {
    // The last group whose first term is <= term (JavaScript string order, as the writer sorted).
    let low = 0
    let high = this.groups.length - 1
    let found = -1
    while (low <= high) {
      const middle = (low + high) >> 1
      if (this.groups[middle]![0] <= term) {
        found = middle
        low = middle + 1
      } else {
        high = middle - 1
      }
    }

    if (found < 0) return undefined
    let block = this.blocks.get(found)
    if (!block) {
      const [, , dictionary, end] = this.groups[found]!
      block = decodeBlock(this.readSync(dictionary, end - dictionary))
      this.blocks.set(found, block)
    }

    return block.get(term)
  }

  private slots(): Map<string, number> {
    if (!this.fileByPath) {
      this.fileByPath = new Map()
      for (const [slot, entry] of this.entries()) this.fileByPath.set(entry.path, slot)
    }

    return this.fileByPath
  }

  /** The tables' numbers as dense arrays, copied once per segment (a few hundred kilobytes for 40,000 chunks). */
  private readColumns(): ReaderColumns {
    const {files, chunks} = this.meta
    const chunkFile = new Int32Array(chunks)
    const chunkLength = new Uint32Array(chunks)
    copyColumn(this.chunkTable, CHUNK_RECORD, CHUNK_ID_BYTES, chunkFile)
    copyColumn(this.chunkTable, CHUNK_RECORD, CHUNK_ID_BYTES + 4, chunkLength)
    const fileLength = new Uint32Array(files)
    copyColumn(this.fileTable, FILE_RECORD, 12, fileLength)
    const fileKind = new Uint8Array(files)
    for (let slot = 0; slot < files; slot++) {
      const kind = this.fileTable[slot * FILE_RECORD + 8]!
      fileKind[slot] = kind < FILE_KINDS.length ? kind : 0
    }

    return {chunkFile, chunkLength, fileLength, fileKind}
  }

  private readSync(offset: number, length: number): Buffer {
    const buffer = Buffer.allocUnsafe(length)
    let done = 0
    while (done < length) {
      const read = readSync(this.handle.fd, buffer, done, length - done, offset + done)
      if (read === 0) throw new SegmentError('the lexical index ended early: run `faithh index` to rebuild it')
      done += read
    }

    return buffer
  }
}

/**
 * A little-endian 32-bit field of fixed-size records into `column`: a small loop of its own, which the
 * JIT optimises early, reading whole words where the machine is little-endian (all that Node runs on
 * today) and bytes elsewhere.
 */
function copyColumn(table: Buffer, recordBytes: number, offset: number, column: Int32Array | Uint32Array): void {
  if (LITTLE_ENDIAN) {
    const aligned = table.byteOffset % 4 === 0 ? table : Buffer.from(table)
    const words = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.length >>> 2)
    const stride = recordBytes >>> 2
    for (let slot = 0, at = offset >>> 2; slot < column.length; slot++, at += stride) column[slot] = words[at]!
    return
  }

  for (let slot = 0, at = offset; slot < column.length; slot++, at += recordBytes) column[slot] = table.readUInt32LE(at)
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

function decodeBlock(bytes: Uint8Array): Map<string, number[]> {
  const reader = new ByteReader(bytes)
  const entries = new Map<string, number[]>()
  const decoder = new TextDecoder()
  while (!reader.done) {
    const term = decoder.decode(reader.bytes(reader.varint()))
    const entry: number[] = []
    for (let field = 0; field < FIELDS.length; field++) {
      const df = reader.varint()
      entry.push(df, df > 0 ? reader.varint() : 0, df > 0 ? reader.varint() : 0)
    }

    entries.set(term, entry)
  }

  return entries
}

async function readAt(handle: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length)
  let done = 0
  while (done < length) {
    const {bytesRead} = await handle.read(buffer, done, length - done, offset + done)
    if (bytesRead === 0) throw new SegmentError('unexpected end of file')
    done += bytesRead
  }

  return buffer
}

/** Documents added (or removed) since the base segment, in the order they happened. */
export interface SegmentDelta {
  index: LexicalIndex
  /** Paths whose earlier version (in the base or an earlier delta) is gone: removed, or re-added here. */
  removed: ReadonlySet<string>
}

export interface SegmentInput {
  base?: LexicalSegment
  deltas: SegmentDelta[]
  /** The manifest being committed: the files to keep, their chunks' lines and symbols, sizes, vectors. */
  manifest: IndexManifest
  generation: number
}

/**
 * Writes a new segment: the base's documents minus those removed or replaced, then each delta's, as
 * a streaming merge of sorted terms (memory: the deltas, one group of terms, and the tables of
 * files and chunks). Written to a temporary file, synced, then renamed over `target`, so a reader
 * sees the old segment or the new one, never a mix. The document tables are taken synchronously
 * from `manifest` before the first await: the caller may go on changing it.
 */
export async function writeSegment(target: string, {base, deltas, manifest, generation}: SegmentInput): Promise<void> {
  const docs = documentTables(base, deltas, manifest)
  const tmp = `${target}.${process.pid}.tmp`
  const out = await open(tmp, 'w')
  try {
    let position = 0
    const write = async (data: Buffer) => {
      for (let done = 0; done < data.length; ) done += (await out.write(data, done, data.length - done, position + done)).bytesWritten
      position += data.length
    }

    const groups: Group[] = []
    let groupTerms: {term: string; entry: number[]}[] = []
    let groupPostings = new ByteWriter()
    const flushGroup = async () => {
      if (groupTerms.length === 0) return
      const start = position
      await write(groupPostings.take())
      const dictionary = new ByteWriter()
      for (const {term, entry} of groupTerms) {
        const bytes = Buffer.from(term, 'utf8')
        dictionary.varint(bytes.length)
        dictionary.bytes(bytes)
        for (let field = 0; field < FIELDS.length; field++) {
          dictionary.varint(entry[field * 3]!)
          if (entry[field * 3]! > 0) {
            dictionary.varint(start + entry[field * 3 + 1]!)
            dictionary.varint(entry[field * 3 + 2]!)
          }
        }
      }

      const dictionaryAt = position
      await write(dictionary.take())
      groups.push([groupTerms[0]!.term, start, dictionaryAt, position])
      groupTerms = []
      groupPostings = new ByteWriter()
    }

    for await (const {term, lists} of mergedTerms(base, deltas, docs.remap)) {
      const entry: number[] = []
      for (const {kept, added} of lists) {
        if (!kept && added.length === 0) {
          entry.push(0, 0, 0)
          continue
        }

        const offset = groupPostings.length
        if (kept) groupPostings.bytes(kept.bytes)
        encodePostings(added, groupPostings, kept ? lastSlot(kept.bytes) : 0)
        entry.push((kept?.df ?? 0) + added.length / 2, offset, groupPostings.length - offset)
      }

      if (entry.some((value, i) => i % 3 === 0 && value > 0)) groupTerms.push({term, entry})
      if (groupTerms.length >= GROUP_TERMS) await flushGroup()
    }

    await flushGroup()
    const sections = {} as SegmentMeta['sections']
    // Each table as the pieces it was built in: a large project's tables are tens of MB, never copied into one buffer.
    for (const [name, pieces] of [
      ['files', docs.files],
      ['chunks', docs.chunks],
      ['strings', docs.strings],
      ['groups', [Buffer.from(JSON.stringify(groups), 'utf8')]],
    ] as const) {
      sections[name] = [position, pieces.reduce((length, piece) => length + piece.length, 0)]
      for (const piece of pieces) await write(piece)
    }

    const meta: SegmentMeta = {
      version: SEGMENT_VERSION,
      generation,
      collection: manifest.collection,
      ...(manifest.vectorStore ? {vectorStore: manifest.vectorStore} : {}),
      ...(manifest.embedModel ? {embedModel: manifest.embedModel} : {}),
      files: docs.fileCount,
      chunks: docs.chunkCount,
      bodyTotal: docs.bodyTotal,
      pathTotal: docs.pathTotal,
      sections,
    }
    const metaBytes = Buffer.from(JSON.stringify(meta), 'utf8')
    const metaOffset = position
    await write(metaBytes)
    const footer = Buffer.alloc(FOOTER_BYTES)
    footer.writeDoubleLE(metaOffset, 0)
    footer.writeUInt32LE(metaBytes.length, 8)
    footer.writeUInt32LE(MAGIC, 12)
    await write(footer)
    await out.sync()
    await out.close()
    await rename(tmp, target)
  } catch (error) {
    await out.close().catch(() => {})
    await unlink(tmp).catch(() => {})
    throw error
  }
}

/** Where each source's slots go in the new segment (-1: dropped). */
interface Remap {
  baseFiles: Int32Array
  baseChunks: Int32Array
  deltaFiles: Int32Array[]
  deltaChunks: Int32Array[]
}

/**
 * The new file and chunk tables: the base's files that no delta removed or replaced, then each
 * delta's files that no later delta removed or replaced; lines, symbols, sizes and vector flags from
 * the manifest, term counts from the sources.
 */
function documentTables(base: LexicalSegment | undefined, deltas: SegmentDelta[], manifest: IndexManifest) {
  const files = new ByteWriterTable(FILE_RECORD)
  const chunks = new ByteWriterTable(CHUNK_RECORD)
  const strings = new ByteWriter()
  const remap: Remap = {
    baseFiles: new Int32Array(base?.fileSlots ?? 0).fill(-1),
    baseChunks: new Int32Array(base?.chunkSlots ?? 0).fill(-1),
    deltaFiles: deltas.map(({index}) => new Int32Array(index.fileSlots).fill(-1)),
    deltaChunks: deltas.map(({index}) => new Int32Array(index.chunkSlots).fill(-1)),
  }
  let fileCount = 0
  let chunkCount = 0
  let bodyTotal = 0
  let pathTotal = 0
  const supersededAfter = (source: number, path: string) => deltas.slice(source).some(({index, removed}) => removed.has(path) || index.has(path))
  const string = (text: string): [number, number] => {
    const bytes = Buffer.from(text, 'utf8')
    const at = strings.length
    strings.bytes(bytes)
    return [at, bytes.length]
  }

  const addFile = (entry: FileEntry, chunkLengths: number[], fileMap: Int32Array, fileSlot: number, chunkMap: Int32Array, chunkSlots: number[]) => {
    const listed = manifest.files[entry.path]
    if (!listed) return
    if (listed.chunks.length !== chunkLengths.length) {
      throw new Error(`the lexical index and the manifest disagree about ${entry.path} (${chunkLengths.length} chunks against ${listed.chunks.length})`)
    }

    const slot = fileCount++
    fileMap[fileSlot] = slot
    const [pathAt, pathLength] = string(entry.path)
    const record = files.add()
    record.writeUInt32LE(pathAt, 0)
    record.writeUInt32LE(pathLength, 4)
    record[8] = Math.max(FILE_KINDS.indexOf(entry.kind), 0)
    record[9] = listed.embedded ? EMBEDDED : 0
    record.writeUInt32LE(entry.length, 12)
    record.writeUInt32LE(entry.pathLength, 16)
    record.writeUInt32LE(chunkCount, 20)
    record.writeUInt32LE(chunkLengths.length, 24)
    record.writeDoubleLE(listed.size, 32)
    record.writeDoubleLE(listed.mtimeMs, 40)
    bodyTotal += entry.length
    pathTotal += entry.pathLength
    for (const [i, chunk] of listed.chunks.entries()) {
      chunkMap[chunkSlots[i]!] = chunkCount++
      const row = chunks.add()
      Buffer.from(chunk.id, 'hex').copy(row, 0, 0, CHUNK_ID_BYTES)
      row.writeUInt32LE(slot, 12)
      row.writeUInt32LE(chunkLengths[i]!, 16)
      row.writeUInt32LE(chunk.start, 20)
      row.writeUInt32LE(chunk.end, 24)
      const [symbolAt, symbolLength] = chunk.symbol ? string(chunk.symbol) : [0, 0]
      row.writeUInt32LE(symbolAt, 28)
      row.writeUInt32LE(symbolLength, 32)
    }
  }

  if (base) {
    for (const [slot, entry] of base.entries()) {
      if (supersededAfter(0, entry.path)) continue
      const [first, count] = base.chunksOf(slot)
      const slots = Array.from({length: count}, (_, i) => first + i)
      addFile(
        entry,
        slots.map((chunk) => base.chunkLength(chunk)),
        remap.baseFiles,
        slot,
        remap.baseChunks,
        slots,
      )
    }
  }

  for (const [source, {index}] of deltas.entries()) {
    for (const [slot, entry] of index.entries()) {
      if (supersededAfter(source + 1, entry.path)) continue
      addFile(
        entry,
        entry.chunks.map((chunk) => index.chunkLength(chunk)),
        remap.deltaFiles[source]!,
        slot,
        remap.deltaChunks[source]!,
        entry.chunks,
      )
    }
  }

  return {files: files.pieces(), chunks: chunks.pieces(), strings: strings.takePieces(), remap, fileCount, chunkCount, bodyTotal, pathTotal}
}

/** Fixed-size records, appended. */
class ByteWriterTable {
  private readonly parts: Buffer[] = []
  private current = Buffer.alloc(0)
  private used = 0

  constructor(private readonly recordBytes: number) {}

  add(): Buffer {
    if (this.used + this.recordBytes > this.current.length) {
      if (this.used > 0) this.parts.push(this.current.subarray(0, this.used))
      this.current = Buffer.alloc(this.recordBytes * 1024)
      this.used = 0
    }

    const record = this.current.subarray(this.used, this.used + this.recordBytes)
    this.used += this.recordBytes
    return record
  }

  /** The records, in the buffers they were written to. */
  pieces(): Buffer[] {
    return [...this.parts, this.current.subarray(0, this.used)]
  }
}

/** A term's list in one field of the new segment: the base's, as bytes when its slots stay the same, then the rest. */
interface MergedList {
  kept?: {bytes: Uint8Array; df: number}
  added: number[]
}

/**
 * The union of the base's terms (read group by group) and the deltas' (sorted), in term order, each
 * with its three posting lists in new slots: the base's, then each delta's, so slots stay ascending.
 * When no file of the base is dropped (a first index, committed in steps), the base's lists keep
 * their slots and are copied as they are, not decoded.
 */
async function* mergedTerms(base: LexicalSegment | undefined, deltas: SegmentDelta[], remap: Remap): AsyncGenerator<{term: string; lists: MergedList[]}> {
  const deltaTerms = [...new Set(deltas.flatMap(({index}) => FIELDS.flatMap((field) => [...index.termsOf(field)])))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  )
  const unchanged = remap.baseFiles.every((slot, i) => slot === i) && remap.baseChunks.every((slot, i) => slot === i)
  const fromDeltas = (term: string, lists: MergedList[]) => {
    for (const [source, {index}] of deltas.entries()) {
      for (const [field, name] of FIELDS.entries()) {
        const postings = index.postings(name, term)
        if (postings) appendRemapped(lists[field]!.added, postings, name === 'body' ? remap.deltaChunks[source]! : remap.deltaFiles[source]!)
      }
    }
  }
  const empty = (): MergedList[] => FIELDS.map(() => ({added: []}))

  let next = 0
  if (base) {
    for await (const {term, lists: encoded} of base.terms()) {
      while (next < deltaTerms.length && deltaTerms[next]! < term) {
        const lists = empty()
        fromDeltas(deltaTerms[next++]!, lists)
        yield {term: deltaTerms[next - 1]!, lists}
      }

      const lists = encoded.map((list, field): MergedList => {
        if (!list) return {added: []}
        if (unchanged) return {kept: list, added: []}
        const added: number[] = []
        appendRemapped(added, decodePostings(list.bytes, list.df), field === 0 ? remap.baseChunks : remap.baseFiles)
        return {added}
      })
      if (next < deltaTerms.length && deltaTerms[next] === term) fromDeltas(deltaTerms[next++]!, lists)
      yield {term, lists}
    }
  }

  while (next < deltaTerms.length) {
    const lists = empty()
    fromDeltas(deltaTerms[next++]!, lists)
    yield {term: deltaTerms[next - 1]!, lists}
  }
}

function appendRemapped(out: number[], postings: ArrayLike<number>, map: Int32Array): void {
  for (let i = 0; i < postings.length; i += 2) {
    const slot = map[postings[i]!] ?? -1
    if (slot >= 0) out.push(slot, postings[i + 1]!)
  }
}
