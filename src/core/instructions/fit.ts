import {CHARS_PER_TOKEN, estimateTokens} from '../session/compaction.js'

/** An instruction file's text, root-relative path and depth ('' = 0: the root). */
export interface InstructionText {
  rel: string
  dir: string
  text: string
  /** The file was longer than what was read. */
  cut: boolean
}

/** What the system prompt carries, for people and scripts (the `start` event, stderr). */
export interface InstructionsReport {
  /** Files in the prompt, root first, with their estimated tokens; truncated: only their start is in. */
  files: {path: string; tokens: number; truncated: boolean}[]
  /** Files left out whole to stay within the budget. */
  omitted: string[]
  /** Files that exist but were not used, and why (binary, not UTF-8, refused…). */
  skipped: {path: string; reason: string}[]
  /** Estimated tokens of the whole block, headers and notes included. */
  tokens: number
  budget: number
  /** Something was cut or left out to stay within the budget. */
  truncated: boolean
}

export interface FittedInstructions {
  /** The block for the system prompt; '' when there is nothing to add. */
  text: string
  report: InstructionsReport
}

const HEADER = 'Project instructions (where two disagree, the file in the deeper folder wins):'
/** Less than this of a file is noise: leave it out instead. */
const MIN_SECTION_CHARS = 200

/**
 * The instruction files as one block within `maxTokens` (estimated). Nearer files win: when they
 * do not all fit, the deepest are kept whole first and the rest is cut at a line end, or left out,
 * with a note in the block saying what is missing. Root first in the block, as general rules come
 * before the specific ones that refine them. Pure: the same files give the same bytes.
 */
export function fitInstructions(files: InstructionText[], maxTokens: number, skipped: InstructionsReport['skipped'] = []): FittedInstructions {
  const sections = files.map((file) => ({...file, text: normalize(file.text)})).filter((file) => file.text !== '')
  const budget = Math.floor(maxTokens * CHARS_PER_TOKEN)
  const full = (file: (typeof sections)[number]) => sectionText(file.rel, file.text, file.cut)
  const wholeLength = HEADER.length + sections.reduce((sum, file) => sum + 1 + full(file).length, 0)

  const kept = new Map<string, {text: string; truncated: boolean}>()
  let omitted: string[] = []
  if (wholeLength <= budget) {
    for (const file of sections) kept.set(file.rel, {text: full(file), truncated: file.cut})
  } else {
    // The note naming what was left out must fit too: reserve room for the longest it can be.
    let room = budget - HEADER.length - omittedNote(sections.map((file) => file.rel)).length - 1
    const nearestFirst = [...sections].sort((a, b) => depth(b.dir) - depth(a.dir))
    for (const file of nearestFirst) {
      const whole = full(file)
      if (whole.length + 1 <= room) {
        kept.set(file.rel, {text: whole, truncated: file.cut})
        room -= whole.length + 1
        continue
      }

      const cut = cutToFit(file.rel, file.text, room - 1)
      if (cut) {
        kept.set(file.rel, {text: cut, truncated: true})
        room -= cut.length + 1
      } else {
        omitted.push(file.rel)
      }
    }
  }

  omitted = sections.filter((file) => omitted.includes(file.rel)).map((file) => file.rel)
  let parts = sections.filter((file) => kept.has(file.rel)).map((file) => kept.get(file.rel)!.text)
  if (omitted.length > 0) parts.push(omittedNote(omitted))
  if (parts.length > 0 && HEADER.length + parts.reduce((sum, part) => sum + 1 + part.length, 0) > budget) {
    // Not even the header and the note fit (a tiny budget): nothing goes in, and the report says so.
    omitted = sections.map((file) => file.rel)
    kept.clear()
    parts = []
  }

  const text = parts.length > 0 ? [HEADER, ...parts].join('\n') : ''
  const included = sections.filter((file) => kept.has(file.rel)).map((file) => ({path: file.rel, ...kept.get(file.rel)!}))
  return {
    text,
    report: {
      files: included.map((file) => ({path: file.path, tokens: estimateTokens(file.text.length), truncated: file.truncated})),
      omitted,
      skipped,
      tokens: estimateTokens(text.length),
      budget: maxTokens,
      truncated: omitted.length > 0 || included.some((file) => file.truncated),
    },
  }
}

/** CRLF, trailing spaces and runs of blank lines cost tokens and say nothing. */
function normalize(text: string): string {
  return text
    .replaceAll(/\r\n?/g, '\n')
    .replaceAll(/[ \t]+$/gm, '')
    .replaceAll(/\n{3,}/g, '\n\n')
    .trim()
}

function sectionText(rel: string, text: string, cut: boolean): string {
  return `--- ${rel}\n${text}${cut ? truncationNote(rel) : ''}`
}

function truncationNote(rel: string): string {
  return `\n[… ${rel} is longer: read the file for the rest]`
}

function omittedNote(rels: string[]): string {
  return `[left out to save context: ${rels.join(', ')}; read them if they matter to the task]`
}

/** The file's start, ending at a line end, with the truncation note, in `room` characters; undefined when too little fits. */
function cutToFit(rel: string, text: string, room: number): string | undefined {
  const available = room - `--- ${rel}\n`.length - truncationNote(rel).length
  if (available < MIN_SECTION_CHARS) return undefined
  const lineEnd = text.lastIndexOf('\n', available)
  // No line end late enough (one huge line): cut mid-line, but never between the halves of a surrogate pair.
  const head = (lineEnd >= MIN_SECTION_CHARS ? text.slice(0, lineEnd) : text.slice(0, available).replace(/[\uD800-\uDBFF]$/, '')).trimEnd()
  return `--- ${rel}\n${head}${truncationNote(rel)}`
}

function depth(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length
}
