import {callsFromValue} from './call-objects.js'
import {readGemmaCall} from './gemma-calls.js'
import {argumentsCallAt, JSON_START, mayHoldCall, parseLooseJson, scanBracketEnd} from './json-text.js'
import {readPythonicCalls, readPythonicList} from './pythonic-calls.js'
import {atEnd, findText, isWordChar, type Match, type Scan, skipInlineSpace} from './scan.js'
import {afterEndOfTurn} from './text-join.js'

/**
 * Calls written without any marker. These are the forms most easily confused with prose and code,
 * so each needs more than its shape: a known tool name, complete arguments, and (for the non-JSON
 * ones) a line of its own.
 */

/** `{"name": …, "arguments": …}` or a list of such objects, alone or embedded in prose. */
export function matchBareJson(scan: Scan, at: number): Match {
  const {s} = scan
  JSON_START.lastIndex = at
  const start = JSON_START.exec(s)
  if (!start) return {next: at + 1}
  const end = scanBracketEnd(scan, at, start[0].endsWith("'"))
  if (end < 0) return {next: at + 1}
  const text = s.slice(at, end)
  // No name key anywhere inside: not a call, and nothing nested in it is one either.
  if (!mayHoldCall(text)) return {next: end}
  const parsed = parseLooseJson(text)
  // Not JSON (code, prose in braces): a call may still be nested inside, so keep scanning from here.
  if (!parsed) return {next: at + 1}
  // Valid JSON that is not a call is data: objects nested in it are not calls either.
  const calls = callsFromValue(scan, parsed.value, parsed.repair ? [parsed.repair] : [], true)
  if (!calls) return {next: end}
  return {span: {start: at, end, calls}, next: end}
}

/** `[get_weather(city="Paris"), …]` on lines of its own, or ending the reply after a sentence. */
export function matchBarePythonicList(scan: Scan, at: number): Match | undefined {
  const {s} = scan
  if (s[at + 1] === ']' || !/[\s\w]/.test(s[at + 1] ?? '')) return undefined
  // Off a line start, a list counts only at the very end of the reply, which must then end like one;
  // at a line start, the line must end like a list or a call in one (a cheap test before parsing).
  if (startsLine(s, at) ? !lineEndsLikeList(scan, at) : !endsLikeCallList(scan)) return undefined
  const list = readPythonicList(scan, at)
  if (!list || (!list.closed && !atEnd(s, list.end))) return undefined
  const alone = startsLine(s, at) ? endsLine(s, list.end) : atEnd(s, afterEndOfTurn(s, list.end))
  if (!alone) return {next: list.end}
  return {span: {start: at, end: list.end, calls: list.calls}, next: list.end}
}

/**
 * `read_file(path="a.ts")` at the start of a line (not indented: indented calls are code), with
 * nothing after it on the line but another call; or introduced by a colon ("Checking: read_file(…)")
 * as the very end of the reply. `open` is the index of the `(`; the name is read back.
 */
export function matchBarePythonicCall(scan: Scan, open: number, floor: number): Match | undefined {
  const {s} = scan
  let start = open
  for (let c = s.charCodeAt(start - 1); start > floor && (isWordChar(c) || c === DOT || c === DASH); c = s.charCodeAt(--start - 1));
  if (start === open) return undefined
  const lineStart = start === 0 || s[start - 1] === '\n'
  if (!lineStart && !(/:[ \t]*$/.test(s.slice(Math.max(0, start - 4), start)) && endsLikeCallList(scan))) return undefined
  const run = readPythonicCalls(scan, start)
  if (!run || !(lineStart ? endsLine(s, run.end) : atEnd(s, afterEndOfTurn(s, run.end)))) return undefined
  return {span: {start, end: run.end, calls: run.calls}, next: run.end}
}

/**
 * A tool's name alone on the first line, then its JSON arguments: Functionary v3.2 when the `>>>`
 * before the first recipient was in the prompt. Only at the very start of the reply.
 */
export function matchLeadingNamedJson(scan: Scan, at: number): Match | undefined {
  const {s} = scan
  if (at > 200) return undefined
  const head = /^\s*([A-Za-z_][\w.-]*)[ \t]*\r?\n[ \t]*(?=\{)/.exec(s.slice(0, 200))
  if (!head || head[0].length !== at || !scan.tools.resolve(head[1]!)) return undefined
  const found = argumentsCallAt(scan, head[1]!, at)
  return found ? {span: {start: 0, end: found.end, calls: [found.call]}, next: found.end} : undefined
}

const RECIPIENT = /to=functions\.([A-Za-z_][\w.-]*)[ \t]*(?:<\|constrain\|>)?[ \t]*(?:json)?[ \t]*(?:<\|message\|>)?[ \t]*(?=\{)/y

/**
 * GPT-OSS harmony with its special tokens stripped: `commentary to=functions.get_weather json{…}`.
 * `at` is the index of `to=functions.`.
 */
export function matchBareRecipient(scan: Scan, at: number): Match | undefined {
  const {s} = scan
  RECIPIENT.lastIndex = at
  const match = RECIPIENT.exec(s)
  if (!match) return undefined
  const argsAt = RECIPIENT.lastIndex
  const found = argumentsCallAt(scan, match[1]!, argsAt)
  if (!found) return undefined
  const {call, end} = found
  // The channel word before the recipient goes with the call.
  const before = /(?:commentary|analysis)[ \t]+$/.exec(s.slice(Math.max(0, at - 12), at))
  return {span: {start: before ? at - before[0].length : at, end, calls: [call]}, next: end}
}

/** Gemma's `call:name{…}` written without its `<start_function_call>` marker, on a line of its own. */
export function matchBareGemmaCall(scan: Scan, at: number): Match | undefined {
  const {s} = scan
  if (!startsLine(s, at)) return undefined
  const call = readGemmaCall(scan, at)
  if (!call || !endsLine(s, call.end)) return undefined
  return {span: {start: at, end: call.end, calls: [call.call]}, next: call.end}
}

/**
 * An inline code span (`…` within a line) is a mention in a sentence: skipped whole, unless it is
 * the whole line, when its content is scanned like any other text.
 */
export function matchInlineCode(s: string, at: number): Match {
  let close = at + 1
  while (close < s.length && s[close] !== '`' && s[close] !== '\n') close++
  if (s[close] !== '`') return {next: at + 1}
  return startsLine(s, at) && endsLine(s, close + 1) ? {next: at + 1} : {next: close + 1}
}

/**
 * The line ends like a list (or one call of a list laid out on several lines), or it leaves a
 * string open — a value running over several lines — and something later could close the list.
 */
function lineEndsLikeList(scan: Scan, at: number): boolean {
  const {s} = scan
  const newline = s.indexOf('\n', at)
  let end = newline < 0 ? s.length : newline
  while (end > at && /\s/.test(s[end - 1]!)) end--
  if (s[end - 1] === '>') end = at + s.slice(at, end).replace(/(?:<\|[a-z_]+\|>|<\/s>|<end_of_turn>|\s)+$/, '').length
  if ('])([,'.includes(s[end - 1] ?? '')) return true
  let double = 0
  let single = 0
  for (let i = at; i < end; i++) {
    if (s[i] === '"') double++
    else if (s[i] === "'") single++
  }

  return (double % 2 === 1 || single % 2 === 1) && (findText(scan, ']', at) >= 0 || endsLikeCallList(scan))
}

function endsLikeCallList(scan: Scan): boolean {
  scan.endsLikeList ??= /[\])]\s*(?:<\|(?:eot|eom|eot_id|eom_id|im_end|end|endoftext)\|>|<\/s>|<end_of_turn>)?\s*$/.test(scan.s.slice(-64))
  return scan.endsLikeList
}

function startsLine(s: string, at: number): boolean {
  let i = at
  while (i > 0 && (s[i - 1] === ' ' || s[i - 1] === '\t')) i--
  return i === 0 || s[i - 1] === '\n'
}

function endsLine(s: string, end: number): boolean {
  const i = skipInlineSpace(s, afterEndOfTurn(s, end))
  return i >= s.length || s[i] === '\n' || s[i] === '\r'
}

const DOT = 46
const DASH = 45
