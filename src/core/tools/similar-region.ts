import {bigramSet, bigramSetDice, editDistance, isElision} from './line-likeness.js'

/**
 * The "similar" strategy of edit-near-match.ts: where in a file old_text fits best, by a line-by-line
 * alignment that tolerates typos, lines left out, elided (`// ...`) or invented, and how well.
 */

// Each line weighs its length plus this, so short lines (`}`) still count. A line of the file that
// old_text left out costs just this: leaving lines out is how models shorten old_text, and what is
// there still matches. A line of old_text the file does not have costs its whole weight.
const LINE_WEIGHT = 6
// A character edited costs twice a character missing: between pairing a line with a look-alike and
// counting a line as left out, the alignment prefers the exact pairs (`mistral:` is not `mistral3:`).
const EDIT_WEIGHT = 2
// Fuzzy alignment is quadratic in lines: beyond this old_text is too long to guess about.
const MAX_SIMILAR_LINES = 200
const CANDIDATES = 6

/** A non-blank line of the file or of old_text, with its canonical form. */
export type Line = {index: number; text: string; canon: string; bigrams?: Set<number>}

function bigramsOf(line: Line): Set<number> {
  line.bigrams ??= bigramSet(line.canon)
  return line.bigrams
}

/**
 * Candidate regions from lines that match exactly (each votes for where old_text would start) and
 * from a bigram sketch of every window, each aligned line by line with old_text; the best, and the
 * best of what the candidates' windows hold outside it (the rival it must clearly beat).
 */
export function rankRegions(file: Line[], old: Line[]): {best: Alignment; rival?: Alignment; wanted: Line[]} | undefined {
  const wanted = old.filter((line) => !isElision(line.text))
  if (wanted.length === 0 || wanted.length > MAX_SIMILAR_LINES || file.length === 0) return undefined
  // After which wanted line an elision stood: file lines skipped there cost nothing.
  const elisionAfter = new Set<number>()
  for (const [k, line] of old.entries()) if (isElision(line.text)) elisionAfter.add(old.slice(0, k).filter((l) => !isElision(l.text)).length)
  const reach = elisionAfter.size > 0 ? 80 : 4

  const distances = new Map<number, number>()
  const distance = (k: number, j: number) => {
    const key = k * file.length + j
    let d = distances.get(key)
    if (d === undefined) {
      const a = wanted[k]!.canon
      const b = file[j]!.canon
      // Lines too unlike to be one edited into the other are never paired.
      const unlike =
        Math.abs(a.length - b.length) > Math.max(a.length, b.length) / 2 || (a !== b && bigramSetDice(bigramsOf(wanted[k]!), bigramsOf(file[j]!)) < 0.3)
      d = unlike ? Infinity : editDistance(a, b)
      distances.set(key, d)
    }

    return d
  }

  const windows = candidateStarts(file, wanted).map((p): [number, number] => [Math.max(0, p - 4), Math.min(file.length, p + wanted.length + reach)])
  const fit = (from: number, to: number) => (to - from > 0 ? align(wanted, file, from, to, distance, elisionAfter) : undefined)
  const byScore = (a: Alignment | undefined, b: Alignment | undefined) => (!b || (a && a.similarity >= b.similarity) ? a : b)
  let best: Alignment | undefined
  for (const [from, to] of windows) best = byScore(best, fit(from, to))
  if (!best) return undefined
  let rival: Alignment | undefined
  for (const [from, to] of windows) {
    rival = byScore(rival, fit(from, Math.min(to, best.start)))
    rival = byScore(rival, fit(Math.max(from, best.end), to))
  }

  return {best, rival, wanted}
}

/** Starts (in non-blank file lines) worth aligning: exact-line votes first, then the best bigram windows. */
function candidateStarts(file: Line[], wanted: Line[]): number[] {
  const byCanon = new Map<string, number[]>()
  for (const [j, line] of file.entries()) {
    const at = byCanon.get(line.canon)
    if (at) at.push(j)
    else byCanon.set(line.canon, [j])
  }
  const votes = new Map<number, number>()
  for (const [k, line] of wanted.entries()) {
    const at = byCanon.get(line.canon) ?? []
    if (at.length > 20) continue // a line like `}` says nothing about where
    for (const j of at) votes.set(j - k, (votes.get(j - k) ?? 0) + 1)
  }

  const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1])
  const starts = ranked.slice(0, CANDIDATES).map(([p]) => p)
  // Half of old_text's lines exactly right somewhere: the votes have found the place.
  if ((ranked[0]?.[1] ?? 0) >= Math.ceil(wanted.length / 2)) return starts
  // The sketch: a few anchor lines' bigram likeness, for old_text with few lines exactly right.
  const anchors = [...new Set([0, Math.floor(wanted.length / 2), wanted.length - 1])]
  const sketch: Array<[number, number]> = []
  for (let p = 1 - wanted.length; p < file.length; p++) {
    let sum = 0
    for (const k of anchors) {
      const line = file[p + k]
      if (line) sum += line.canon === wanted[k]!.canon ? 1 : bigramSetDice(bigramsOf(wanted[k]!), bigramsOf(line))
    }

    sketch.push([p, sum])
  }

  sketch.sort((a, b) => b[1] - a[1])
  for (const [p] of sketch.slice(0, CANDIDATES)) if (!starts.includes(p)) starts.push(p)
  return starts
}

export interface Alignment {
  /** Non-blank file lines [start, end) the alignment covers. */
  start: number
  end: number
  /** [wanted line, non-blank file line] pairs. */
  pairs: Array<[number, number]>
  similarity: number
  /** Wanted lines that differ from their file line or are not in the file. */
  differing: number
}

/**
 * Fits all of `wanted` into file lines [from, to), free to start and end anywhere in that window,
 * minimising: EDIT_WEIGHT × edit distance of paired lines + the weight of wanted lines left unpaired (the file
 * does not have them) + LINE_WEIGHT for each file line skipped inside the region (nothing after an
 * elision line). Similarity is one minus that cost over old_text's weight.
 */
function align(
  wanted: Line[],
  file: Line[],
  from: number,
  to: number,
  distance: (k: number, j: number) => number,
  elisionAfter: ReadonlySet<number>,
): Alignment | undefined {
  const n = wanted.length
  const m = to - from
  if (m <= 0) return undefined
  const cost = Array.from({length: n + 1}, () => new Float64Array(m + 1))
  const move = Array.from({length: n + 1}, () => new Uint8Array(m + 1)) // 1 pair, 2 skip wanted, 3 skip file
  for (let i = 1; i <= n; i++) {
    cost[i]![0] = cost[i - 1]![0]! + weight(wanted[i - 1]!)
    move[i]![0] = 2
  }

  for (let i = 0; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      // Before the first wanted line the window's lines are simply outside the region.
      let best = i === 0 ? 0 : cost[i]![j - 1]! + (elisionAfter.has(i) ? 0 : LINE_WEIGHT)
      let how = 3
      if (i > 0) {
        const skip = cost[i - 1]![j]! + weight(wanted[i - 1]!)
        if (skip < best) [best, how] = [skip, 2]
        const pair = cost[i - 1]![j - 1]! + EDIT_WEIGHT * distance(i - 1, from + j - 1)
        if (pair < best) [best, how] = [pair, 1]
      }

      cost[i]![j] = best
      move[i]![j] = how
    }
  }

  // Free end: the region may stop anywhere in the window.
  let end = 0
  for (let j = 1; j <= m; j++) if (cost[n]![j]! < cost[n]![end]!) end = j
  const pairs: Array<[number, number]> = []
  for (let i = n, j = end; i > 0 && j >= 0; ) {
    const how = move[i]![j]
    if (how === 1) {
      pairs.unshift([i - 1, from + j - 1])
      i--
      j--
    } else if (how === 2 || j === 0) {
      i--
    } else {
      j--
    }
  }

  if (pairs.length === 0) return undefined
  // File lines skipped after the last pair were charged but are outside the region: take them back.
  let total = cost[n]![end]!
  const last = pairs.at(-1)![1]
  for (let j = last + 1; j < from + end; j++) total -= elisionAfter.has(n) ? 0 : LINE_WEIGHT
  const length = wanted.reduce((sum, line) => sum + weight(line), 0)
  // Lines that differ from the file's, and lines the file does not have: what the model misremembers.
  const differing = n - pairs.filter(([k, j]) => wanted[k]!.canon === file[j]!.canon).length
  return {start: pairs[0]![1], end: last + 1, pairs, similarity: Math.max(0, 1 - total / length), differing}
}

function weight(line: Line): number {
  return line.canon.length + LINE_WEIGHT
}
