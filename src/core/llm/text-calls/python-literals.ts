/**
 * Python literals and keyword-argument calls, as models write them in "pythonic" tool calls
 * (`[get_weather(city='Paris', days=3)]`) and sometimes instead of JSON (`{'path': 'a.ts'}`).
 * A small recursive reader: strings in all their quotings, numbers, True/False/None (and JSON's
 * true/false/null), lists, tuples and dicts. Nothing is evaluated; it never throws and never backtracks.
 */

export type Read<T> = {ok: true; value: T; end: number} | {ok: false; end: number}

export interface PythonCall {
  name: string
  args: Record<string, unknown>
  repairs: string[]
}

// Deep enough for any real argument; shallow enough that `[[[[…` can't overflow the stack.
const MAX_DEPTH = 64
const NUMBER = /[-+]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][-+]?\d+)?)/y
const KEYWORDS: Record<string, unknown> = {True: true, False: false, None: null, true: true, false: false, null: null}

const fail = (end: number): {ok: false; end: number} => ({ok: false, end})

/** The whole of `text` as one literal. */
export function readPythonLiteral(text: string): {ok: true; value: unknown} | {ok: false} {
  const read = readValue(text, 0, 0, [])
  return read.ok && skipBlank(text, read.end) === text.length ? {ok: true, value: read.value} : {ok: false}
}

/**
 * `name(key=value, …)` at `i`. Positional arguments can't be named without the tool's schema, so
 * they make it not a call, except a single dict (`read_file({"path": "a"})`), taken as the arguments.
 */
export function readPythonCall(s: string, i: number): Read<PythonCall> {
  // The name: identifiers joined by dots (`brave_search.call`); tool names may also hold `-`.
  let nameEnd = i
  do nameEnd = wordEnd(s, nameEnd + (s[nameEnd] === '.' ? 1 : 0), true)
  while (s[nameEnd] === '.' && isWordStart(s.charCodeAt(nameEnd + 1)))
  if (nameEnd === i) return fail(i)
  let at = skipInline(s, nameEnd)
  if (s[at] !== '(') return fail(at)
  // Arguments collected as pairs and made an object only once the call is complete: most
  // attempts in hostile text fail, and building objects for them is what would cost.
  const pairs: Array<[string, unknown]> = []
  const repairs: string[] = []
  at = skipBlank(s, at + 1)
  let positional = 0
  while (s[at] !== ')') {
    const keyEnd = wordEnd(s, at, false)
    const equals = skipInline(s, keyEnd)
    if (keyEnd > at && s[equals] === '=' && s[equals + 1] !== '=') {
      const value = readValue(s, skipBlank(s, equals + 1), 1, repairs, true)
      if (!value.ok) return value
      pairs.push([s.slice(at, keyEnd), value.value])
      at = value.end
    } else {
      const value = readValue(s, at, 1, repairs)
      if (!value.ok || positional > 0 || !isDict(value.value)) return fail(value.end)
      pairs.push(...Object.entries(value.value))
      repairs.push('arguments given as one dict')
      positional++
      at = value.end
    }

    at = skipBlank(s, at)
    if (s[at] === ',') at = skipBlank(s, at + 1)
    else if (s[at] !== ')') return fail(at)
  }

  return {ok: true, value: {name: s.slice(i, nameEnd), args: Object.fromEntries(pairs), repairs}, end: at + 1}
}

/** One value at `i`. `bareWords`: an unquoted word (`unit=celsius`) reads as a string, with a repair noted. */
function readValue(s: string, i: number, depth: number, repairs: string[], bareWords = false): Read<unknown> {
  if (depth > MAX_DEPTH) return fail(i)
  const c = s[i]
  if (c === '[') return readSequence(s, i, ']', depth, repairs)
  if (c === '(') return readTuple(s, i, depth, repairs)
  if (c === '{') return readDict(s, i, depth, repairs)
  if (quoteAt(s, i) >= 0) return readStrings(s, i)
  NUMBER.lastIndex = i
  const number = NUMBER.exec(s)
  if (number && !/[\w.]/.test(s[NUMBER.lastIndex] ?? '')) {
    const value = Number(number[0].replaceAll('_', ''))
    return Number.isFinite(value) ? {ok: true, value, end: NUMBER.lastIndex} : fail(i)
  }

  const end = wordEnd(s, i, false)
  if (end === i) return fail(i)
  const word = s.slice(i, end)
  if (word in KEYWORDS) return {ok: true, value: KEYWORDS[word], end}
  if (!bareWords) return fail(i)
  repairs.push(`unquoted value ${word} read as a string`)
  return {ok: true, value: word, end}
}

function readSequence(s: string, i: number, close: string, depth: number, repairs: string[], items: unknown[] = []): Read<unknown[]> {
  let at = skipBlank(s, i + 1)
  while (s[at] !== close) {
    const item = readValue(s, at, depth + 1, repairs)
    if (!item.ok) return item
    items.push(item.value)
    at = skipBlank(s, item.end)
    if (s[at] === ',') at = skipBlank(s, at + 1)
    else if (s[at] !== close) return fail(at)
  }

  return {ok: true, value: items, end: at + 1}
}

/** `(x)` is x; `(x,)` and `(x, y)` are tuples, read as lists. */
function readTuple(s: string, i: number, depth: number, repairs: string[]): Read<unknown> {
  const first = skipBlank(s, i + 1)
  if (s[first] === ')') return {ok: true, value: [], end: first + 1}
  const item = readValue(s, first, depth + 1, repairs)
  if (!item.ok) return item
  const after = skipBlank(s, item.end)
  if (s[after] === ')') return {ok: true, value: item.value, end: after + 1}
  if (s[after] !== ',') return fail(after)
  // Carry on after the first item rather than re-reading it: nested tuples stay linear.
  return readSequence(s, after, ')', depth, repairs, [item.value])
}

function readDict(s: string, i: number, depth: number, repairs: string[]): Read<Record<string, unknown>> {
  const dict: Record<string, unknown> = {}
  let at = skipBlank(s, i + 1)
  while (s[at] !== '}') {
    const key = readValue(s, at, depth + 1, repairs)
    // Keys must be literals: `{path: "a"}` is JavaScript (or a Python variable), not data.
    if (!key.ok || (typeof key.value !== 'string' && typeof key.value !== 'number')) return fail(key.end)
    at = skipBlank(s, key.end)
    if (s[at] !== ':') return fail(at)
    const value = readValue(s, skipBlank(s, at + 1), depth + 1, repairs)
    if (!value.ok) return value
    dict[String(key.value)] = value.value
    at = skipBlank(s, value.end)
    if (s[at] === ',') at = skipBlank(s, at + 1)
    else if (s[at] !== '}') return fail(at)
  }

  return {ok: true, value: dict, end: at + 1}
}

/** One string, or several adjacent ones ("a" "b" is "ab" in Python). */
function readStrings(s: string, i: number): Read<string> {
  let value = ''
  let at = i
  for (;;) {
    const one = readString(s, at)
    if (!one.ok) return at === i ? one : {ok: true, value, end: at}
    value += one.value
    const next = skipInline(s, one.end)
    if (quoteAt(s, next) < 0) return {ok: true, value, end: one.end}
    at = next
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', 0: '\0'}

function readString(s: string, i: number): Read<string> {
  let at = quoteAt(s, i)
  if (at < 0) return fail(i)
  const raw = at > i && /r/i.test(s.slice(i, at))
  const quote = s[at]!
  const triple = s.startsWith(quote.repeat(3), at)
  const close = triple ? quote.repeat(3) : quote
  at += close.length
  let value = ''
  const quoteCode = quote.charCodeAt(0)
  while (at < s.length) {
    // Copy the plain run up to the next quote or backslash in one slice.
    let run = at
    for (let c = s.charCodeAt(run); run < s.length && c !== quoteCode && c !== BACKSLASH; c = s.charCodeAt(++run));
    value += s.slice(at, run)
    at = run
    if (at >= s.length) break
    if (s.startsWith(close, at)) return {ok: true, value, end: at + close.length}
    if (s.charCodeAt(at) === quoteCode) {
      value += quote // a lone quote inside a triple-quoted string
      at++
      continue
    }

    const next = s[at + 1] ?? ''
    if (raw) {
      value += '\\' + next
      at += 2
    } else if (next in SIMPLE_ESCAPES) {
      value += SIMPLE_ESCAPES[next]
      at += 2
    } else if (next === '\n') {
      at += 2 // line continuation
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const width = next === 'x' ? 2 : next === 'u' ? 4 : 8
      const hex = s.slice(at + 2, at + 2 + width)
      const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === width ? Number.parseInt(hex, 16) : NaN
      if (Number.isNaN(code) || code > 0x10ffff) {
        value += '\\' + next
        at += 2
      } else {
        value += String.fromCodePoint(code)
        at += 2 + width
      }
    } else {
      value += '\\' + next // Python keeps unknown escapes as written
      at += 2
    }
  }

  return fail(at)
}

function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const BACKSLASH = 92
const PREFIX_LETTERS = 'rRbBuUfF'

/** Index of the opening quote of a string literal starting at `i` (`'…'`, `r"…"`, `b'…'`…), or -1. */
function quoteAt(s: string, i: number): number {
  for (let at = i; at <= i + 2; at++) {
    const c = s[at]
    if (c === '"' || c === "'") return at
    if (c === undefined || !PREFIX_LETTERS.includes(c)) return -1
  }

  return -1
}

function isWordStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95
}

/** End of the identifier at `i` (`i` itself when there is none); `dashes` also allows `-` after the first character. */
function wordEnd(s: string, i: number, dashes: boolean): number {
  if (!isWordStart(s.charCodeAt(i))) return i
  let end = i + 1
  for (let c = s.charCodeAt(end); isWordStart(c) || (c >= 48 && c <= 57) || (dashes && c === 45); c = s.charCodeAt(++end));
  return end
}

function skipBlank(s: string, i: number): number {
  for (let c = s.charCodeAt(i); c === 32 || (c >= 9 && c <= 13); c = s.charCodeAt(++i));
  return i
}

function skipInline(s: string, i: number): number {
  while (s[i] === ' ' || s[i] === '\t') i++
  return i
}
