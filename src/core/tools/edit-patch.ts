import {diffArrays} from 'diff'

import type {NearMatch} from './edit-near-match.js'
import {indentOf, indentWidth, isBlank} from './line-likeness.js'

export interface Patched {
  /** The whole new file body. */
  text: string
  /** 0-based first line of the replacement in the new body, and how many lines it has. */
  firstLine: number
  lineCount: number
  /** Non-blank file lines (0-based) inside the match that old_text left out, kept as they were. */
  keptLines: number[]
  /** Whether lines new_text adds were re-indented to the file's indentation. */
  reindented: boolean
}

/**
 * Applies an edit to a near match the way a reviewer would apply the model's change by hand: the
 * lines new_text keeps from old_text stay exactly as the file has them (its whitespace, its quotes),
 * lines it removes are removed, lines it adds go in re-indented to fit, and file lines old_text left
 * out stay where they are. Nothing outside the change is rewritten.
 */
export function patchNearMatch(body: string, match: NearMatch, oldLines: readonly string[], newLines: readonly string[]): Patched {
  const raw = body.split(/(?<=\n)/)
  const eol = dominantEol(body)
  const reindent = reindenter(oldLines, raw, match.pairs)
  const paired = new Set(match.pairs.filter((j) => j >= 0))
  const out: string[] = []
  const keptLines: number[] = []
  let reindented = false
  let next = match.start
  // File lines up to `until` that old_text did not stand for are kept in place.
  const keepUntil = (until: number) => {
    for (; next < until; next++) {
      if (paired.has(next)) continue
      out.push(raw[next]!)
      if (!isBlank(raw[next]!)) keptLines.push(next)
    }
  }

  let oldIndex = 0
  for (const part of diffArrays([...oldLines], [...newLines])) {
    if (part.added) {
      for (const line of part.value) {
        const fitted = reindent(line, oldIndex - 1)
        if (fitted !== line) reindented = true
        out.push(fitted + eol)
      }

      continue
    }

    for (let n = 0; n < part.value.length; n++, oldIndex++) {
      const j = match.pairs[oldIndex] ?? -1
      if (j < 0) continue // a line the file does not have: nothing to keep or remove
      keepUntil(j)
      if (!part.removed) out.push(raw[j]!)
      next = j + 1
    }
  }

  keepUntil(match.end)
  // The file ended without a newline: so does the edited one.
  const lastLine = raw[match.end - 1] ?? ''
  if (match.end === raw.length && !lastLine.endsWith('\n') && out.length > 0) out[out.length - 1] = out.at(-1)!.replace(/\r?\n$/, '')
  const before = raw.slice(0, match.start)
  if (match.end === raw.length && !lastLine.endsWith('\n') && out.length === 0 && before.length > 0) {
    before[before.length - 1] = before.at(-1)!.replace(/\r?\n$/, '')
  }

  return {
    text: before.join('') + out.join('') + raw.slice(match.end).join(''),
    firstLine: match.start,
    lineCount: out.length,
    keptLines,
    reindented,
  }
}

function dominantEol(body: string): string {
  const crlf = body.split('\r\n').length - 1
  const lf = body.split('\n').length - 1 - crlf
  return crlf > lf ? '\r\n' : '\n'
}

/**
 * How to indent a line new_text adds, learnt from the lines old_text and the file share. When each
 * indentation old_text used maps to one of the file's, levels map (deeper ones scaled by the ratio
 * of the steps: two spaces in old_text may be a tab in the file). When old_text's indentation is
 * not consistent with the file's (it was lost or mangled), an added line follows the line before it.
 */
function reindenter(oldLines: readonly string[], raw: readonly string[], pairs: readonly number[]): (line: string, previous: number) => string {
  const map = new Map<number, string>()
  let changed = false
  let consistent = true
  for (const [k, j] of pairs.entries()) {
    if (j < 0 || isBlank(oldLines[k]!)) continue
    const from = indentOf(oldLines[k]!)
    const to = indentOf(raw[j]!)
    if (from !== to) changed = true
    const known = map.get(indentWidth(from))
    if (known !== undefined && indentWidth(known) !== indentWidth(to)) consistent = false
    if (known === undefined) map.set(indentWidth(from), to)
  }

  if (!changed || map.size === 0) return (line) => line
  const widths = [...map.keys()].sort((a, b) => a - b)
  if (consistent && widths.some((w, i) => i > 0 && indentWidth(map.get(w)!) <= indentWidth(map.get(widths[i - 1]!)!))) consistent = false
  const oldStep = smallestStep(widths) ?? smallestStep(oldLines.filter((l) => !isBlank(l)).map((l) => indentWidth(indentOf(l)))) ?? 4
  const fileStep = smallestStep(widths.map((w) => indentWidth(map.get(w)!))) ?? oldStep
  const tabs = [...map.values()].some((indent) => indent.startsWith('\t'))
  const render = (width: number) => (tabs ? '\t'.repeat(Math.floor(width / 4)) + ' '.repeat(width % 4) : ' '.repeat(Math.max(0, width)))
  const scaled = (fileBase: string, delta: number) => render(indentWidth(fileBase) + Math.round((delta * fileStep) / oldStep))

  return (line, previous) => {
    if (isBlank(line)) return ''
    const indent = indentOf(line)
    const width = indentWidth(indent)
    const content = line.slice(indent.length)
    if (!consistent) {
      // Follow the nearest line before it that both texts share.
      for (let k = previous; k >= 0; k--) {
        const j = pairs[k]!
        if (j < 0 || isBlank(oldLines[k]!)) continue
        return scaled(indentOf(raw[j]!), width - indentWidth(indentOf(oldLines[k]!))) + content
      }

      return line
    }

    const exact = map.get(width)
    if (exact !== undefined) return exact + content
    const base = [...widths].reverse().find((w) => w <= width) ?? widths[0]!
    return scaled(map.get(base)!, width - base) + content
  }
}

function smallestStep(widths: readonly number[]): number | undefined {
  const sorted = [...new Set(widths)].sort((a, b) => a - b)
  let step: number | undefined
  for (let i = 1; i < sorted.length; i++) step = Math.min(step ?? Infinity, sorted[i]! - sorted[i - 1]!)
  return step
}

/**
 * Lines of old_text the match could not place in the file (invented, or too unlike any) that
 * new_text changes or removes: there is no telling where that change belongs, so it is not made.
 */
export function unplacedChanges(match: NearMatch, oldLines: readonly string[], newLines: readonly string[]): number[] {
  const changed: number[] = []
  let oldIndex = 0
  for (const part of diffArrays([...oldLines], [...newLines])) {
    if (part.added) continue
    for (let n = 0; n < part.value.length; n++, oldIndex++) {
      if (part.removed && match.pairs[oldIndex] === -1 && !isBlank(oldLines[oldIndex]!)) changed.push(oldIndex)
    }
  }

  return changed
}
