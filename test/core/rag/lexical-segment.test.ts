import {createHash} from 'node:crypto'
import {mkdtemp, readdir, rm, truncate, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {fileKindOf} from '../../../src/core/rag/file-kinds.js'
import {rankFiles} from '../../../src/core/rag/file-ranking.js'
import {LexicalIndex, type LexicalReader} from '../../../src/core/rag/lexical-index.js'
import {LexicalSegment, SegmentError, writeSegment, type SegmentDelta} from '../../../src/core/rag/lexical-segment.js'
import {commitIndex, emptyManifest, openSegment, readManifest, type IndexManifest} from '../../../src/core/rag/manifest.js'
import {parseQuery} from '../../../src/core/rag/query.js'
import {termsOf} from '../../../src/core/rag/terms.js'

const id = (text: string) => createHash('sha1').update(text).digest('hex').slice(0, 24)

/** Adds a file (its text cut into paragraphs as chunks) to an in-memory index and to the manifest. */
function addFile(index: LexicalIndex, manifest: IndexManifest, file: string, text: string, {names = [] as string[], embedded = false} = {}): void {
  const chunks = text.split('\n\n').map((part, i) => ({id: id(`${file}:${part}:${i}`), text: part, start: i * 10 + 1}))
  index.add({path: file, kind: fileKindOf(file), pathTerms: termsOf(file), names, chunks: chunks.map((c) => ({terms: termsOf(c.text)}))})
  manifest.files[file] = {
    size: text.length,
    mtimeMs: 1000 + text.length,
    hash: id(text),
    language: 'typescript',
    embedded,
    chunks: chunks.map((c, i) => ({id: c.id, start: c.start, end: c.start + 5, ...(i === 0 ? {symbol: `${path.basename(file)}Main`} : {})})),
  }
}

const ranking = (index: LexicalReader, query: string) =>
  rankFiles(index, parseQuery(query), {limit: 20}).map((file) => [file.path, Number(file.score.toFixed(9))])

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'faithh-segment-'))
})
afterEach(async () => {
  await rm(dir, {recursive: true, force: true})
})

describe('writeSegment + LexicalSegment', () => {
  it('a written segment ranks exactly as the index it was written from, and keeps chunk lines, symbols, sizes and vector flags', async () => {
    const index = new LexicalIndex()
    const manifest = {...emptyManifest('faithh-x-1'), vectorStore: 'embedded', embedModel: 'nomic-embed-text'}
    addFile(index, manifest, 'src/retry.ts', 'export function withRetry(task) {\n  backoff(task)\n}\n\nconst constructor = __proto__', {
      names: ['withretry'],
      embedded: true,
    })
    addFile(index, manifest, 'src/net/http.ts', 'export class HttpClient {\n  get(url) { return withRetry(fetch(url)) }\n}')
    addFile(index, manifest, 'tests/retry.test.ts', 'it("retries", () => withRetry(flaky))\n\nwithRetry withRetry')
    addFile(index, manifest, 'docs/retries.md', '# Retries\n\nwithRetry waits with backoff. Ünïcödé wörds too.')
    const file = path.join(dir, 'lexical.bin')
    await writeSegment(file, {deltas: [{index, removed: new Set()}], manifest, generation: 7})
    const segment = (await LexicalSegment.open(file))!
    try {
      for (const query of ['withRetry', 'retry backoff', 'HttpClient get url', 'constructor __proto__', 'ünïcödé', 'nothing-here']) {
        expect(ranking(segment, query), query).toEqual(ranking(index, query))
      }

      expect(segment.meta).toMatchObject({
        generation: 7,
        collection: 'faithh-x-1',
        vectorStore: 'embedded',
        embedModel: 'nomic-embed-text',
        files: 4,
        chunks: 7,
      })
      const slot = segment.slotOf('src/retry.ts')!
      expect(segment.fileInfo(slot)).toEqual({size: manifest.files['src/retry.ts']!.size, mtimeMs: manifest.files['src/retry.ts']!.mtimeMs, embedded: true})
      const [first, count] = segment.chunksOf(slot)
      expect(count).toBe(2)
      expect(segment.chunkInfo(first)).toEqual({
        id: manifest.files['src/retry.ts']!.chunks[0]!.id,
        file: slot,
        startLine: 1,
        endLine: 6,
        symbol: 'retry.tsMain',
      })
      expect(segment.chunkInfo(first + 1)).not.toHaveProperty('symbol')
      expect(segment.chunkSlot(manifest.files['src/retry.ts']!.chunks[1]!.id)).toBe(first + 1)
      expect(segment.file(segment.slotOf('tests/retry.test.ts')!)?.kind).toBe('test')
    } finally {
      await segment.close()
    }
  })

  it('merges: files removed or replaced since the base are gone, new ones come in, and so over several deltas', async () => {
    const manifest = emptyManifest('c')
    const base = new LexicalIndex()
    addFile(base, manifest, 'a.ts', 'alpha shared')
    addFile(base, manifest, 'b.ts', 'bravo shared\n\nbravo two')
    addFile(base, manifest, 'c.ts', 'charlie shared')
    const file = path.join(dir, 'lexical.bin')
    await writeSegment(file, {deltas: [{index: base, removed: new Set()}], manifest, generation: 1})
    const first = (await LexicalSegment.open(file))!

    const one = new LexicalIndex()
    addFile(one, manifest, 'b.ts', 'bravo rewritten shared')
    addFile(one, manifest, 'e.ts', 'echo shared')
    delete manifest.files['c.ts']
    const two = new LexicalIndex()
    delete manifest.files['e.ts']
    addFile(two, manifest, 'd.ts', 'delta shared')
    const deltas: SegmentDelta[] = [
      {index: one, removed: new Set(['b.ts', 'c.ts', 'e.ts'])},
      {index: two, removed: new Set(['e.ts', 'd.ts'])},
    ]
    await writeSegment(file, {base: first, deltas, manifest, generation: 2})
    await first.close()
    const merged = (await LexicalSegment.open(file))!
    try {
      expect([...merged.entries()].map(([, entry]) => entry.path)).toEqual(['a.ts', 'b.ts', 'd.ts'])
      expect(
        ranking(merged, 'shared')
          .map(([file]) => file)
          .sort(),
      ).toEqual(['a.ts', 'b.ts', 'd.ts'])
      expect(ranking(merged, 'charlie')).toEqual([])
      expect(ranking(merged, 'echo')).toEqual([])
      expect(ranking(merged, 'two')).toEqual([])
      expect(ranking(merged, 'rewritten').map(([file]) => file)).toEqual(['b.ts'])
      // The same as an index built from scratch with the surviving files.
      const fresh = new LexicalIndex()
      const again = emptyManifest('c')
      addFile(fresh, again, 'a.ts', 'alpha shared')
      addFile(fresh, again, 'b.ts', 'bravo rewritten shared')
      addFile(fresh, again, 'd.ts', 'delta shared')
      for (const query of ['shared', 'alpha bravo delta', 'rewritten']) expect(ranking(merged, query)).toEqual(ranking(fresh, query))
    } finally {
      await merged.close()
    }
  })

  it('appending to a base that keeps all its files (a first index committed in steps) gives the same index as one write', async () => {
    const manifest = emptyManifest('c')
    const texts = Array.from({length: 90}, (_, i) => `shared word${i % 13} unique${i}\n\nsecond part ${i % 5} shared`)
    const file = path.join(dir, 'lexical.bin')
    let base: LexicalSegment | undefined
    for (let step = 0; step < 3; step++) {
      const delta = new LexicalIndex()
      for (let i = step * 30; i < step * 30 + 30; i++) addFile(delta, manifest, `src/f${i}.ts`, texts[i]!)
      await writeSegment(file, {base, deltas: [{index: delta, removed: new Set()}], manifest, generation: step + 1})
      await base?.close()
      base = await LexicalSegment.open(file)
    }

    const whole = new LexicalIndex()
    for (const [i, text] of texts.entries()) addFile(whole, emptyManifest('c'), `src/f${i}.ts`, text)
    try {
      for (const query of ['shared', 'word3 part', 'unique42', 'unique89 unique0']) expect(ranking(base!, query)).toEqual(ranking(whole, query))
      expect(Array.from(base!.postings('body', 'shared')!)).toEqual(Array.from(whole.postings('body', 'shared')!))
    } finally {
      await base!.close()
    }
  })

  it('finds every term among thousands (many dictionary groups), and only those', async () => {
    const index = new LexicalIndex()
    const manifest = emptyManifest('c')
    for (let i = 0; i < 300; i++) addFile(index, manifest, `src/f${i}.ts`, `term${i}x shared${i % 7}x word${(i * 37) % 1000}y`)
    const file = path.join(dir, 'lexical.bin')
    await writeSegment(file, {deltas: [{index, removed: new Set()}], manifest, generation: 1})
    const segment = (await LexicalSegment.open(file))!
    try {
      for (const i of [0, 1, 63, 64, 65, 150, 299]) expect(ranking(segment, `term${i}x`).map(([f]) => f)).toEqual([`src/f${i}.ts`])
      expect(Array.from(segment.postings('body', 'shared3x')!)).toEqual(Array.from(index.postings('body', 'shared3x')!))
      for (const missing of ['', 'a', 'zzzz', 'term3000x', 'shared']) expect(segment.postings('body', missing)).toBeUndefined()
    } finally {
      await segment.close()
    }
  })

  it('an index with no files is written and read', async () => {
    const file = path.join(dir, 'lexical.bin')
    await writeSegment(file, {deltas: [{index: new LexicalIndex(), removed: new Set()}], manifest: emptyManifest('c'), generation: 1})
    const segment = (await LexicalSegment.open(file))!
    expect(segment.size).toBe(0)
    expect(rankFiles(segment, parseQuery('anything'), {limit: 5})).toEqual([])
    await segment.close()
  })
})

describe('LexicalSegment: missing, damaged and failed files', () => {
  it('a missing segment is undefined; a truncated or foreign one is a SegmentError naming the file', async () => {
    const file = path.join(dir, 'lexical.bin')
    expect(await LexicalSegment.open(file)).toBeUndefined()

    const index = new LexicalIndex()
    const manifest = emptyManifest('c')
    addFile(index, manifest, 'a.ts', 'alpha')
    await writeSegment(file, {deltas: [{index, removed: new Set()}], manifest, generation: 1})
    await truncate(file, 40)
    await expect(LexicalSegment.open(file)).rejects.toThrow(SegmentError)
    await writeFile(file, Buffer.alloc(4096, 7))
    await expect(LexicalSegment.open(file)).rejects.toThrow(/lexical\.bin is not a lexical index/)
    await writeFile(file, '')
    await expect(LexicalSegment.open(file)).rejects.toThrow(/too short/)
  })

  it('a write that fails leaves the previous segment whole and no temporary file behind', async () => {
    const file = path.join(dir, 'lexical.bin')
    const index = new LexicalIndex()
    const manifest = emptyManifest('c')
    addFile(index, manifest, 'a.ts', 'alpha\n\nsecond chunk')
    await writeSegment(file, {deltas: [{index, removed: new Set()}], manifest, generation: 1})

    // The manifest and the index disagree about a file's chunks: refused before anything is written.
    const broken = new LexicalIndex()
    addFile(broken, manifest, 'b.ts', 'bravo')
    manifest.files['b.ts']!.chunks.push({id: id('extra'), start: 9, end: 9})
    await expect(writeSegment(file, {deltas: [{index: broken, removed: new Set()}], manifest, generation: 2})).rejects.toThrow(/disagree about b\.ts/)
    expect(await readdir(dir)).toEqual(['lexical.bin'])
    const segment = (await LexicalSegment.open(file))!
    expect(segment.generation).toBe(1)
    expect(ranking(segment, 'alpha').map(([f]) => f)).toEqual(['a.ts'])
    await segment.close()
  })
})

describe('commitIndex', () => {
  it('writes a manifest of many files (in pieces) that reads back as the one committed, and a segment that lists them all', async () => {
    const index = new LexicalIndex()
    const manifest = {...emptyManifest('faithh-x-1'), garbage: ['0123456789abcdef01234567']}
    for (let i = 0; i < 1234; i++) addFile(index, manifest, `src/pkg-${i % 7}/file "${i}" ü.ts`, `export const value${i} = ${i}\n\nfunction helper${i}() {}`)
    await commitIndex(dir, manifest, {deltas: [{index, removed: new Set()}]})
    const committed = (await openSegment(dir))!
    try {
      const read = (await readManifest(dir))!
      expect(read.generation).toBe(1)
      expect(read.garbage).toEqual(['0123456789abcdef01234567'])
      expect(read.files).toEqual(manifest.files)
      expect(Object.keys(read.files)).toEqual(Object.keys(manifest.files))
      expect(committed.size).toBe(1234)
      expect(ranking(committed, 'helper1233').map(([f]) => f)).toEqual(['src/pkg-1/file "1233" ü.ts'])
    } finally {
      await committed.close()
    }

    // An empty project commits a manifest with no files.
    await commitIndex(dir, emptyManifest('faithh-x-1'), {deltas: [{index: new LexicalIndex(), removed: new Set()}]})
    expect((await readManifest(dir))!.files).toEqual({})
  })
})
