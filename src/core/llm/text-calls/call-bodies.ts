import {callsFromValue} from './call-objects.js'
import {readGemmaCall} from './gemma-calls.js'
import {argumentsCallAt, JSON_START, mayHoldCall, parseLooseJson, scanBracketEnd} from './json-text.js'
import {readPythonicCalls, readPythonicList} from './pythonic-calls.js'
import {type CallRun, type ParsedToolCall, type Scan, skipSpace} from './scan.js'
import {readArgKeyCall, readFunctionElement, tagAt} from './xml-calls.js'

/** Calls read from a body; `complete` is false when a list's closing `]` is missing. */
export interface Body extends CallRun {
  complete: boolean
}

// A JSON call starts with an object's first key, or a list of objects (single quotes: Python dicts).
const FENCE_HEADER = /```[ \t]*[\w.+-]*[^\n`]*\n?/y
// `name[CALL_ID]x[ARGS]{…}` / `name[ARGS]{…}` (Mistral v11+), `name{…}` / `name\n{…}` (Mistral v13, Functionary).
const NAMED_JSON = /([A-Za-z_][\w.-]*)[ \t]*(?:\[CALL_ID\][ \t]*[\w-]*[ \t]*)?(?:\[ARGS\])?\s*(?=\{)/y
const PYTHON_CALL = /[A-Za-z_][\w.-]*[ \t]*\(/y
const ARG_KEY = /[A-Za-z_][\w.-]*\s*<arg_key>/y
const GEMMA_CALL = /call[ \t]*:/y

/**
 * What follows a call marker (`<tool_call>`, `[TOOL_CALLS]`, `<|python_tag|>`…) or fills a call
 * fence: one or more calls of one shape. The shape is told by the first characters: JSON, a
 * pythonic list or calls, `<function=…>` / `<invoke>` elements, Gemma's `call:name{…}`, GLM's
 * name + `<arg_key>`, or a name followed by JSON arguments. Null unless at least one call reads.
 */
export function readCallBody(scan: Scan, from: number, options: {fenced?: boolean; unmarked?: boolean} = {}): Body | null {
  const {s} = scan
  const i = skipSpace(s, from)
  if (!options.fenced && s.startsWith('```', i)) return readFencedBody(scan, i)
  const c = s[i]
  JSON_START.lastIndex = i
  if (JSON_START.test(s)) return complete(readJsonCalls(scan, i, options.unmarked ?? false))
  if (c === '[') {
    const list = readPythonicList(scan, i)
    return list && {calls: list.calls, end: list.end, complete: list.closed}
  }

  if (c === '<') return complete(repeat(scan, i, (at) => (tagAt(scan, at)?.closing ? null : readFunctionElement(scan, at))))
  GEMMA_CALL.lastIndex = i
  if (GEMMA_CALL.test(s)) return complete(repeat(scan, i, (at) => readGemmaCall(scan, at)))
  PYTHON_CALL.lastIndex = i
  if (PYTHON_CALL.test(s)) return complete(readPythonicCalls(scan, i))
  ARG_KEY.lastIndex = i
  if (ARG_KEY.test(s)) return complete(repeat(scan, i, (at) => readArgKeyCall(scan, at)))
  return complete(repeat(scan, i, (at) => readNamedJson(scan, at)))
}

/** A body wrapped in a ```json fence inside a tag: models do both at once. */
function readFencedBody(scan: Scan, at: number): Body | null {
  const {s} = scan
  FENCE_HEADER.lastIndex = at
  if (!FENCE_HEADER.test(s)) return null
  const body = readCallBody(scan, FENCE_HEADER.lastIndex, {fenced: true})
  if (!body) return null
  const after = skipSpace(s, body.end)
  return {...body, end: s.startsWith('```', after) ? after + 3 : body.end}
}

/** JSON values separated by whitespace or commas, every one of them calls. */
function readJsonCalls(scan: Scan, at: number, unmarked: boolean): CallRun | null {
  const {s} = scan
  const calls: ParsedToolCall[] = []
  let end = at
  let i = at
  for (;;) {
    JSON_START.lastIndex = i
    const start = JSON_START.exec(s)
    if (!start) break
    const valueEnd = scanBracketEnd(scan, i, start[0].endsWith("'"))
    if (valueEnd < 0 || !mayHoldCall(s.slice(i, valueEnd))) return null
    const parsed = parseLooseJson(s.slice(i, valueEnd))
    const found = parsed && callsFromValue(scan, parsed.value, parsed.repair ? [parsed.repair] : [], unmarked)
    if (!found) return null
    calls.push(...found)
    end = valueEnd
    i = skipSpace(s, end)
    if (s[i] === ',') i = skipSpace(s, i + 1)
  }

  return calls.length > 0 ? {calls, end} : null
}

function readNamedJson(scan: Scan, at: number): {call: ParsedToolCall; end: number} | null {
  const {s} = scan
  NAMED_JSON.lastIndex = at
  const head = NAMED_JSON.exec(s)
  if (!head) return null
  return argumentsCallAt(scan, head[1]!, NAMED_JSON.lastIndex)
}

/** One or more items read by `readOne`, separated by whitespace or a comma. */
function repeat(scan: Scan, at: number, readOne: (at: number) => {call: ParsedToolCall; end: number} | null): CallRun | null {
  const calls: ParsedToolCall[] = []
  let end = at
  for (let i = at; ; ) {
    const item = readOne(i)
    if (!item) break
    calls.push(item.call)
    end = item.end
    i = skipSpace(scan.s, end)
    if (scan.s[i] === ',') i = skipSpace(scan.s, i + 1)
  }

  return calls.length > 0 ? {calls, end} : null
}

function complete(run: CallRun | null): Body | null {
  return run && {calls: run.calls, end: run.end, complete: true}
}
