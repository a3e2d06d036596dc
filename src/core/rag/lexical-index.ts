/**
 * BM25 over identifier parts and words: the search that works before any embedding model is pulled,
 * and the exact-name half of hybrid search. One document per chunk.
 */
export interface LexicalDocument {
  id: string
  path: string
  terms: string[]
}

export interface LexicalHit {
  id: string
  path: string
  score: number
}

export interface SerializedLexicalIndex {
  version: 2
  /** [chunk id, path, number of terms] per slot. */
  docs: [string, string, number][]
  /** term -> postings, see encodePostings. */
  postings: Record<string, string>
}

// The usual BM25 constants: k1 saturates repeated terms, b normalises by chunk length.
const K1 = 1.2
const B = 0.75

interface Doc {
  id: string
  path: string
  length: number
}

export class LexicalIndex {
  private docs: (Doc | undefined)[] = []
  /** term -> flat [slot, term frequency, slot, term frequency, …], slots ascending. */
  private postings = new Map<string, number[]>()
  /** Postings as loaded, decoded per term on first use: a search touches a handful of terms, not 200,000. */
  private encoded: Record<string, string> = Object.create(null)
  private slotsByPath = new Map<string, number[]>()
  private liveCount = 0
  private totalLength = 0

  get size(): number {
    return this.liveCount
  }

  add(doc: LexicalDocument): void {
    const slot = this.docs.length
    this.docs.push({id: doc.id, path: doc.path, length: doc.terms.length})
    this.liveCount++
    this.totalLength += doc.terms.length
    const slots = this.slotsByPath.get(doc.path)
    if (slots) slots.push(slot)
    else this.slotsByPath.set(doc.path, [slot])

    const counts = new Map<string, number>()
    for (const term of doc.terms) counts.set(term, (counts.get(term) ?? 0) + 1)
    for (const [term, count] of counts) {
      const list = this.postingsOf(term)
      if (list) list.push(slot, count)
      else this.postings.set(term, [slot, count])
    }
  }

  /** Drops every chunk of a file; postings are cleaned when the index is next serialised. */
  removePath(path: string): void {
    for (const slot of this.slotsByPath.get(path) ?? []) {
      const doc = this.docs[slot]
      if (!doc) continue
      this.docs[slot] = undefined
      this.liveCount--
      this.totalLength -= doc.length
    }

    this.slotsByPath.delete(path)
  }

  search(query: string[], {limit, accept}: {limit: number; accept?: (path: string) => boolean}): LexicalHit[] {
    if (this.liveCount === 0) return []
    const averageLength = this.totalLength / this.liveCount || 1
    const scores = new Map<number, number>()
    const accepted = new Map<string, boolean>()
    const isAccepted = (path: string): boolean => {
      if (!accept) return true
      let result = accepted.get(path)
      if (result === undefined) accepted.set(path, (result = accept(path)))
      return result
    }

    for (const term of new Set(query)) {
      const list = this.postingsOf(term)
      if (!list) continue
      let df = 0
      for (let i = 0; i < list.length; i += 2) if (this.docs[list[i]!]) df++
      if (df === 0) continue
      const idf = Math.log(1 + (this.liveCount - df + 0.5) / (df + 0.5))
      for (let i = 0; i < list.length; i += 2) {
        const slot = list[i]!
        const doc = this.docs[slot]
        if (!doc || !isAccepted(doc.path)) continue
        const tf = list[i + 1]!
        const score = (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * doc.length) / averageLength))
        scores.set(slot, (scores.get(slot) ?? 0) + score)
      }
    }

    return [...scores]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, limit)
      .map(([slot, score]) => ({id: this.docs[slot]!.id, path: this.docs[slot]!.path, score}))
  }

  /** Compacts away removed chunks. */
  toJSON(): SerializedLexicalIndex {
    const remap = new Map<number, number>()
    const docs: SerializedLexicalIndex['docs'] = []
    for (const [slot, doc] of this.docs.entries()) {
      if (!doc) continue
      remap.set(slot, docs.length)
      docs.push([doc.id, doc.path, doc.length])
    }

    // No prototype: a term such as "constructor" must be an ordinary key.
    const postings: Record<string, string> = Object.create(null)
    for (const term of new Set([...Object.keys(this.encoded), ...this.postings.keys()])) {
      const list = this.postingsOf(term)!
      const kept: number[] = []
      for (let i = 0; i < list.length; i += 2) {
        const slot = remap.get(list[i]!)
        if (slot !== undefined) kept.push(slot, list[i + 1]!)
      }

      if (kept.length > 0) postings[term] = encodePostings(kept)
    }

    return {version: 2, docs, postings}
  }

  static fromJSON(data: SerializedLexicalIndex): LexicalIndex {
    const index = new LexicalIndex()
    if (data.version !== 2) return index
    for (const [id, path, length] of data.docs) {
      const slot = index.docs.length
      index.docs.push({id, path, length})
      index.liveCount++
      index.totalLength += length
      const slots = index.slotsByPath.get(path)
      if (slots) slots.push(slot)
      else index.slotsByPath.set(path, [slot])
    }

    index.encoded = Object.assign(Object.create(null), data.postings)
    return index
  }

  private postingsOf(term: string): number[] | undefined {
    let list = this.postings.get(term)
    if (!list && this.encoded[term] !== undefined) {
      list = decodePostings(this.encoded[term]!)
      this.postings.set(term, list)
      delete this.encoded[term]
    }

    return list
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
