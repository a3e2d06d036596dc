import {
  matchBareGemmaCall,
  matchBareJson,
  matchBarePythonicCall,
  matchBarePythonicList,
  matchBareRecipient,
  matchInlineCode,
  matchLeadingNamedJson,
} from './text-calls/bare-calls.js'
import {matchFunctionElements, matchMarker} from './text-calls/call-markers.js'
import {looksLikeExample} from './text-calls/example-cues.js'
import {matchFence} from './text-calls/fences.js'
import {ToolNames} from './text-calls/names.js'
import {afterPromptedReasoning, reasoningEnd} from './text-calls/reasoning.js'
import {type ArgumentTypes, isWordChar, type Match, newScan, type ParsedToolCall, type Scan, type Span} from './text-calls/scan.js'
import {afterEndOfTurn, joinAroundCalls} from './text-calls/text-join.js'
import {matchFunctionary, matchHarmony, matchTokenCalls} from './text-calls/token-calls.js'

export type {ArgumentTypes, ParsedToolCall} from './text-calls/scan.js'

export interface ParseOptions {
  /**
   * JSON-schema type of each tool's arguments (`{read_file: {start_line: 'integer'}}`). Formats that
   * write values as raw text (Qwen3-Coder's `<parameter=…>`) read them as the declared type; without
   * it a value that looks like a number, boolean or JSON is read as one.
   */
  argumentTypes?: ArgumentTypes
}

// Where a call (or reasoning, or a fence to skip) can begin. Everything else is passed over at regex speed.
const TRIGGERS = /[<[{`>(]|call[ \t]*:|functools|to=functions\./g

/**
 * Recovers tool calls that a local model wrote into `message.content` as text instead of Ollama's
 * native `tool_calls`, so they can be run like native calls. Every format local model families
 * write is read, in source order, mixed with prose:
 * - JSON: bare `{"name": …, "arguments": …}` (also `parameters`, `tool_name`…, arguments as a JSON
 *   string, OpenAI's `{"function": {…}}`, `{"tool_calls": [...]}`), lists of them, in ```json fences;
 * - markers around any body: Hermes/Qwen `<tool_call>`, `<tools>`, `<function_call>`, Mistral
 *   `[TOOL_CALLS]` (JSON or `name[ARGS]{…}`), Llama `<|python_tag|>`/`<|python_start|>`, LFM2,
 *   Granite, Command R `<|START_ACTION|>`, Phi-4 `functools[…]`, Gemma's `<start_function_call>` and
 *   `<|tool_call>`, MiniMax and DeepSeek DSML `<invoke>` blocks;
 * - pythonic `[get_weather(city='Paris')]`, Qwen3-Coder `<function=…><parameter=…>`, Gemma
 *   `call:name{…}`, GLM `<arg_key>`, DeepSeek and Kimi token sections, GPT-OSS harmony, Functionary `>>>`.
 * Reasoning (`<think>…</think>` and the like) is never searched. A call counts only if its name is
 * offered (or a trivial variant: case, `-`/`_`, a `functions.`/`default_api.` prefix — reported in
 * `repairs`) and its arguments are complete; truncated calls, JSON data and examples inside an
 * explanation stay text. A marker, fence or list is taken whole or not at all.
 *
 * Pure, never throws, and linear in the length of `content`.
 *
 * @param content The assistant message content, complete (not a partial stream).
 * @param toolNames Names of the tools offered to the model; empty means no calls are ever returned.
 * @returns `calls` in source order, and `text`: the content with the call spans removed, trimmed, and
 *   the gap left by each removed call collapsed to at most one blank line. The text before the first
 *   call is kept byte-for-byte (minus leading whitespace), so a streaming caller that already showed it
 *   can print only the rest.
 */
export function parseToolCalls(content: string, toolNames: string[], options: ParseOptions = {}): {calls: ParsedToolCall[]; text: string} {
  if (typeof content !== 'string') return {calls: [], text: ''}
  const none = {calls: [], text: content.trim()}
  try {
    const tools = new ToolNames(Array.isArray(toolNames) ? toolNames : [])
    if (tools.size === 0 || !tools.mentionedIn(content)) return none
    const scan = newScan(content, tools, options.argumentTypes ?? {})
    const spans = findSpans(scan)
    if (spans.length === 0) return none
    const pieces = spans.map((span, k) => content.slice(spans[k - 1]?.end ?? 0, span.start))
    pieces.push(content.slice(spans.at(-1)?.end ?? 0))
    return {calls: spans.flatMap((span) => span.calls), text: joinAroundCalls(pieces)}
  } catch {
    return none
  }
}

function findSpans(scan: Scan): Span[] {
  const {s} = scan
  const spans: Span[] = []
  let i = afterPromptedReasoning(s)
  while (i < s.length && scan.budget > 0) {
    // test() rather than exec(): no match array per trigger, and triggers are many in code.
    TRIGGERS.lastIndex = i
    if (!TRIGGERS.test(s)) break
    const at = triggerStart(s, TRIGGERS.lastIndex)
    const floor = spans.at(-1)?.end ?? 0
    const match = recognise(scan, at, s[at]!, floor)
    // An example inside an explanation is skipped whole: nothing in it is a call.
    if (match.span && match.span.start >= floor && !looksLikeExample(s, match.span.start, match.span.end, floor)) {
      match.span.end = afterEndOfTurn(s, match.span.end)
      spans.push(match.span)
    }
    i = Math.max(match.next, at + 1)
  }

  return spans
}

/** Where the trigger that ends at `end` starts: one character, `call :`, `functools` or `to=functions.`. */
function triggerStart(s: string, end: number): number {
  if (s[end - 1] === '.' && s.startsWith('to=functions.', end - 13)) return end - 13
  if (s[end - 1] === ':') {
    let at = end - 2
    while (s[at] === ' ' || s[at] === '\t') at--
    return at - 3
  }

  return s[end - 1] === 's' && end >= 9 && s.startsWith('functools', end - 9) ? end - 9 : end - 1
}

/**
 * What starts at `at`, tried from the most specific form to the least. The character after the
 * trigger picks the candidates, so ordinary `<`, `[` and `(` in prose and code cost almost nothing.
 */
function recognise(scan: Scan, at: number, trigger: string, floor: number): Match {
  const {s} = scan
  const none = at + 1
  const next = s[at + 1] ?? ''
  switch (trigger[0]) {
    case '<': {
      if (next === '|' || next === '｜') {
        return (
          skipTo(reasoningEnd(s, at)) ??
          matchTokenCalls(scan, at) ??
          matchHarmony(scan, at) ??
          matchMarker(scan, at) ??
          matchFunctionElements(scan, at) ?? {next: none}
        )
      }

      if (!TAG_START.includes(next)) return {next: none}
      const reasoning = REASONING_START.includes(next) ? reasoningEnd(s, at) : undefined
      return skipTo(reasoning) ?? matchMarker(scan, at) ?? matchFunctionElements(scan, at) ?? {next: none}
    }

    case '[':
      if (next === 'T') return skipTo(reasoningEnd(s, at)) ?? matchMarker(scan, at) ?? {next: none}
      return matchBarePythonicList(scan, at) ?? matchBareJson(scan, at)
    case '{':
      return matchLeadingNamedJson(scan, at) ?? matchBareJson(scan, at)
    case 't':
      return matchBareRecipient(scan, at) ?? {next: none}
    case '`':
      return s.startsWith('```', at) ? matchFence(scan, at) : matchInlineCode(s, at)
    case '>':
      return next === '>' ? (matchFunctionary(scan, at) ?? {next: none}) : {next: none}
    case '(':
      return isWordChar(s.charCodeAt(at - 1)) ? (matchBarePythonicCall(scan, at, floor) ?? {next: none}) : {next: none}
    case 'c':
      return matchBareGemmaCall(scan, at) ?? {next: none}
    default:
      return matchMarker(scan, at) ?? {next: none} // functools
  }
}

// Tags that can open a call or reasoning start with one of these letters (tool_call, function, invoke,
// minimax:, start_function_call, think, reasoning, seed:think).
const TAG_START = 'tfimsrTFIMSR'
// <think>, <thinking>, <reasoning>, <seed:think>.
const REASONING_START = 'trs'

function skipTo(next: number | undefined): Match | undefined {
  return next === undefined ? undefined : {next}
}
