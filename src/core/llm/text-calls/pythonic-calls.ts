import {readPythonCall} from './python-literals.js'
import {type CallRun, type ParsedToolCall, type Scan, skipInlineSpace, skipSpace, toolCall} from './scan.js'

export interface PythonicList extends CallRun {
  /** False when the closing `]` is missing (the reply ended, or a closing token came first). */
  closed: boolean
}

/**
 * Llama 3.2/4, LFM2 and Gemma's prompted format: `[get_weather(city='Paris'), search(q="x")]`.
 * Every element must be a keyword-argument call to an offered tool. A list whose `]` is missing at
 * the very end of the reply is accepted (the calls in it are complete); callers decide.
 */
export function readPythonicList(scan: Scan, at: number): PythonicList | null {
  const {s} = scan
  const calls: ParsedToolCall[] = []
  let i = skipSpace(s, at + 1)
  for (;;) {
    const call = readOneCall(scan, i)
    if (!call) return null
    calls.push(call.call)
    i = skipSpace(s, call.end)
    if (s[i] === ',') i = skipSpace(s, i + 1)
    if (s[i] === ']') return {calls, end: i + 1, closed: true}
    // The `]` is missing: fine at the end of the reply or before a closing token (`<|python_end|>`).
    if (i >= s.length || s[i] === '<') return {calls, end: call.end, closed: false}
    if (s[i] === ',' || !/[A-Za-z_]/.test(s[i] ?? '')) return null
  }
}

/**
 * Calls written one after another without a list: `read_file(path="a.ts")`, several separated by a
 * newline, `;` or `,`. Llama 3.1's built-in tool form `brave_search.call(query="…")` names the tool
 * before `.call`.
 */
export function readPythonicCalls(scan: Scan, at: number): CallRun | null {
  const {s} = scan
  const calls: ParsedToolCall[] = []
  let end = at
  let i = at
  for (;;) {
    const call = readOneCall(scan, i)
    if (!call) break
    calls.push(call.call)
    end = call.end
    i = skipInlineSpace(s, end)
    if (s[i] === ';' || s[i] === ',') i++
    i = skipSpace(s, i)
  }

  return calls.length > 0 ? {calls, end} : null
}

function readOneCall(scan: Scan, at: number): {call: ParsedToolCall; end: number} | null {
  // Gemma's ```tool_code convention prints the call: print(default_api.get_weather(city="London")).
  if (scan.s.startsWith('print(', at)) {
    const inner = readOneCall(scan, skipSpace(scan.s, at + 6))
    const close = inner ? skipSpace(scan.s, inner.end) : -1
    return inner && scan.s[close] === ')' ? {call: inner.call, end: close + 1} : null
  }

  const read = readPythonCall(scan.s, at)
  scan.budget -= read.end - at
  if (!read.ok) return null
  const written = read.value.name.replace(/\.call$/, '')
  const call = toolCall(scan, written, read.value.args, read.value.repairs)
  return call ? {call, end: read.end} : null
}
