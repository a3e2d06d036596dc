/** A tool call recovered from text; the same shape as an Ollama native `tool_calls` entry's function. */
export interface ParsedToolCall {
  name: string
  arguments: Record<string, unknown>
}

interface Span { start: number; end: number; calls: ParsedToolCall[] }
/** Outcome of one matcher: an optional recognised span, and where the scan resumes. */
interface Match { span?: Span; next: number }
/** `budget`: characters the bracket scanner may still read, so repeated scans of unbalanced text stay linear. */
interface Scan { s: string; names: ReadonlySet<string>; budget: number }

const NAME_KEYS = new Set(['name', 'tool', 'function'])
const ARGUMENT_KEYS = new Set(['arguments', 'parameters', 'args', 'input', 'tool_input'])
// Where the next call could start: a call tag, a fence, or a JSON object/array.
const MARKERS = /<(?:tool_call|function_call|tools)>|\[TOOL_CALLS\]|```|[{[]/g
const TAG_OPEN = /<(tool_call|function_call|tools)>|\[TOOL_CALLS\]/y
const FENCE_OPEN = /```[ \t]*([\w-]*)[ \t]*\n?/y
// Only these fences can hold calls; ```ts, ```python … are code examples and are never searched.
const CALL_FENCE_LANGS = new Set(['', 'json', 'jsonc', 'json5', 'tool_call', 'tool_code', 'function_call'])
// A bare call must look like JSON from its first key on; this skips prose and code braces cheaply.
const JSON_START = /\{\s*"|\[\s*\{\s*"/y

/**
 * Recovers tool calls that a local model wrote into `message.content` as text instead of Ollama's
 * native `tool_calls` (qwen2.5-coder does this often), so they can be run like native calls.
 *
 * Recognised forms, anywhere in the content and in source order:
 * - a bare JSON object `{"name": "read_file", "arguments": {...}}`, or a JSON array of such objects;
 * - the same inside a ```` ```json ````, ```` ```tool_call ```` or language-less fence (one or more values);
 * - `<tool_call>…</tool_call>` (Qwen/Hermes), `<function_call>`, `<tools>` and Mistral's `[TOOL_CALLS]`;
 *   a missing closing tag is tolerated;
 * - `parameters` / `args` / `input` / `tool_input` for `arguments`, `tool` for `name`, arguments given
 *   as a JSON string, OpenAI's `{"type": "function", "function": {...}}` and `{"tool_calls": [...]}`;
 * - trailing commas, `//` comments and raw newlines inside strings are repaired; nothing is evaluated.
 *
 * An object counts as a call only if its name is in `toolNames`, its arguments (if any) are an object,
 * and it has no keys besides one name key, one arguments key, `type: "function"` and `id`. Everything
 * else (package.json snippets, tool definitions, prose mentioning JSON) stays in the text untouched.
 * A fence, tag or array is taken whole or not at all.
 *
 * @param content The assistant message content, complete (not a partial stream).
 * @param toolNames Names of the tools offered to the model; empty means no calls are ever returned.
 * @returns `calls` in source order, and `text`: the content with the call spans removed, trimmed, and
 *   the gap left by each removed call collapsed to at most one blank line. The text before the first
 *   call is kept byte-for-byte (minus leading whitespace), so a streaming caller that already showed it
 *   can print only the rest. Never throws.
 */
export function parseToolCalls(content: string, toolNames: string[]): {calls: ParsedToolCall[]; text: string} {
  if (typeof content !== 'string') return {calls: [], text: ''}
  const names = new Set(Array.isArray(toolNames) ? toolNames : [])
  const none = {calls: [], text: content.trim()}
  // Fast path: a call has to spell out one of the tool names.
  if (![...names].some((name) => content.includes(name))) return none
  try {
    const spans = findSpans({s: content, names, budget: content.length * 8 + 100_000})
    if (spans.length === 0) return none
    const pieces = spans.map((span, k) => content.slice(spans[k - 1]?.end ?? 0, span.start))
    pieces.push(content.slice(spans.at(-1)?.end ?? 0))
    return {calls: spans.flatMap((span) => span.calls), text: joinAroundCalls(pieces)}
  } catch {
    return none
  }
}

function findSpans(scan: Scan): Span[] {
  const spans: Span[] = []
  let i = 0
  while (i < scan.s.length && scan.budget > 0) {
    MARKERS.lastIndex = i
    const marker = MARKERS.exec(scan.s)
    if (!marker) break
    const at = marker.index
    const match = marker[0] === '```' ? matchFence(scan, at) : marker[0].length > 1 ? matchTag(scan, at) : matchBare(scan, at)
    if (match.span) spans.push(match.span)
    i = Math.max(match.next, at + 1)
  }

  return spans
}

/** A bare JSON object or array of calls, alone or embedded in prose. */
function matchBare(scan: Scan, at: number): Match {
  JSON_START.lastIndex = at
  if (!JSON_START.test(scan.s)) return {next: at + 1}
  const end = scanValueEnd(scan, at)
  if (end < 0) return {next: at + 1}
  const value = parseJson(scan.s.slice(at, end))
  scan.budget -= end - at
  // Not JSON (code, prose in braces): a call may still be nested inside, so keep scanning from here.
  if (value === undefined) return {next: at + 1}
  // Valid JSON that is not a call is data: objects nested in it are not calls either.
  const calls = toCalls(value, scan.names)
  return {span: calls ? {start: at, end, calls} : undefined, next: end}
}

/** ```json / ```tool_call / ``` fences holding one or more call values and nothing else. */
function matchFence(scan: Scan, at: number): Match {
  const {s} = scan
  FENCE_OPEN.lastIndex = at
  const open = FENCE_OPEN.exec(s)
  if (!open) return {next: at + 3}
  const bodyStart = FENCE_OPEN.lastIndex
  const close = s.indexOf('```', bodyStart)
  const skip = {next: close < 0 ? s.length : close + 3}
  if (!CALL_FENCE_LANGS.has((open[1] ?? '').toLowerCase())) return skip
  const block = parseCallBlock(scan, bodyStart, false)
  if (!block) return skip
  const after = skipWhitespace(s, block.end)
  if (s.startsWith('```', after)) return {span: {start: at, end: after + 3, calls: block.calls}, next: after + 3}
  // The model stopped (or the stream was cut) before the closing fence.
  if (after === s.length) return {span: {start: at, end: s.length, calls: block.calls}, next: s.length}
  return skip
}

/** Qwen/Hermes `<tool_call>{…}</tool_call>` and look-alikes; models often drop the closing tag. */
function matchTag(scan: Scan, at: number): Match {
  TAG_OPEN.lastIndex = at
  const open = TAG_OPEN.exec(scan.s)
  if (!open) return {next: at + 1}
  const bodyStart = TAG_OPEN.lastIndex
  const block = parseCallBlock(scan, bodyStart, true)
  if (!block) return {next: bodyStart}
  let end = block.end
  const close = open[1] ? `</${open[1]}>` : ''
  const after = skipWhitespace(scan.s, end)
  if (close && scan.s.startsWith(close, after)) end = after + close.length
  return {span: {start: at, end, calls: block.calls}, next: end}
}

/**
 * Whitespace-separated JSON values from `from` on, all of which must be calls. Inside a tag, models
 * sometimes wrap the JSON in a ```json fence as well, which `allowFence` strips.
 */
function parseCallBlock(scan: Scan, from: number, allowFence: boolean): {calls: ParsedToolCall[]; end: number} | null {
  const {s} = scan
  let i = skipWhitespace(s, from)
  FENCE_OPEN.lastIndex = i
  const fenced = allowFence && s.startsWith('```', i) && FENCE_OPEN.test(s)
  if (fenced) i = FENCE_OPEN.lastIndex
  const calls: ParsedToolCall[] = []
  for (;;) {
    const start = skipWhitespace(s, i)
    if (s[start] !== '{' && s[start] !== '[') break
    const end = scanValueEnd(scan, start)
    const found = end < 0 ? null : toCalls(parseJson(s.slice(start, end)), scan.names)
    if (!found) return null
    calls.push(...found)
    i = end
  }

  if (calls.length === 0) return null
  const after = skipWhitespace(s, i)
  if (fenced && s.startsWith('```', after)) i = after + 3
  return {calls, end: i}
}

/**
 * Index just past the JSON object/array opening at `start`, or -1 if it never closes. Brackets are
 * counted outside strings (escapes respected); linear, no regex, so huge brace-filled text can't
 * backtrack. Mismatched bracket kinds are left for JSON.parse to reject.
 */
function scanValueEnd(scan: Scan, start: number): number {
  const {s} = scan
  let depth = 0
  let inString = false
  for (let i = start; i < s.length; i++) {
    const c = s[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '{' || c === '[') depth++
    else if (c === '}' || c === ']') {
      if (--depth === 0) {
        scan.budget -= i - start
        return i + 1
      }
    } else if (c === '/' && s[i + 1] === '/') {
      const newline = s.indexOf('\n', i)
      i = newline < 0 ? s.length : newline
    }
  }

  scan.budget -= s.length - start
  return -1
}

/** A call, an array of calls, or `{"tool_calls": [...]}`; null unless every element is a call. */
function toCalls(value: unknown, names: ReadonlySet<string>): ParsedToolCall[] | null {
  if (Array.isArray(value)) {
    const calls = value.map((item) => toCall(item, names, true))
    return calls.length > 0 && calls.every((call) => call !== null) ? (calls as ParsedToolCall[]) : null
  }

  if (isObject(value) && Object.keys(value).length === 1 && Array.isArray(value.tool_calls)) return toCalls(value.tool_calls, names)
  const call = toCall(value, names, true)
  return call ? [call] : null
}

/** One call object; `nested` allows a single level of OpenAI's `{"function": {...}}` wrapper. */
function toCall(value: unknown, names: ReadonlySet<string>, nested: boolean): ParsedToolCall | null {
  if (!isObject(value)) return null
  if (nested && isObject(value.function)) {
    const extra = Object.keys(value).some((key) => key !== 'function' && key !== 'type' && key !== 'id')
    if (extra || (value.type !== undefined && value.type !== 'function')) return null
    return toCall(value.function, names, false)
  }

  let name: unknown
  let args: unknown
  let nameKeys = 0
  let argumentKeys = 0
  for (const [key, item] of Object.entries(value)) {
    if (NAME_KEYS.has(key)) {
      name = item
      nameKeys++
    } else if (ARGUMENT_KEYS.has(key)) {
      args = item
      argumentKeys++
    } else if (!(key === 'id' || (key === 'type' && item === 'function'))) {
      return null // any other key means data that merely has a "name", e.g. package.json
    }
  }

  if (nameKeys !== 1 || argumentKeys > 1 || typeof name !== 'string' || !names.has(name)) return null
  const parsed = toArguments(args)
  return parsed ? {name, arguments: parsed} : null
}

/** Arguments must be an object; OpenAI-style models send it JSON-encoded as a string. */
function toArguments(args: unknown): Record<string, unknown> | null {
  if (args === undefined) return {}
  if (typeof args === 'string') return args.trim() === '' ? {} : toArguments(parseJson(args) ?? null)
  return isObject(args) ? args : null
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** JSON.parse, then once more after repairing the slips models make when writing JSON by hand. */
function parseJson(text: string): unknown {
  return tryParse(text) ?? tryParse(relaxJson(text))
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
    } else if (c !== ',' || !'}]'.includes(text[skipWhitespace(text, i + 1)] ?? '')) {
      if (c === '"') inString = true
      out += c
    }
  }

  return out
}

function skipWhitespace(s: string, i: number): number {
  while (i < s.length && /\s/.test(s[i] ?? '')) i++
  return i
}

/**
 * Joins the text around removed calls. The first piece (text before the first call) is kept as is
 * for the streaming caller. Each gap becomes what the widest whitespace run beside the removed
 * call(s) held, capped at one blank line: a call on its own line between two lines leaves one newline.
 */
function joinAroundCalls(pieces: string[]): string {
  let out = (pieces[0] ?? '').trimStart()
  let gap = out.slice(out.trimEnd().length)
  let breaks = newlines(gap)
  for (const piece of pieces.slice(1)) {
    const body = piece.trim()
    const lead = piece.slice(0, piece.length - piece.trimStart().length)
    breaks = Math.max(breaks, newlines(lead))
    gap += lead
    if (!body) continue
    const kept = out.slice(out.trimEnd().length) // non-empty only after the verbatim prefix
    const want = Math.min(2, breaks)
    if (want > newlines(kept)) out += '\n'.repeat(want - newlines(kept))
    else if (want === 0 && gap && !kept) out += ' '
    out += body
    gap = piece.slice(lead.length + body.length)
    breaks = newlines(gap)
  }

  return out.trim()
}

function newlines(text: string): number {
  return text.split('\n').length - 1
}
