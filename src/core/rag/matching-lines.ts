import type {ParsedQuery} from './query.js'
import {nameTerm, termsOf} from './terms.js'

export interface MatchingLine {
  /** 1-based. */
  line: number
  text: string
}

/** Longer lines are shown cut: a match in minified code still shows where it is. */
const LINE_WIDTH = 160

/** A file's lines are read this far at most when no range is given. */
const MAX_SCANNED = 3000

/**
 * The lines where the query's evidence is: a line that defines or uses a name the query gives counts
 * most, then lines with its rarest, heaviest words. Returned in file order, at most `limit`. `ranges`
 * (1-based, inclusive; default the file's head) bound the work on long files: the best chunks' lines.
 * `rarity` weighs a term (an idf); terms it does not know count once.
 */
export function matchingLines(
  lines: string[],
  query: ParsedQuery,
  {ranges, limit = 3, rarity = () => 1}: {ranges?: [number, number][]; limit?: number; rarity?: (term: string) => number} = {},
): MatchingLine[] {
  const scored: {line: number; score: number}[] = []
  const numbers = new Set<number>()
  for (const [from, to] of ranges ?? [[1, MAX_SCANNED]]) for (let n = Math.max(from, 1); n <= Math.min(to, lines.length); n++) numbers.add(n)
  for (const number of numbers) {
    const text = lines[number - 1]!
    if (text.trim() === '' || text.length > 4000) continue
    let score = 0
    const seen = new Set<string>()
    for (const term of termsOf(text)) {
      if (seen.has(term)) continue
      seen.add(term)
      const weight = query.terms.get(term)
      if (weight) score += weight * rarity(term)
    }

    for (const [word] of text.matchAll(/[A-Za-z_$][\w$]*/g)) {
      const weight = query.names.get(nameTerm(word))
      if (weight && !seen.has(`name:${word}`)) {
        seen.add(`name:${word}`)
        score += 2 * weight * rarity(nameTerm(word))
      }
    }

    if (score > 0) scored.push({line: number, score})
  }

  return scored
    .sort((a, b) => b.score - a.score || a.line - b.line)
    .slice(0, limit)
    .sort((a, b) => a.line - b.line)
    .map(({line}) => ({line, text: cut(lines[line - 1]!.trimEnd())}))
}

function cut(text: string): string {
  return text.length > LINE_WIDTH ? `${text.slice(0, LINE_WIDTH - 1)}…` : text
}
