import {readCallBody} from './call-bodies.js'
import {atEnd, type Match, type Scan, skipSpace} from './scan.js'
import {readFunctionElement, tagAt} from './xml-calls.js'

/**
 * Markers that open a run of calls, each with the closers that may end it. The body between is read
 * by readCallBody, whatever its shape (JSON, pythonic, XML…), because models mix them freely:
 * `<tool_call>` holds JSON for Qwen2.5 and XML for Qwen3-Coder.
 */
const TOKEN_MARKERS: ReadonlyArray<readonly [open: string, closers: readonly string[]]> = [
  ['[TOOL_CALLS]', ['</s>']], // Mistral
  ['<|python_tag|>', ['<|eom_id|>', '<|eot_id|>']], // Llama 3.1
  ['<|python_start|>', ['<|python_end|>']], // Llama 4
  ['<|tool_call_start|>', ['<|tool_call_end|>']], // LFM2
  ['<|tool_call|>', []], // Granite
  ['<|START_ACTION|>', ['<|END_ACTION|>']], // Command R7B / Command A
  ['<|tool_call>', ['<tool_call|>']], // Gemma 4
  ['<start_function_call>', ['<end_function_call>']], // FunctionGemma
  ['functools', []], // Phi-4-mini: functools[{…}]
]

// `<tool_call>` (Hermes, Qwen), `<function_call>`, `<tools>`, `<tool_calls>` (and `<minimax:tool_call>`,
// `<｜DSML｜function_calls>`, which read as these).
const TAG_MARKERS = new Set(['tool_call', 'function_call', 'tools', 'tool_calls', 'function_calls'])

/** A call marker at `at` and the calls after it. */
export function matchMarker(scan: Scan, at: number): Match | undefined {
  const {s} = scan
  let openEnd: number
  let isClose: (at: number) => number
  const token = TOKEN_MARKERS.find(([open]) => s.startsWith(open, at))
  if (token) {
    openEnd = at + token[0].length
    isClose = (i) => token[1].find((closer) => s.startsWith(closer, i))?.length ?? 0
  } else {
    const tag = tagAt(scan, at)
    if (!tag || tag.closing || !TAG_MARKERS.has(tag.name) || tag.value !== undefined || Object.keys(tag.attributes).length > 0) {
      return undefined
    }

    openEnd = tag.end
    isClose = (i) => {
      const close = tagAt(scan, i)
      return close?.closing && close.name === tag.name ? close.end - i : 0
    }
  }

  const body = readCallBody(scan, openEnd)
  if (!body) return {next: openEnd}
  const after = skipSpace(s, body.end)
  const closeLength = isClose(after)
  // A list whose `]` is missing counts only if the marker's closer or the end of the reply follows.
  if (!body.complete && closeLength === 0 && !atEnd(s, body.end)) return {next: openEnd}
  const end = closeLength > 0 ? after + closeLength : body.end
  return {span: {start: at, end, calls: body.calls}, next: end}
}

const WRAPPER_CLOSE = /\s*<\/(?:tool_call|tool_calls|function_calls|minimax:tool_call|[|｜]DSML[|｜](?:function_calls|tool_calls))>/y

/** Qwen3-Coder's `<function=…>` (its `<tool_call>` often left out), `<function name=…>`, `<invoke>`. */
export function matchFunctionElements(scan: Scan, at: number): Match | undefined {
  const first = readFunctionElement(scan, at)
  if (!first) return undefined
  const calls = [first.call]
  let end = first.end
  for (;;) {
    const next = readFunctionElement(scan, skipSpace(scan.s, end))
    if (!next) break
    calls.push(next.call)
    end = next.end
  }

  // The wrapper's closing tag that follows (its opening one was left out) goes with the calls.
  WRAPPER_CLOSE.lastIndex = end
  if (WRAPPER_CLOSE.test(scan.s)) end = WRAPPER_CLOSE.lastIndex
  return {span: {start: at, end, calls}, next: end}
}
