import {argumentsCallAt, parseLooseJson} from './json-text.js'
import {readRawValue} from './raw-values.js'
import {findFirst, type ParsedToolCall, type Scan, skipSpace, toolCall} from './scan.js'

/**
 * One tag. Names are normalised: DeepSeek's `<｜DSML｜invoke>` and MiniMax's `<minimax:tool_call>`
 * read as `invoke` and `tool_call`. `<parameter=path>` (Qwen3-Coder) gives `value: "path"`.
 */
export interface Tag {
  start: number
  end: number
  closing: boolean
  name: string
  value?: string
  attributes: Record<string, string>
}

/** readTag, remembering the last two tags read in this scan. */
export function tagAt(scan: Scan, at: number): Tag | undefined {
  const recent = scan.recentTags
  if (recent[0] === at) return recent[1] as Tag | undefined
  if (recent[2] === at) return recent[3] as Tag | undefined
  const tag = readTag(scan.s, at)
  recent[2] = recent[0]
  recent[3] = recent[1]
  recent[0] = at
  recent[1] = tag
  return tag
}

const NAMESPACE = /[|｜][ \t]*DSML[ \t]*[|｜]/y
const ATTRIBUTE = /([\w-]{1,40})\s*=\s*(?:"([^"\n]{0,200})"|'([^'\n]{0,200})'|([^\s>]{1,200}))/y

/** The tag at `at`, read by hand (a regex with optional attribute groups was the parser's hot spot). */
function readTag(s: string, at: number): Tag | undefined {
  if (s.charCodeAt(at) !== LESS_THAN) return undefined
  let i = at + 1
  const closing = s.charCodeAt(i) === SLASH
  if (closing) i++
  while (s[i] === ' ' || s[i] === '\t') i++
  if (s[i] === '|' || s[i] === '｜') {
    NAMESPACE.lastIndex = i
    if (!NAMESPACE.test(s)) return undefined
    i = NAMESPACE.lastIndex
  } else if (s.startsWith('minimax:', i)) {
    i += 8
  }

  const nameStart = i
  if (!isNameStart(s.charCodeAt(i))) return undefined
  while (i - nameStart < 41 && isNameChar(s.charCodeAt(i))) i++
  const name = s.slice(nameStart, i).toLowerCase() // <TOOL_CALL> is seen too
  let value: string | undefined
  let attributes = NO_ATTRIBUTES
  if (s[i] === '=') {
    const limit = Math.min(s.length, i + 202)
    let j = i + 1
    while (j < limit && s[j] !== '>' && s[j] !== '\n') j++
    if (s[j] !== '>' || j === i + 1) return undefined
    value = s.slice(i + 1, s[j - 1] === '/' ? j - 1 : j).trim()
    i = j
  } else {
    for (let count = 0; ; count++) {
      const before = i
      while (i < s.length && isBlank(s.charCodeAt(i))) i++
      if (s[i] === '>' || (s[i] === '/' && s[i + 1] === '>')) break
      if (count >= 8 || i === before) return undefined
      ATTRIBUTE.lastIndex = i
      const attribute = ATTRIBUTE.exec(s)
      if (!attribute) return undefined
      if (attributes === NO_ATTRIBUTES) attributes = {}
      attributes[attribute[1]!] = attribute[2] ?? attribute[3] ?? attribute[4] ?? ''
      i = ATTRIBUTE.lastIndex
    }
  }

  while (i < s.length && isBlank(s.charCodeAt(i))) i++
  if (s[i] === '/') i++
  if (s[i] !== '>') return undefined
  return {start: at, end: i + 1, closing, name, value, attributes}
}

// Most tags have no attributes: they share this one (never written to) instead of a new object each.
const NO_ATTRIBUTES: Record<string, string> = Object.freeze({}) as Record<string, string>
const LESS_THAN = 60
const SLASH = 47

function isNameStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95
}

function isNameChar(code: number): boolean {
  return isNameStart(code) || (code >= 48 && code <= 57) || code === 45
}

function isBlank(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13)
}

// Tags that can end a parameter value; searched with a memoised regex so values full of `<` stay cheap.
const VALUE_END = /<\/?[ \t]*(?:[|｜][ \t]*DSML[ \t]*[|｜][ \t]*|minimax:)?(?:parameter|function|invoke|tool_calls?|function_calls)(?=[\s=>/])/g

/** The first tag matching `pattern` from `from` on that `accept` takes. */
function findTag(scan: Scan, key: string, pattern: RegExp | string, from: number, accept: (tag: Tag) => boolean): Tag | undefined {
  for (let at = findFirst(scan, key, pattern, from); at !== -1; at = findFirst(scan, key, pattern, at + 1)) {
    const tag = tagAt(scan, at)
    if (tag && accept(tag)) return tag
  }

  return undefined
}

// `<tool_call name="…">` too: some fine-tunes put the name on the Hermes tag and only the arguments inside.
const FUNCTION_TAGS = new Set(['function', 'invoke', 'tool_call', 'function_call'])
// A wrapper's closing tag right after the last parameter also ends the function: models drop `</function>`.
const WRAPPER_TAGS = new Set(['tool_call', 'tool_calls', 'function_calls'])

/**
 * `<function=name>…</function>` (Qwen3-Coder, Llama 3.1's custom format), `<function name="…">` and
 * `<invoke name="…">` (MiniMax, DeepSeek V3.2 DSML), at `at`. The body is either one JSON object
 * or `<parameter=key>value</parameter>` / `<parameter name="key">` elements whose values are raw
 * text (`string="true"`) or JSON (`string="false"`). A missing `</parameter>` ends at the next
 * parameter; a missing `</function>` is accepted only at the very end of the reply.
 */
export function readFunctionElement(scan: Scan, at: number): {call: ParsedToolCall; end: number} | null {
  const {s} = scan
  const open = tagAt(scan, at)
  if (!open || open.closing || !FUNCTION_TAGS.has(open.name)) return null
  const written = open.value ?? open.attributes.name
  if (!written || (open.name !== 'function' && open.name !== 'invoke' && open.value !== undefined)) return null
  const isClose = (tag: Tag) => tag.closing && tag.name === open.name

  let i = skipSpace(s, open.end)
  if (s[i] === '{') {
    const found = argumentsCallAt(scan, written, i)
    return found ? {call: found.call, end: closeAfter(scan, found.end, isClose)} : null
  }

  const args: Record<string, unknown> = {}
  const repairs: string[] = []
  for (;;) {
    i = skipSpace(s, i)
    if (i >= s.length) break // closing tag missing at the very end: the parameters are complete
    const tag = tagAt(scan, i)
    if (!tag) return null
    if (isClose(tag)) {
      i = tag.end
      break
    }

    if (tag.closing && WRAPPER_TAGS.has(tag.name)) break

    if (tag.closing || tag.name !== 'parameter') return null
    const key = tag.value ?? tag.attributes.name
    if (!key) return null
    const close = findTag(scan, 'value-end', VALUE_END, tag.end, (t) => t.name === 'parameter' || FUNCTION_TAGS.has(t.name) || WRAPPER_TAGS.has(t.name))
    // A value that never ends (the reply was cut off), or runs into the next call: not a call.
    if (!close || (!close.closing && close.name !== 'parameter')) return null
    if (!(close.closing && close.name === 'parameter')) repairs.push(`missing </parameter> after ${key}`)
    const text = trimValue(s.slice(tag.end, close.start))
    const declared = tag.attributes.string === 'true' ? 'string' : tag.attributes.string === 'false' ? 'json' : declaredType(scan, written, key)
    args[key] = declared === 'json' ? readJsonValue(text) : readRawValue(text, declared)
    i = close.closing && close.name === 'parameter' ? close.end : close.start
  }

  const call = toolCall(scan, written, args, repairs)
  return call ? {call, end: i} : null
}

const ARG_KEY_NAME = /([A-Za-z_][\w.-]*)[ \t]*\r?\n?/y

/**
 * GLM-4.5+ inside `<tool_call>`: the name, then `<arg_key>k</arg_key><arg_value>v</arg_value>` pairs.
 */
export function readArgKeyCall(scan: Scan, at: number): {call: ParsedToolCall; end: number} | null {
  const {s} = scan
  const name = ARG_KEY_NAME
  name.lastIndex = at
  const head = name.exec(s)
  if (!head) return null
  const types = scan.argumentTypes[scan.tools.resolve(head[1]!)?.name ?? ''] ?? {}
  const args: Record<string, unknown> = {}
  let i = name.lastIndex
  for (;;) {
    i = skipSpace(s, i)
    const keyTag = tagAt(scan, i)
    if (!keyTag || keyTag.closing || keyTag.name !== 'arg_key') break
    const keyClose = findTag(scan, '</arg_key>', '</arg_key>', keyTag.end, (t) => t.closing && t.name === 'arg_key')
    if (!keyClose) return null
    const valueTag = tagAt(scan, skipSpace(s, keyClose.end))
    if (!valueTag || valueTag.closing || valueTag.name !== 'arg_value') return null
    const valueClose = findTag(scan, '</arg_value>', '</arg_value>', valueTag.end, (t) => t.closing && t.name === 'arg_value')
    if (!valueClose) return null
    const key = s.slice(keyTag.end, keyClose.start).trim()
    args[key] = readRawValue(s.slice(valueTag.end, valueClose.start), types[key])
    i = valueClose.end
  }

  if (i === name.lastIndex) return null
  const call = toolCall(scan, head[1]!, args)
  return call ? {call, end: i} : null
}

function declaredType(scan: Scan, written: string, key: string): string | undefined {
  return scan.argumentTypes[scan.tools.resolve(written)?.name ?? '']?.[key]
}

/** Templates put each value on its own lines: drop that one newline each side; a one-line value is trimmed. */
function trimValue(raw: string): string {
  const inner = raw.replace(/^\r?\n/, '').replace(/\r?\n$/, '')
  return inner.includes('\n') ? inner : inner.trim()
}

function readJsonValue(text: string): unknown {
  const parsed = parseLooseJson(text)
  return parsed ? parsed.value : text
}

/** Past the closing tag if it follows (after whitespace), else `end`. */
function closeAfter(scan: Scan, end: number, isClose: (tag: Tag) => boolean): number {
  const at = skipSpace(scan.s, end)
  const tag = tagAt(scan, at)
  return tag && isClose(tag) ? tag.end : end
}
