import {createHash} from 'node:crypto'

import {detached} from './detached.js'
import {languageFor, type Language} from './languages.js'

/** One retrievable piece of a file. Lines are 1-based and inclusive. */
export interface Chunk {
  startLine: number
  endLine: number
  text: string
  /** The declaration the chunk starts in, when the language heuristics found one. */
  symbol?: string
  /** Hash of `text`: what incremental indexing compares. */
  hash: string
}

export interface ChunkOptions {
  /** Upper bound per chunk, in estimated tokens. */
  maxTokens: number
}

/** Code and English average ~3.5 characters per token with the usual BPE vocabularies; errs towards smaller chunks. */
export const CHARS_PER_TOKEN = 3.5
/** Share of a line window repeated at the start of the next, so a match at a cut still has context. */
const OVERLAP = 0.15

interface Segment {
  start: number
  /** Exclusive. */
  end: number
  symbol?: string
}

/**
 * Splits a file at its top-level declarations (with their doc comments and decorators), packs small
 * neighbours together up to the budget, and cuts what is still too large into overlapping line
 * windows. Files without declaration heuristics are windows throughout.
 */
export function chunkFile(file: string, content: string, {maxTokens}: ChunkOptions): Chunk[] {
  const lines = content.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
  if (lines.at(-1) === '') lines.pop()
  if (lines.length === 0) return []

  const budget = Math.max(64, Math.floor(maxTokens * CHARS_PER_TOKEN))
  const sizes = lines.map((line) => line.length + 1)
  const chunks: Chunk[] = []
  for (const segment of packSegments(declarationSegments(lines, languageFor(file)), sizes, budget)) {
    for (const piece of fitToBudget(segment, lines, sizes, budget)) {
      const chunk = makeChunk(lines, piece)
      if (chunk) chunks.push(chunk)
    }
  }

  return chunks
}

function declarationSegments(lines: string[], language: Language): Segment[] {
  const starts: {line: number; symbol?: string}[] = []
  if (language.declaration) {
    for (let i = 0; i < lines.length; i++) {
      const match = language.declaration.exec(lines[i]!)
      if (!match) continue
      let start = i
      // Doc comments and decorators directly above (no blank line between) belong to the declaration.
      while (start > 0 && language.leading?.test(lines[start - 1]!) && (starts.at(-1)?.line ?? -1) < start - 1) start--
      const symbol = match
        .slice(1)
        .find((group) => group !== undefined)
        ?.trim()
      starts.push({line: start, symbol: symbol === undefined ? undefined : detached(symbol)})
    }
  }

  const segments: Segment[] = []
  if ((starts[0]?.line ?? lines.length) > 0) segments.push({start: 0, end: starts[0]?.line ?? lines.length})
  for (const [index, start] of starts.entries()) {
    segments.push({start: start.line, end: starts[index + 1]?.line ?? lines.length, symbol: start.symbol})
  }

  return segments
}

/** Neighbouring small declarations (imports, one-line types, constants) share a chunk while they fit. */
function packSegments(segments: Segment[], sizes: number[], budget: number): Segment[] {
  const packed: Segment[] = []
  let current: (Segment & {chars: number}) | undefined
  for (const segment of segments) {
    const chars = sum(sizes, segment.start, segment.end)
    if (current && current.chars + chars <= budget) {
      current.end = segment.end
      current.chars += chars
      current.symbol ??= segment.symbol
      continue
    }

    if (current) packed.push(current)
    current = {...segment, chars}
  }

  if (current) packed.push(current)
  return packed.map(({start, end, symbol}) => ({start, end, symbol}))
}

/** A segment over budget becomes overlapping line windows; a single line over budget is cut by characters. */
function* fitToBudget(segment: Segment, lines: string[], sizes: number[], budget: number): Generator<Segment & {cut?: [number, number]}> {
  if (sum(sizes, segment.start, segment.end) <= budget) {
    yield segment
    return
  }

  let start = segment.start
  while (start < segment.end) {
    if (sizes[start]! > budget) {
      const line = lines[start]!
      for (let from = 0; from < line.length; from += budget - 1) yield {start, end: start + 1, symbol: segment.symbol, cut: [from, from + budget - 1]}
      start++
      continue
    }

    let end = start
    let chars = 0
    while (end < segment.end && sizes[end]! <= budget && chars + sizes[end]! <= budget) chars += sizes[end++]!
    yield {start, end, symbol: segment.symbol}
    if (end >= segment.end) return
    const overlap = Math.floor((end - start) * OVERLAP)
    start = Math.max(start + 1, end - overlap)
  }
}

function makeChunk(lines: string[], piece: Segment & {cut?: [number, number]}): Chunk | undefined {
  let {start, end} = piece
  // Blank lines at the edges only blur the path:start-end header.
  while (start < end && lines[start]!.trim() === '') start++
  while (end > start && lines[end - 1]!.trim() === '') end--
  if (start >= end) return undefined

  const text = piece.cut ? lines[start]!.slice(...piece.cut) : lines.slice(start, end).join('\n')
  if (text.trim() === '') return undefined
  return {
    startLine: start + 1,
    endLine: end,
    text,
    ...(piece.symbol ? {symbol: piece.symbol} : {}),
    hash: createHash('sha1').update(text).digest('hex').slice(0, 16),
  }
}

function sum(sizes: number[], start: number, end: number): number {
  let total = 0
  for (let i = start; i < end; i++) total += sizes[i]!
  return total
}
