import type {ToolNames} from './names.js'

/** A tool call recovered from text: the shape of an Ollama native tool call, plus what was repaired to read it. */
export interface ParsedToolCall {
  name: string
  arguments: Record<string, unknown>
  /** What had to be fixed to read the call (a name variant, arguments sent as a JSON string…); absent when nothing. */
  repairs?: string[]
}

/** JSON-schema type of each argument, per tool: raw-text values (XML parameters) are read as that type. */
export type ArgumentTypes = Readonly<Record<string, Readonly<Record<string, string>>>>

/** A stretch of the reply that holds calls (and is removed from the text). */
export interface Span {
  start: number
  end: number
  calls: ParsedToolCall[]
}

/** Outcome of one recogniser: an optional span, and where the scan resumes. */
export interface Match {
  span?: Span
  next: number
}

/** Calls read from a stretch of text, and the index just past them. */
export interface CallRun {
  calls: ParsedToolCall[]
  end: number
}

/**
 * One parse of one reply. `budget` is the number of characters the recognisers may still read
 * beyond the main pass: every search that can run far charges it, so that text full of unclosed
 * openers costs a bounded multiple of its length instead of a quadratic one.
 */
export interface Scan {
  readonly s: string
  readonly tools: ToolNames
  readonly argumentTypes: ArgumentTypes
  budget: number
  /** Last answer of each memoised search (see findFirst). */
  readonly searches: Map<string, {from: number; at: number}>
  /** The last two tags read, as [at, tag, at, tag] (see tagAt): recognisers often look at the same `<` in turn. */
  readonly recentTags: unknown[]
  /** Whether the reply ends with `]` or `)` (and end-of-turn tokens): computed once, when needed. */
  endsLikeList?: boolean
}

export function newScan(s: string, tools: ToolNames, argumentTypes: ArgumentTypes): Scan {
  // Budget: three passes' worth of searching beyond the main one, plus slack for short replies.
  return {s, tools, argumentTypes, budget: s.length * 3 + 100_000, searches: new Map(), recentTags: [-1, undefined, -1, undefined]}
}

/**
 * First index at or after `from` where `pattern` (a global regex, or a string) occurs, or -1.
 * Remembered per key: the first occurrence after `from` is also the first after any later start
 * up to it, so the repeated searches of a text full of unclosed openers cost one pass in all.
 */
export function findFirst(scan: Scan, key: string, pattern: RegExp | string, from: number): number {
  const last = scan.searches.get(key)
  if (last && last.from <= from && (last.at < 0 || from <= last.at)) return last.at
  let at: number
  if (typeof pattern === 'string') {
    at = scan.s.indexOf(pattern, from)
  } else {
    pattern.lastIndex = from
    at = pattern.exec(scan.s)?.index ?? -1
  }

  scan.budget -= (at < 0 ? scan.s.length : at) - from
  scan.searches.set(key, {from, at})
  return at
}

/** indexOf, memoised and charged to the budget. */
export function findText(scan: Scan, needle: string, from: number): number {
  return findFirst(scan, needle, needle, from)
}

export function skipSpace(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++
  return i
}

export function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95
}

/** Spaces and tabs only: stays on the line. */
export function skipInlineSpace(s: string, i: number): number {
  while (s[i] === ' ' || s[i] === '\t') i++
  return i
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0xfeff || code === 0x2028 || code === 0x2029
}

/** Only whitespace from `i` to the end. */
export function atEnd(s: string, i: number): boolean {
  return skipSpace(s, i) >= s.length
}

/** A call to an offered tool (or a trivial variant of its name), or null. */
export function toolCall(scan: Scan, writtenName: string, args: Record<string, unknown>, repairs: readonly string[] = []): ParsedToolCall | null {
  const resolved = scan.tools.resolve(writtenName)
  if (!resolved) return null
  const all = resolved.repair ? [resolved.repair, ...repairs] : [...repairs]
  return all.length > 0 ? {name: resolved.name, arguments: args, repairs: all} : {name: resolved.name, arguments: args}
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
