import {readPythonLiteral} from './python-literals.js'
import {isPlainObject, type ParsedToolCall, type Scan, skipSpace, toolCall} from './scan.js'

/** Where a JSON object (or a list of them) with a quoted first key starts: `{"`, `{'`, `[{"` (sticky). */
export const JSON_START = /\{\s*["']|\[\s*\{\s*["']/y

/** A value read from JSON-like text, with the repair it needed (if any). */
export interface LooseValue {
  value: unknown
  repair?: string
}

/**
 * Index just past the JSON object/array opening at `start`, or -1 if it never closes. Brackets are
 * counted outside strings (escapes respected); linear, no regex, so huge brace-filled text can't
 * backtrack. `singleQuotes` also treats '…' as strings (Python dicts written for JSON). Mismatched
 * bracket kinds are left for the parser to reject.
 */
export function scanBracketEnd(scan: Scan, start: number, singleQuotes = false): number {
  const {s} = scan
  let depth = 0
  let quote = 0
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (quote !== 0) {
      if (c === BACKSLASH) i++
      else if (c === quote) quote = 0
    } else if (c === DOUBLE_QUOTE || (singleQuotes && c === SINGLE_QUOTE)) quote = c
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (--depth === 0) {
        scan.budget -= i - start
        return i + 1
      }
    } else if (c === SLASH && s.charCodeAt(i + 1) === SLASH) {
      const newline = s.indexOf('\n', i)
      i = newline < 0 ? s.length : newline
    }
  }

  scan.budget -= s.length - start
  return -1
}

const [BACKSLASH, DOUBLE_QUOTE, SINGLE_QUOTE, SLASH] = ['\\', '"', "'", '/'].map((c) => c.charCodeAt(0)) as [number, number, number, number]
const [OPEN_BRACE, OPEN_BRACKET, CLOSE_BRACE, CLOSE_BRACKET] = ['{', '[', '}', ']'].map((c) => c.charCodeAt(0)) as [number, number, number, number]
// A call object names its tool under one of these keys; JSON without one holds no call at any depth.
const CALL_KEY = /["'](?:name|tool|function|tool_name|function_name|tool_calls|function_calls|tool_call|function_call)["']\s*:/

/** Whether JSON-like text could hold a call at all: checked before paying for a parse. */
export function mayHoldCall(text: string): boolean {
  return CALL_KEY.test(text)
}

/**
 * JSON.parse, then once more after repairing the slips models make when writing JSON by hand
 * (trailing commas, `//` comments, raw newlines in strings), then as a Python literal
 * (single quotes, True/False/None). Nothing is evaluated. Undefined when none of them reads it.
 */
export function parseLooseJson(text: string): LooseValue | undefined {
  const strict = tryParse(text)
  if (strict !== undefined) return {value: strict}
  // Only worth a second parse when there is something to relax.
  const relaxed = /,\s*[}\]]|\/\/|[\n\r\t]/.test(text) ? tryParse(relaxJson(text)) : undefined
  if (relaxed !== undefined) return {value: relaxed, repair: 'JSON repaired (trailing comma, comment or raw newline)'}
  const python = readPythonLiteral(text.trim())
  if (python.ok) return {value: python.value, repair: 'Python literal read as JSON'}
  return undefined
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Drops trailing commas and `//` comments, escapes raw newlines/tabs in strings (file contents). */
function relaxJson(text: string): string {
  let out = ''
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? ''
    if (inString) {
      if (c === '\\') out += c + (text[++i] ?? '')
      else out += c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : c
      if (c === '"') inString = false
    } else if (c === '/' && text[i + 1] === '/') {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++
    } else if (c !== ',' || !'}]'.includes(text[skipSpace(text, i + 1)] ?? '')) {
      if (c === '"') inString = true
      out += c
    }
  }

  return out
}

/** The JSON value whose bracket opens at `at`, read loosely: the value, the repairs it took, and its end. */
export function readJsonAt(scan: Scan, at: number): {value: unknown; repairs: string[]; end: number} | undefined {
  const end = scanBracketEnd(scan, at)
  const parsed = end < 0 ? undefined : parseLooseJson(scan.s.slice(at, end))
  return parsed && {value: parsed.value, repairs: parsed.repair ? [parsed.repair] : [], end}
}

/** A call of `name` whose arguments are the JSON object at `at`, and where they end; null when they are not one. */
export function argumentsCallAt(scan: Scan, name: string, at: number): {call: ParsedToolCall; end: number} | null {
  const json = readJsonAt(scan, at)
  const call = json && isPlainObject(json.value) ? toolCall(scan, name, json.value, json.repairs) : null
  return call ? {call, end: json!.end} : null
}
