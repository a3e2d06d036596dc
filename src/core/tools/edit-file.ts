import {z} from 'zod'
import {lenientBoolean} from './arg-types.js'
import {fileKind} from './file-kind.js'
import {describeMissing} from './path-hints.js'
import {isBinary, isValidUtf8} from './project-files.js'
import {lineAt, numberLines, plural, splitLines} from './text-lines.js'
import {defineTool, fail, ok} from './tool.js'

/** Most lines a diagnostic excerpt shows. */
const MAX_EXCERPT_LINES = 12
/** Most line numbers listed for ambiguous matches. */
const MAX_LISTED = 10
/** Below this similarity the "closest" region is noise, not a hint. */
const MIN_SIMILARITY = 0.4

export const editFileTool = defineTool({
  name: 'edit_file',
  description: 'Replace old_text with new_text in a file. old_text must match exactly once unless replace_all.',
  schema: z.object({
    path: z.string(),
    old_text: z.string(),
    new_text: z.string(),
    replace_all: lenientBoolean().optional(),
  }),
  readOnly: false,
  async execute(args, ctx) {
    const resolved = await ctx.access.resolveWrite(args.path)
    if (!resolved.ok) return fail(`edit_file: ${resolved.reason}`)
    const {abs, rel} = resolved

    if (!ctx.access.isStaged(abs)) {
      const found = await fileKind(abs)
      if (found.kind === 'missing') {
        return fail(`edit_file: ${await describeMissing(ctx.root, rel, ctx.signal)} To create a file use write_file.`, 'not_found')
      }
      if (found.kind === 'directory') return fail(`edit_file: ${rel} is a directory, not a file`)
      if (found.kind === 'other') return fail(`edit_file: ${rel} is not a regular file`)
    }

    if (args.old_text === '') {
      return fail('edit_file: old_text is empty; give the exact text to replace (to rewrite a whole file use write_file)')
    }
    if (args.old_text === args.new_text) return fail('edit_file: old_text and new_text are the same; nothing to change')

    const buffer = await ctx.access.readBytes(abs)
    if (!buffer) return fail(`edit_file: ${await describeMissing(ctx.root, rel, ctx.signal)} To create a file use write_file.`, 'not_found')
    if (isBinary(buffer)) return fail(`edit_file: ${rel} is a binary file; not edited`)
    if (!isValidUtf8(buffer)) return fail(`edit_file: ${rel} is not valid UTF-8; editing it would corrupt it`)

    const decoded = buffer.toString('utf8')
    const bom = decoded.startsWith('\uFEFF') ? '\uFEFF' : ''
    const body = decoded.slice(bom.length)

    // Match in the file's own line endings: a model writes LF even when the file is CRLF.
    let needle = ''
    let replacement = ''
    let indices: number[] = []
    for (const eol of lineEndingsToTry(body)) {
      needle = withEol(args.old_text, eol)
      replacement = withEol(args.new_text, eol)
      indices = findAll(body, needle)
      if (indices.length > 0) break
    }

    if (indices.length === 0) return fail(`edit_file: ${diagnoseMiss(body, args.old_text, rel)}`)

    const lines = lineNumbersAt(body, indices)
    if (indices.length > 1 && args.replace_all !== true) {
      return fail(
        `edit_file: old_text matched ${indices.length} places in ${rel} (lines ${listLines(lines)}); include more surrounding lines to pick one, or set replace_all=true`,
      )
    }

    let result: string
    if (indices.length > 1) {
      result = body.split(needle).join(replacement)
    } else {
      const at = indices[0]!
      result = body.slice(0, at) + replacement + body.slice(at + needle.length)
    }
    const written = await ctx.access.write({abs, rel}, bom + result, 'edit_file')
    if (!written.ok) return fail(`edit_file: ${written.reason}`)

    if (indices.length > 1) return ok(`edited ${rel}: replaced ${indices.length} occurrences (lines ${listLines(lines)})`)

    const at = indices[0]!
    const first = lines[0]!
    const oldRange = range(first, lineAt(body, at + needle.length - 1))
    if (replacement === '') return ok(`edited ${rel}: removed text at ${oldRange}`)
    const newRange = range(first, lineAt(result, at + replacement.length - 1))
    return ok(`edited ${rel}: replaced ${oldRange}; new text is at ${newRange}`)
  },
})

function lineEndingsToTry(body: string): string[] {
  const crlf = body.split('\r\n').length - 1
  if (crlf === 0) return ['\n']
  const lf = body.split('\n').length - 1 - crlf
  return crlf >= lf ? ['\r\n', '\n'] : ['\n', '\r\n']
}

function withEol(text: string, eol: string): string {
  const lf = text.replace(/\r\n/g, '\n')
  return eol === '\n' ? lf : lf.replace(/\n/g, eol)
}

function findAll(haystack: string, needle: string): number[] {
  const found: number[] = []
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) found.push(i)
  return found
}

/** Line numbers of sorted character offsets, in one pass. */
function lineNumbersAt(text: string, offsets: number[]): number[] {
  const result: number[] = []
  let line = 1
  let pos = 0
  for (const offset of offsets) {
    for (let i = text.indexOf('\n', pos); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++
      pos = i + 1
    }
    result.push(line)
  }
  return result
}

function listLines(lines: number[]): string {
  const shown = lines.slice(0, MAX_LISTED).join(', ')
  return lines.length > MAX_LISTED ? `${shown}, … ${lines.length - MAX_LISTED} more` : shown
}

function range(a: number, b: number): string {
  return b > a ? `lines ${a}-${b}` : `line ${a}`
}

const normalize = (line: string): string => line.replace(/\s+/g, ' ').trim()

/**
 * Explains a miss so the model can retry: read_file line prefixes pasted into old_text, a region
 * that matches once whitespace is ignored, or else the most similar region of the file.
 */
function diagnoseMiss(body: string, oldText: string, rel: string): string {
  const fileLines = splitLines(body)
  let oldLines = splitLines(oldText.replace(/\r\n/g, '\n'))
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
  const anchors =
    fileLines.length * n > 2_000_000 ? [...new Set([0, Math.floor(n / 2), n - 1])] : [...want.keys()]
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
