/**
 * Posting lists and numbers as varints (7 bits per byte, low bits first, high bit = more follows):
 * a posting list is the gap to the previous slot, then the term frequency, per entry. Small, and
 * nothing to parse until a query needs the term.
 */
export class ByteWriter {
  private chunks: Buffer[] = []
  private current = Buffer.allocUnsafe(4096)
  private used = 0
  private flushed = 0

  get length(): number {
    return this.flushed + this.used
  }

  /** Unsigned integers up to 2^53 (offsets in large files), not just 32 bits. */
  varint(value: number): void {
    this.reserve(8)
    while (value >= 0x80) {
      this.current[this.used++] = (value % 0x80) | 0x80
      value = Math.floor(value / 0x80)
    }

    this.current[this.used++] = value
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length)
    this.current.set(data, this.used)
    this.used += data.length
  }

  /** Everything written so far, and a fresh start. */
  take(): Buffer {
    return Buffer.concat(this.takePieces())
  }

  /** The same, in the buffers it was written to: no copy of it all. */
  takePieces(): Buffer[] {
    const pieces = [...this.chunks, this.current.subarray(0, this.used)]
    this.chunks = []
    this.current = Buffer.allocUnsafe(4096)
    this.used = 0
    this.flushed = 0
    return pieces
  }

  private reserve(size: number): void {
    if (this.used + size <= this.current.length) return
    this.chunks.push(this.current.subarray(0, this.used))
    this.flushed += this.used
    this.current = Buffer.allocUnsafe(Math.max(4096, size, this.current.length * 2))
    this.used = 0
  }
}

export class ByteReader {
  offset = 0
  constructor(private readonly data: Uint8Array) {}

  get done(): boolean {
    return this.offset >= this.data.length
  }

  varint(): number {
    let value = 0
    let scale = 1
    for (;;) {
      if (this.offset >= this.data.length) throw new RangeError('varint past the end of its data')
      const byte = this.data[this.offset++]!
      value += (byte & 0x7f) * scale
      if (byte < 0x80) return value
      scale *= 0x80
    }
  }

  bytes(length: number): Uint8Array {
    if (this.offset + length > this.data.length) throw new RangeError('bytes past the end of their data')
    const out = this.data.subarray(this.offset, this.offset + length)
    this.offset += length
    return out
  }
}

/**
 * Flat [slot, term frequency, …] with slots ascending, as varint gaps and frequencies. `after` is the
 * last slot of a list this one continues (appended to its bytes).
 */
export function encodePostings(list: readonly number[], out = new ByteWriter(), after = 0): ByteWriter {
  let previous = after
  for (let i = 0; i < list.length; i += 2) {
    out.varint(list[i]! - previous)
    out.varint(list[i + 1]!)
    previous = list[i]!
  }

  return out
}

/**
 * Inline rather than through ByteReader: a cold search decodes lists of thousands before the JIT warms
 * up. `entries` is the list's length from the dictionary (its df), so the typed array is sized without
 * a pass over the bytes first; bytes that hold more or fewer entries are a damaged list. Uint32 whenever
 * the values fit, as slots and frequencies do: code that is not optimised yet reads them as small
 * integers, where doubles would each be a new heap number. Float64 past 32 bits (the codec also
 * carries offsets).
 */
export function decodePostings(data: Uint8Array, entries: number): Uint32Array | Float64Array {
  const values = 2 * entries
  if (data.length > 0 && data[data.length - 1]! >= 0x80) throw new RangeError('posting list cut short')
  const small = new Uint32Array(values)
  const decoded = decodeInto(data, small)
  const list = decoded === TOO_LARGE ? new Float64Array(values) : small
  if ((decoded === TOO_LARGE ? decodeInto(data, list) : decoded) !== values)
    throw new RangeError(`posting list of ${entries} entries holds another number of values`)
  return list
}

const TOO_LARGE = -1

/** Fills `list`; returns the number of values the data holds (counting past the end of `list`), or TOO_LARGE for a value a Uint32Array cannot hold. */
function decodeInto(data: Uint8Array, list: Uint32Array | Float64Array): number {
  const limit = list instanceof Uint32Array ? 0xffffffff : Number.MAX_SAFE_INTEGER
  const length = list.length
  let at = 0
  let previous = 0
  let value = 0
  let scale = 1
  for (let i = 0; i < data.length; i++) {
    const byte = data[i]!
    value += (byte & 0x7f) * scale
    if (byte >= 0x80) {
      scale *= 0x80
      continue
    }

    if (at % 2 === 0) previous += value
    const decoded = at % 2 === 0 ? previous : value
    if (decoded > limit) return TOO_LARGE
    if (at < length) list[at] = decoded
    at++
    value = 0
    scale = 1
  }

  return at
}

/** The last slot of an encoded list, without decoding it into an array. */
export function lastSlot(data: Uint8Array): number {
  const reader = new ByteReader(data)
  let slot = 0
  while (!reader.done) {
    slot += reader.varint()
    reader.varint()
  }

  return slot
}
