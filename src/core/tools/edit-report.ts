import type {NearMatch, NearMatchResult} from './edit-near-match.js'
import type {Patched} from './edit-patch.js'
import {canonicalLine, indentOf, indentWidth, isBlank, plainTypography} from './line-likeness.js'
import {numberLines, plural, splitLines} from './text-lines.js'

/** What edit_file tells the model (and the user) when old_text was not found as written. */

/** Most lines a diagnostic excerpt shows. */
const MAX_EXCERPT_LINES = 12
/** Most line numbers listed for ambiguous matches. */
const MAX_LISTED = 10
/** Below this similarity the "closest" region is noise, not a hint. */
const MIN_SIMILARITY = 0.4

/**
 * An edit applied to a near match: what old_text matched (lines) and how (the strategy and what
 * differed), so the model and the user can check it.
 */
export function describeNearEdit(
  rel: string,
  match: NearMatch,
  patched: Patched,
  oldLines: readonly string[],
  fileLines: readonly string[],
  lineEndings: boolean,
): string {
  const where = range(match.start + 1, match.end)
  const newRange = patched.lineCount === 0 ? 'removed' : `new text is at ${range(patched.firstLine + 1, patched.firstLine + patched.lineCount)}`
  const kept =
    patched.keptLines.length > 0
      ? ` Kept ${patched.keptLines.length === 1 ? 'line' : 'lines'} ${listLines(patched.keptLines.map((j) => j + 1))} that old_text left out.`
      : ''
  if (match.strategy === 'similar') {
    const differing: number[] = []
    let missing = 0
    for (const [k, j] of match.pairs.entries()) {
      if (isBlank(oldLines[k]!)) continue
      if (j < 0) missing++
      else if (canonicalLine(oldLines[k]!) !== canonicalLine(fileLines[j]!)) differing.push(j + 1)
    }

    const details = [
      `${Math.floor(match.similarity * 100)}% alike`,
      ...(differing.length > 0
        ? [`${differing.length === 1 ? 'line' : 'lines'} ${listLines(differing)} differ${differing.length === 1 ? 's' : ''} from old_text`]
        : []),
      ...(missing > 0 ? [`${plural(missing, 'line')} of old_text not in the file`] : []),
    ]
    return `edited ${rel}: old_text was not found exactly; the most similar text, ${where} (${details.join('; ')}), was replaced; ${newRange}.${kept} Check the result with read_file.`
  }

  const ignoring = differences(oldLines, fileLines, match, lineEndings)
  const refit = patched.reindented ? ' (new_text re-indented to fit)' : ''
  return `edited ${rel}: old_text was not found exactly; it matched ${where} ignoring ${listWords(ignoring)}${refit}; ${newRange}.${kept}`
}

/** What kinds of difference a whitespace or indentation match set aside. */
function differences(oldLines: readonly string[], fileLines: readonly string[], match: NearMatch, lineEndings: boolean): string[] {
  const found = new Set<string>()
  for (const [k, j] of match.pairs.entries()) {
    if (j < 0) continue
    const a = oldLines[k]!
    const b = fileLines[j]!
    if (isBlank(a) || a === b) continue
    if (a.trimEnd() !== a || b.trimEnd() !== b) found.add('trailing whitespace')
    const [ia, ib] = [indentOf(a), indentOf(b)]
    if (ia !== ib) found.add(indentWidth(ia) === indentWidth(ib) ? 'tabs vs spaces' : 'indentation')
    if (plainTypography(a) !== a || plainTypography(b) !== b) found.add('quotes and dashes')
    const [ta, tb] = [plainTypography(a).trim(), plainTypography(b).trim()]
    if (ta !== tb && ta.replace(/\s+/g, ' ') === tb.replace(/\s+/g, ' ')) found.add('spacing inside lines')
  }

  const [first, last] = [firstNonBlank(oldLines), lastNonBlank(oldLines)]
  const blankOld = oldLines.filter((line, k) => isBlank(line) && k > first && k < last).length
  const blankFile = fileLines.slice(match.start, match.end).filter(isBlank).length
  if (blankOld !== blankFile) found.add('blank lines')
  if (lineEndings) found.add('line endings')
  const order = ['indentation', 'tabs vs spaces', 'trailing whitespace', 'spacing inside lines', 'quotes and dashes', 'blank lines', 'line endings']
  return found.size > 0 ? order.filter((kind) => found.has(kind)) : ['whitespace']
}

/** "a", "a and b", "a, b and c". */
function listWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`
}

function firstNonBlank(lines: readonly string[]): number {
  return lines.findIndex((line) => !isBlank(line))
}

function lastNonBlank(lines: readonly string[]): number {
  return lines.length - 1 - [...lines].reverse().findIndex((line) => !isBlank(line))
}

/** The region was found, but new_text changes lines of old_text that are not in it. */
export function describeUnplaced(rel: string, match: NearMatch, lines: readonly string[]): string {
  const shown = lines
    .slice(0, 3)
    .map((line) => JSON.stringify(line.trim()))
    .join(', ')
  return (
    `edit_file: old_text not found exactly in ${rel}; the closest text is ${range(match.start + 1, match.end)}, but new_text changes ` +
    `${lines.length === 1 ? 'a line' : `${lines.length} lines`} of old_text that ${lines.length === 1 ? 'is' : 'are'} not there (${shown}), so nothing was changed. ` +
    'Use read_file to see the current text and copy it exactly into old_text.'
  )
}

/** Two or more places match about equally well: nothing was changed. */
export function describeAmbiguous(rel: string, result: Extract<NearMatchResult, {kind: 'ambiguous'}>): string {
  const places = result.regions.map((r) => range(r.start + 1, r.end))
  if (result.strategy === 'similar') {
    const [a, b] = result.regions
    return (
      `edit_file: old_text not found exactly in ${rel}, and ${places.join(' and ')} are about equally similar ` +
      `(${Math.floor(a!.similarity * 100)}% and ${Math.floor(b!.similarity * 100)}%), so neither was changed. Use read_file and copy the exact text of the one you mean.`
    )
  }

  return (
    `edit_file: old_text not found exactly in ${rel}; ignoring ${result.strategy === 'whitespace' ? 'whitespace' : 'whitespace and indentation'} it matches ${result.regions.length} places ` +
    `(lines ${listLines(result.regions.map((r) => r.start + 1))}), so none was changed. Copy the exact text of one, with more surrounding lines.`
  )
}

export function listLines(lines: number[]): string {
  const shown = lines.slice(0, MAX_LISTED).join(', ')
  return lines.length > MAX_LISTED ? `${shown}, … ${lines.length - MAX_LISTED} more` : shown
}

export function range(a: number, b: number): string {
  return b > a ? `lines ${a}-${b}` : `line ${a}`
}

const normalize = (line: string): string => line.replace(/\s+/g, ' ').trim()

/**
 * Explains a miss so the model can retry: read_file line prefixes pasted into old_text, a region
 * that matches once whitespace is ignored, or else the most similar region of the file.
 */
export function diagnoseMiss(body: string, oldText: string, rel: string): string {
  const fileLines = splitLines(body)
  const oldLines = splitLines(oldText.replace(/\r\n/g, '\n'))
  while (oldLines.length > 0 && oldLines[0]!.trim() === '') oldLines.shift()
  while (oldLines.length > 0 && oldLines.at(-1)!.trim() === '') oldLines.pop()
  if (oldLines.length === 0) return `old_text (only whitespace) not found in ${rel}`

  const prefixed = /^\s*\d+\| ?/
  if (oldLines.every((line) => prefixed.test(line))) {
    return `old_text not found in ${rel}: it contains read_file line-number prefixes ("12| "); copy only the text after them`
  }

  const loose = looseMatches(fileLines, oldLines)
  if (loose.length === 1) {
    const start = loose[0]!
    return (
      `old_text not found exactly in ${rel}, but ${range(start + 1, start + oldLines.length)} match if whitespace is ignored:\n` +
      `${excerpt(fileLines, start, start + oldLines.length - 1, 0)}\n` +
      'Copy those lines exactly (same indentation) into old_text and retry.'
    )
  }
  if (loose.length > 1) {
    return (
      `old_text not found exactly in ${rel}; ignoring whitespace it matches ${loose.length} places ` +
      `(lines ${listLines(loose.map((i) => i + 1))}). Copy the exact text of one, with more surrounding lines.`
    )
  }

  const best = closestRegion(fileLines, oldLines)
  if (best === undefined || best.score < MIN_SIMILARITY) {
    return `old_text not found in ${rel}, and no similar text either. Use read_file to see the current content and copy it exactly.`
  }
  const end = Math.min(best.start + oldLines.length - 1, fileLines.length - 1)
  const difference = firstDifference(fileLines, oldLines, best.start)
  return (
    `old_text not found in ${rel}. Most similar text is at ${range(best.start + 1, end + 1)}` +
    `${difference === undefined ? '' : ` (first difference at line ${difference + 1})`}:\n` +
    `${excerpt(fileLines, best.start, end, 1)}\n` +
    'Copy the current text exactly into old_text and retry.'
  )
}

/** Window starts where every line matches ignoring whitespace; the ends may be partial lines. */
function looseMatches(fileLines: string[], oldLines: string[]): number[] {
  const want = oldLines.map(normalize)
  const n = want.length
  const found: number[] = []
  const have = fileLines.map(normalize)
  for (let i = 0; i + n <= have.length; i++) {
    let match: boolean
    if (n === 1) match = have[i]!.includes(want[0]!)
    else {
      match = have[i]!.endsWith(want[0]!) && have[i + n - 1]!.startsWith(want[n - 1]!)
      for (let k = 1; match && k < n - 1; k++) match = have[i + k] === want[k]
    }
    if (match) found.push(i)
  }
  return found
}

/** Best window by mean bigram similarity of aligned lines. */
function closestRegion(fileLines: string[], oldLines: string[]): {start: number; score: number} | undefined {
  if (fileLines.length === 0) return undefined
  const n = oldLines.length
  const want = oldLines.map((line) => bigrams(normalize(line)))
  // Keep big files cheap: compare only a few anchor lines of long old_text.
  const anchors = fileLines.length * n > 2_000_000 ? [...new Set([0, Math.floor(n / 2), n - 1])] : [...want.keys()]
  const cache = new Map<number, Set<string>>()
  const have = (i: number): Set<string> => {
    let set = cache.get(i)
    if (!set) cache.set(i, (set = bigrams(normalize(fileLines[i]!))))
    return set
  }

  let best: {start: number; score: number} | undefined
  const lastStart = Math.max(0, fileLines.length - n)
  for (let start = 0; start <= lastStart; start++) {
    let total = 0
    let counted = 0
    for (const k of anchors) {
      if (start + k >= fileLines.length) continue
      total += dice(have(start + k), want[k]!)
      counted++
    }
    const score = counted === 0 ? 0 : total / anchors.length
    if (!best || score > best.score) best = {start, score}
  }
  return best
}

function bigrams(text: string): Set<string> {
  const set = new Set<string>()
  if (text.length < 2) {
    if (text !== '') set.add(text)
    return set
  }
  for (let i = 0; i < text.length - 1; i++) set.add(text.slice(i, i + 2))
  return set
}

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1
  if (a.size === 0 || b.size === 0) return 0
  let common = 0
  for (const item of a) if (b.has(item)) common++
  return (2 * common) / (a.size + b.size)
}

/** First line that differs in more than whitespace, else the first that differs at all. */
function firstDifference(fileLines: string[], oldLines: string[], start: number): number | undefined {
  let whitespaceOnly: number | undefined
  for (let k = 0; k < oldLines.length; k++) {
    const have = fileLines[start + k]
    if (have === oldLines[k]) continue
    if (have === undefined || normalize(have) !== normalize(oldLines[k]!)) return start + k
    whitespaceOnly ??= start + k
  }
  return whitespaceOnly
}

/** Numbered lines first..last (0-based, inclusive) with `context` lines around, capped. */
function excerpt(fileLines: string[], first: number, last: number, context: number): string {
  const from = Math.max(0, first - context)
  let to = Math.min(fileLines.length - 1, last + context)
  let note = ''
  if (to - from + 1 > MAX_EXCERPT_LINES) {
    note = `\n… ${to - (from + MAX_EXCERPT_LINES - 1)} more lines`
    to = from + MAX_EXCERPT_LINES - 1
  }
  return numberLines(fileLines.slice(from, to + 1), from + 1) + note
}
