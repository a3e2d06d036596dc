import {callsFromValue} from './call-objects.js'
import {readCallBody} from './call-bodies.js'
import {matchFunctionElements, matchMarker} from './call-markers.js'
import {readJsonAt} from './json-text.js'
import {findText, isPlainObject, type Match, type ParsedToolCall, type Scan, skipSpace, toolCall} from './scan.js'

const FENCE_OPEN = /```[ \t]*([\w.+-]*)[^\n`]*\n?/y
// Fences that can hold calls. ```python, ```ts… are code examples and are never searched.
const CALL_FENCE_LANGS = new Set(['', 'json', 'jsonc', 'json5', 'tool_call', 'tool_calls', 'tool_code', 'function_call', 'xml', 'tool', 'tools'])

/**
 * A fenced block at `at` that holds calls and nothing else: ```json / ```tool_call / ```xml / a bare
 * fence, or one whose language is the tool's name with the arguments inside (```read_file\n{"path": …}).
 * An unclosed fence is accepted at the end of the reply. A fence that introduces an example is skipped.
 */
export function matchFence(scan: Scan, at: number): Match {
  const {s} = scan
  FENCE_OPEN.lastIndex = at
  const open = FENCE_OPEN.exec(s)
  if (!open) return {next: at + 3}
  const bodyStart = FENCE_OPEN.lastIndex
  const close = findText(scan, '```', bodyStart)
  const skip = {next: close < 0 ? s.length : close + 3}
  const lang = (open[1] ?? '').toLowerCase()
  const read = CALL_FENCE_LANGS.has(lang)
    ? (readCallBody(scan, bodyStart, {fenced: true, unmarked: true}) ?? readMarkedCalls(scan, bodyStart))
    : readArgumentsFor(scan, open[1] ?? '', bodyStart)
  if (!read) return skip
  const after = skipSpace(s, read.end)
  let end: number
  if (s.startsWith('```', after)) end = after + 3
  else if (after >= s.length)
    end = s.length // the model stopped before the closing fence
  else return skip
  return {span: {start: at, end, calls: read.calls}, next: end}
}

/** A fence named after a tool: its body is the arguments (or a whole call). */
function readArgumentsFor(scan: Scan, lang: string, at: number): {calls: ParsedToolCall[]; end: number} | null {
  if (!scan.tools.resolve(lang)) return null
  const start = skipSpace(scan.s, at)
  if (scan.s[start] !== '{') return null
  const json = readJsonAt(scan, start)
  if (!json || !isPlainObject(json.value)) return null
  const whole = callsFromValue(scan, json.value, json.repairs, true)
  if (whole) return {calls: whole, end: json.end}
  const call = toolCall(scan, lang, json.value, json.repairs)
  return call ? {calls: [call], end: json.end} : null
}

/** Marked calls one after another (```xml around `<tool_call>` blocks). */
function readMarkedCalls(scan: Scan, at: number): {calls: ParsedToolCall[]; end: number} | null {
  const calls: ParsedToolCall[] = []
  let end = at
  for (;;) {
    const start = skipSpace(scan.s, end)
    const match = matchMarker(scan, start) ?? matchFunctionElements(scan, start)
    if (!match?.span) break
    calls.push(...match.span.calls)
    end = match.span.end
  }

  return calls.length > 0 ? {calls, end} : null
}
