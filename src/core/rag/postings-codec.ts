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
    const out = Buffer.concat([...this.chunks, this.current.subarray(0, this.used)])
    this.chunks = []
    this.current = Buffer.allocUnsafe(4096)
    this.used = 0
    this.flushed = 0
    return out
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
 * up. A typed array sized up front (one value ends at each byte under 0x80), not a growing array:
 * common terms have lists of tens of thousands, and their garbage was a third of a cold search.
 * Uint32 whenever the values fit, as slots and frequencies do: code that is not optimised yet reads
 * them as small integers, where doubles would each be a new heap number. Float64 past 32 bits (the
 * codec also carries offsets).
 */
export function decodePostings(data: Uint8Array): Uint32Array | Float64Array {
  let values = 0
  for (let i = 0; i < data.length; i++) if (data[i]! < 0x80) values++
  if (values % 2 !== 0 || (data.length > 0 && data[data.length - 1]! >= 0x80)) throw new RangeError('posting list cut short')
  const small = new Uint32Array(values)
  return decodeInto(data, small) ? small : (decodeInto(data, new Float64Array(values)) as Float64Array)
}

/** Fills `list`; false when a value does not fit it (a Uint32Array given a value past 32 bits). */
function decodeInto(data: Uint8Array, list: Uint32Array | Float64Array): Uint32Array | Float64Array | false {
  const limit = list instanceof Uint32Array ? 0xffffffff : Number.MAX_SAFE_INTEGER
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
    if (decoded > limit) return false
    list[at++] = decoded
    value = 0
    scale = 1
  }

  return list
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
