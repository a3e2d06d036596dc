import {canonicalLine, indentOf, indentWidth, isBlank, isElision} from './line-likeness.js'
import {type Alignment, type Line, rankRegions} from './similar-region.js'

/**
 * Where in a file an `old_text` that did not match exactly was meant to go. Small models copy code
 * almost right: trailing spaces, tabs for spaces, a shifted indentation, a missing or extra blank
 * line, smart quotes, a line left out. Three strategies, tried in order, each only if the one before
 * found nothing; a strategy that finds two places is ambiguous and nothing is applied:
 * - whitespace: every line equal once whitespace runs, trailing spaces, tabs (at four columns),
 *   typography and blank lines are set aside;
 * - indentation: the same, ignoring indentation altogether (a shifted block, tabs for two spaces,
 *   or indentation lost on the way); the replacement is re-indented to fit;
 * - similar (similar-region.ts): the region whose lines, aligned with old_text's, agree on at least SIMILAR_ENOUGH of
 *   old_text's characters, CLEARLY_BETTER than any other region, with at most MOST_DIFFERING of
 *   old_text's lines wrong (see the measurement in bench/edit-match.ts). Lines old_text left out
 *   (or elided with `...`) count against it a little.
 */
export type MatchStrategy = 'whitespace' | 'indentation' | 'similar'

export interface NearMatch {
  strategy: MatchStrategy
  /** File lines [start, end), 0-based. */
  start: number
  end: number
  /** For each line of old_text, the file line it stands for, or -1 (a line the file does not have). */
  pairs: number[]
  /** Share of old_text's characters that agree with the file (1 for whitespace and indentation). */
  similarity: number
}

export type NearMatchResult =
  | {kind: 'match'; match: NearMatch}
  | {kind: 'ambiguous'; strategy: MatchStrategy; regions: Array<{start: number; end: number; similarity: number}>}
  | {kind: 'none'}

/** Measured (bench/edit-match.ts): the lowest share of agreeing characters that never picked a wrong region. */
export const SIMILAR_ENOUGH = 0.8
/** Measured likewise: how far the best region must be ahead of any other. */
export const CLEARLY_BETTER = 0.1
/** Measured likewise: the largest share of old_text's lines that may differ from the file's (more means the model misremembers the code). */
export const MOST_DIFFERING = 0.34
/** The lines that are not blank, each with its index and its canonical form: what regions are matched on. */
function contentLines(lines: readonly string[]): Line[] {
  return lines.map((text, index) => ({index, text, canon: canonicalLine(text)})).filter((line) => !isBlank(line.text))
}

export function findNearMatch(fileLines: readonly string[], oldLines: readonly string[]): NearMatchResult {
  const old = contentLines(oldLines)
  if (old.length === 0) return {kind: 'none'}
  const file = contentLines(fileLines)
  const elided = old.some((line) => isElision(line.text))

  if (!elided) {
    for (const strategy of ['whitespace', 'indentation'] as const) {
      const starts = equalRuns(file, old, strategy)
      if (starts.length > 1) {
        return {kind: 'ambiguous', strategy, regions: starts.map((p) => ({start: file[p]!.index, end: file[p + old.length - 1]!.index + 1, similarity: 1}))}
      }

      if (starts.length === 1) {
        const pairs = pairBlankLines(fileLines, oldLines, runPairs(oldLines.length, old, file, starts[0]!))
        return {kind: 'match', match: {strategy, start: file[starts[0]!]!.index, end: file[starts[0]! + old.length - 1]!.index + 1, pairs, similarity: 1}}
      }
    }
  }

  return similarRegion(fileLines, file, oldLines, old)
}

/** Positions in `file` (non-blank lines) where `old` matches line for line under `strategy`. */
function equalRuns(file: Line[], old: Line[], strategy: 'whitespace' | 'indentation'): number[] {
  const key = (line: Line) => (strategy === 'whitespace' ? `${indentWidth(indentOf(line.text))}|${line.canon}` : line.canon)
  const oldKeys = old.map(key)
  const fileKeys = file.map(key)
  const found: number[] = []
  for (let p = 0; p + old.length <= file.length; p++) {
    let k = 0
    while (k < old.length && fileKeys[p + k] === oldKeys[k]) k++
    if (k === old.length) found.push(p)
  }

  return found
}

function runPairs(count: number, old: Line[], file: Line[], at: number): number[] {
  const pairs = Array.from({length: count}, () => -1)
  for (const [k, line] of old.entries()) pairs[line.index] = file[at + k]!.index
  return pairs
}

/**
 * Blank lines are set aside when matching; between two matched lines, old_text's blank lines stand
 * for the file's, in order, so that removing one in new_text removes it from the file.
 */
function pairBlankLines(fileLines: readonly string[], oldLines: readonly string[], pairs: number[]): number[] {
  let previousOld = -1
  let previousFile = -1
  for (let k = 0; k <= oldLines.length; k++) {
    if (k < oldLines.length && pairs[k] === -1) continue
    const nextFile = k < oldLines.length ? pairs[k]! : previousFile + 1
    let f = previousFile + 1
    for (let o = previousOld + 1; o < k && previousFile >= 0; o++) {
      if (!isBlank(oldLines[o]!)) continue
      while (f < nextFile && !isBlank(fileLines[f]!)) f++
      if (f < nextFile) pairs[o] = f++
    }

    if (k < oldLines.length) {
      previousOld = k
      previousFile = pairs[k]!
    }
  }

  return pairs
}

/**
 * The "similar" strategy: the best region (see rankSimilarRegions), kept only if it is similar
 * enough and clearly ahead of the best region that does not overlap it.
 */
function similarRegion(fileLines: readonly string[], file: Line[], oldLines: readonly string[], old: Line[]): NearMatchResult {
  const ranked = rankRegions(file, old)
  if (!ranked || ranked.best.similarity < SIMILAR_ENOUGH) return {kind: 'none'}
  const {best, rival, wanted} = ranked
  const region = (r: Alignment) => ({start: file[r.start]!.index, end: file[r.end - 1]!.index + 1, similarity: r.similarity})
  if (rival && best.similarity - rival.similarity < CLEARLY_BETTER) return {kind: 'ambiguous', strategy: 'similar', regions: [region(best), region(rival)]}
  if (best.differing > MOST_DIFFERING * wanted.length) return {kind: 'none'}
  const pairs = Array.from({length: oldLines.length}, () => -1)
  for (const [k, j] of best.pairs) pairs[wanted[k]!.index] = file[j]!.index
  return {kind: 'match', match: {strategy: 'similar', ...region(best), pairs: pairBlankLines(fileLines, oldLines, pairs)}}
}

/** The best and runner-up similarity of regions for old_text, whatever the thresholds (bench/edit-match.ts measures them). */
export function rankSimilarRegions(
  fileLines: readonly string[],
  oldLines: readonly string[],
): {best: {start: number; end: number; similarity: number; differing: number; lines: number}; rival?: number} | undefined {
  const file = contentLines(fileLines)
  const old = contentLines(oldLines)
  const ranked = rankRegions(file, old)
  if (!ranked) return undefined
  const {best, rival} = ranked
  const lines = ranked.wanted.length
  return {
    best: {start: file[best.start]!.index, end: file[best.end - 1]!.index + 1, similarity: best.similarity, differing: best.differing, lines},
    rival: rival?.similarity,
  }
}
