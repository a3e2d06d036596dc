import {callsFromValue} from './call-objects.js'
import {argumentsCallAt, readJsonAt} from './json-text.js'
import {findText, isPlainObject, type Match, type ParsedToolCall, type Scan, skipSpace, toolCall} from './scan.js'

/**
 * Formats framed by special tokens where the tool name sits outside the arguments:
 * - DeepSeek V3/R1 `<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>name` + ```json fence,
 *   and V3.1 `<｜tool▁call▁begin｜>name<｜tool▁sep｜>{…}` (also spelled with ASCII `|` and `_`);
 * - Kimi K2 `<|tool_calls_section_begin|><|tool_call_begin|>functions.name:0<|tool_call_argument_begin|>{…}<|tool_call_end|>`;
 * - GPT-OSS harmony `<|channel|>commentary to=functions.name <|constrain|>json<|message|>{…}<|call|>`;
 * - Functionary v3.2 `>>>name\n{…}`.
 */

// `<｜tool▁call▁begin｜>`, `<|tool_call_begin|>`… normalised to `tool_call_begin`.
const TOKEN = /<[|｜][ \t]*([A-Za-z▁_ ]{3,40}?)[ \t]*[|｜]>/y
const SECTION_BEGIN = new Set(['tool_calls_begin', 'tool_calls_section_begin', 'tool_call_section_begin'])
const SECTION_END = new Set(['tool_calls_end', 'tool_calls_section_end', 'tool_call_section_end'])
const FENCE_OPEN = /```[ \t]*(?:json)?[ \t]*\n?/y

function readToken(s: string, at: number): {name: string; end: number} | undefined {
  TOKEN.lastIndex = at
  const match = TOKEN.exec(s)
  return match ? {name: match[1]!.toLowerCase().replace(/[▁ ]/g, '_'), end: TOKEN.lastIndex} : undefined
}

/** True when `at` opens a DeepSeek or Kimi call section: reasoning that is never closed ends there (Kimi K2.5). */
export function opensCallSection(s: string, at: number): boolean {
  const token = readToken(s, at)
  return token !== undefined && (SECTION_BEGIN.has(token.name) || token.name === 'tool_call_begin')
}

/** A DeepSeek or Kimi section (or a lone call) at `at`. */
export function matchTokenCalls(scan: Scan, at: number): Match | undefined {
  const {s} = scan
  const first = readToken(s, at)
  if (!first || !(SECTION_BEGIN.has(first.name) || first.name === 'tool_call_begin')) return undefined
  const calls: ParsedToolCall[] = []
  let i = SECTION_BEGIN.has(first.name) ? first.end : at
  for (;;) {
    const begin = readToken(s, skipSpace(s, i))
    if (begin?.name !== 'tool_call_begin') break
    const call = readTokenCall(scan, begin.end)
    if (!call) return {next: begin.end}
    calls.push(call.call)
    i = call.end
    const end = readToken(s, skipSpace(s, i))
    if (end?.name === 'tool_call_end') i = end.end
  }

  if (calls.length === 0) return {next: first.end}
  const close = readToken(s, skipSpace(s, i))
  if (close && SECTION_END.has(close.name)) i = close.end
  return {span: {start: at, end: i, calls}, next: i}
}

/** After `tool_call_begin`: the header, the separator token, then the arguments. */
function readTokenCall(scan: Scan, at: number): {call: ParsedToolCall; end: number} | null {
  const {s} = scan
  const separatorAt = findToken(s, at, 200)
  if (separatorAt < 0) return null
  const separator = readToken(s, separatorAt)!
  const header = s.slice(at, separatorAt).trim()
  let name: string
  let argsAt = separator.end
  if (separator.name === 'tool_call_argument_begin') {
    // Kimi: `functions.get_weather:0` — the namespace and the call index are part of the format.
    name = header.replace(/^functions\./, '').replace(/:\d+$/, '')
  } else if (separator.name === 'tool_sep') {
    if (header === 'function' || header === '') {
      // DeepSeek V3/R1: the type, then the name on the rest of the line, then a ```json fence.
      const newline = s.indexOf('\n', argsAt)
      const line = s.slice(argsAt, newline < 0 ? s.length : newline)
      if (line.length > 100) return null
      name = line.trim()
      argsAt = newline < 0 ? s.length : newline + 1
    } else {
      name = header
    }
  } else {
    return null
  }

  argsAt = skipSpace(s, argsAt)
  FENCE_OPEN.lastIndex = argsAt
  const fenced = s.startsWith('```', argsAt) && FENCE_OPEN.test(s)
  if (fenced) argsAt = skipSpace(s, FENCE_OPEN.lastIndex)
  const found = s[argsAt] === '{' ? argumentsCallAt(scan, name, argsAt) : null
  if (!found || !fenced) return found
  const close = skipSpace(s, found.end)
  return s.startsWith('```', close) ? {call: found.call, end: close + 3} : found
}

/** Index of the next special token within `limit` characters, or -1. */
function findToken(s: string, from: number, limit: number): number {
  const stop = Math.min(s.length, from + limit)
  for (let i = from; i < stop; i++) {
    if (s[i] === '<' && (s[i + 1] === '|' || s[i + 1] === '｜') && readToken(s, i)) return i
  }

  return -1
}

const HARMONY_MESSAGE = '<|message|>'
const HARMONY_ENDS = ['<|call|>', '<|end|>', '<|return|>']
const RECIPIENT = /\bto=([^\s<]+)/

/**
 * A harmony message at `at` (`<|start|>` or `<|channel|>`): a call when its header names a
 * recipient (`to=functions.get_weather`); the analysis channel is reasoning and is skipped whole.
 */
export function matchHarmony(scan: Scan, at: number): Match | undefined {
  const {s} = scan
  if (!(s.startsWith('<|start|>', at) || s.startsWith('<|channel|>', at))) return undefined
  // Headers are short: a `<|message|>` far away (or none) means this is not a message header.
  const message = findText(scan, HARMONY_MESSAGE, at)
  if (message < 0 || message - at > 300) return undefined
  const header = s.slice(at, message)
  const bodyAt = message + HARMONY_MESSAGE.length
  const recipient = RECIPIENT.exec(header)?.[1]
  if (!recipient) {
    if (!/<\|channel\|>\s*analysis\b/.test(header)) return undefined
    return {next: endOfHarmonyMessage(scan, bodyAt)}
  }

  const argsAt = skipSpace(s, bodyAt)
  const found = s[argsAt] === '{' ? argumentsCallAt(scan, recipient.replace(/^functions\./, ''), argsAt) : null
  if (!found) return {next: bodyAt}
  const {call, end} = found
  let spanEnd = end
  const after = skipSpace(s, end)
  const close = HARMONY_ENDS.find((token) => s.startsWith(token, after))
  if (close) spanEnd = after + close.length
  return {span: {start: at, end: spanEnd, calls: [call]}, next: spanEnd}
}

function endOfHarmonyMessage(scan: Scan, from: number): number {
  const {s} = scan
  let end = s.length
  for (const token of ['<|end|>', '<|start|>', '<|channel|>']) {
    const at = s.indexOf(token, from)
    if (at >= 0 && at < end) end = token === '<|end|>' ? at + token.length : at
  }

  scan.budget -= end - from
  return end
}

const FUNCTIONARY = />>>[ \t]*([A-Za-z_][\w.-]*)[ \t]*\r?\n?[ \t]*(?=[{[])/y

/** Functionary v3.2: `>>>name\n{json}`; `>>>all` introduces plain text and is not a call. */
export function matchFunctionary(scan: Scan, at: number): Match | undefined {
  const {s} = scan
  FUNCTIONARY.lastIndex = at
  const head = FUNCTIONARY.exec(s)
  if (!head) return undefined
  const argsAt = FUNCTIONARY.lastIndex
  const json = readJsonAt(scan, argsAt)
  if (!json) return {next: argsAt}
  const {value, repairs, end} = json
  const call = isPlainObject(value) ? toolCall(scan, head[1]!, value, repairs) : null
  // Some fine-tunes put a full call object after `>>>`.
  const calls = call ? [call] : callsFromValue(scan, value, repairs)
  return calls ? {span: {start: at, end, calls}, next: end} : {next: end}
}
