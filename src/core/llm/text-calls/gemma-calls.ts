import type {Read} from './python-literals.js'
import {type Scan, toolCall, type ParsedToolCall} from './scan.js'

// FunctionGemma wraps every string in <escape>…<escape>; Gemma 4 in <|"|>…<|"|>. Keys are bare.
const STRING_DELIMITERS = ['<escape>', '<|"|>']
const CALL_HEAD = /call[ \t]*:[ \t]*([A-Za-z_][\w.-]*)[ \t]*\{/y
const KEY = /[ \t\n\r]*([A-Za-z_][\w.-]*|"[^"\n]*")[ \t\n\r]*:/y
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?=[\s,}\]])/y
const MAX_DEPTH = 64

const fail = (end: number): {ok: false; end: number} => ({ok: false, end})

/** Gemma's `call:name{key:<escape>value<escape>,n:3}` (FunctionGemma, Gemma 4, and bare in text). */
export function readGemmaCall(scan: Scan, at: number): {call: ParsedToolCall; end: number} | null {
  const {s} = scan
  CALL_HEAD.lastIndex = at
  const head = CALL_HEAD.exec(s)
  if (!head) return null
  const body = readObject(s, CALL_HEAD.lastIndex - 1, 0)
  scan.budget -= body.end - at
  if (!body.ok) return null
  const call = toolCall(scan, head[1]!, body.value)
  return call ? {call, end: body.end} : null
}

function readObject(s: string, i: number, depth: number): Read<Record<string, unknown>> {
  if (depth > MAX_DEPTH) return fail(i)
  const out: Record<string, unknown> = {}
  let at = skipBlank(s, i + 1)
  while (s[at] !== '}') {
    KEY.lastIndex = at
    const key = KEY.exec(s)
    if (!key) return fail(at)
    const value = readGemmaValue(s, skipBlank(s, KEY.lastIndex), depth)
    if (!value.ok) return value
    out[key[1]!.replace(/^"(.*)"$/, '$1')] = value.value
    at = skipBlank(s, value.end)
    if (s[at] === ',') at = skipBlank(s, at + 1)
    else if (s[at] !== '}') return fail(at)
  }

  return {ok: true, value: out, end: at + 1}
}

function readGemmaValue(s: string, i: number, depth: number): Read<unknown> {
  for (const delimiter of STRING_DELIMITERS) {
    if (!s.startsWith(delimiter, i)) continue
    const close = s.indexOf(delimiter, i + delimiter.length)
    return close < 0 ? fail(s.length) : {ok: true, value: s.slice(i + delimiter.length, close), end: close + delimiter.length}
  }

  const c = s[i]
  if (c === '{') return readObject(s, i, depth + 1)
  if (c === '[') return readList(s, i, depth + 1)
  if (c === '"') return readJsonString(s, i)
  NUMBER.lastIndex = i
  const number = NUMBER.exec(s)
  if (number) return {ok: true, value: Number(number[0]), end: NUMBER.lastIndex}
  // Unquoted text up to the next separator: true/false/null, or a string the model left bare.
  let end = i
  while (end < s.length && !',}]\n'.includes(s[end]!)) end++
  const word = s.slice(i, end).trim()
  if (word === '') return fail(i)
  const keyword: Record<string, unknown> = {true: true, false: false, null: null, True: true, False: false, None: null}
  return {ok: true, value: word in keyword ? keyword[word] : word, end}
}

function readList(s: string, i: number, depth: number): Read<unknown[]> {
  if (depth > MAX_DEPTH) return fail(i)
  const items: unknown[] = []
  let at = skipBlank(s, i + 1)
  while (s[at] !== ']') {
    const item = readGemmaValue(s, at, depth)
    if (!item.ok) return item
    items.push(item.value)
    at = skipBlank(s, item.end)
    if (s[at] === ',') at = skipBlank(s, at + 1)
    else if (s[at] !== ']') return fail(at)
  }

  return {ok: true, value: items, end: at + 1}
}

function readJsonString(s: string, i: number): Read<string> {
  for (let at = i + 1; at < s.length; at++) {
    if (s[at] === '\\') at++
    else if (s[at] === '"') {
      try {
        return {ok: true, value: JSON.parse(s.slice(i, at + 1)) as string, end: at + 1}
      } catch {
        return fail(at)
      }
    }
  }

  return fail(s.length)
}

function skipBlank(s: string, i: number): number {
  for (let c = s.charCodeAt(i); c === 32 || (c >= 9 && c <= 13); c = s.charCodeAt(++i));
  return i
}
