import {parseLooseJson} from './json-text.js'
import {isPlainObject, type ParsedToolCall, type Scan, toolCall} from './scan.js'

// Spellings of "name" and "arguments" across families: Hermes/Qwen, Llama 3 (`parameters`),
// Command R (`tool_name`), LangChain-style agents (`tool`/`tool_input`).
const NAME_KEYS = new Set(['name', 'tool', 'function', 'tool_name', 'function_name'])
const ARGUMENT_KEYS = new Set(['arguments', 'parameters', 'args', 'input', 'tool_input', 'params'])
const ID_KEYS = new Set(['id', 'tool_call_id', 'call_id', 'index'])
// Agent-style fine-tunes add their reasoning beside the call; it is commentary, not data.
const COMMENTARY_KEYS = new Set(['thought', 'thoughts', 'reasoning', 'reason', 'explanation'])
// `{"tool_calls": [...]}` and friends: the OpenAI message shape a model copies from its training data.
const WRAPPER_KEYS = new Set(['tool_calls', 'function_calls', 'tool_call', 'function_call'])

/**
 * The calls in a JSON value: a call object, an array of them, or a `{"tool_calls": [...]}` wrapper;
 * null unless every element is a call. An object counts as a call only if its name is offered and it
 * has nothing besides one name key, at most one arguments key, an id, `type: "function"` and a
 * `thought` string: anything
 * else (package.json, an echoed tool definition, an answer with a "name") is data.
 */
export function callsFromValue(scan: Scan, value: unknown, repairs: readonly string[] = [], unmarked = false): ParsedToolCall[] | null {
  if (Array.isArray(value)) {
    if (value.length === 0) return null
    const calls: ParsedToolCall[] = []
    for (const item of value) {
      const call = callFromObject(scan, item, repairs, true, unmarked)
      if (!call) return null
      calls.push(call)
    }

    return calls
  }

  if (!isPlainObject(value)) return null
  const wrapper = Object.keys(value).filter((key) => WRAPPER_KEYS.has(key))
  if (wrapper.length === 1) {
    const others = Object.keys(value).filter((key) => key !== wrapper[0])
    if (others.some((key) => !(key === 'role' || key === 'content' || key === 'type'))) return null
    const inner = value[wrapper[0]!]
    return isPlainObject(inner) && !(inner.name || inner.function) ? null : callsFromValue(scan, inner, repairs)
  }

  const call = callFromObject(scan, value, repairs, true, unmarked)
  return call ? [call] : null
}

/**
 * One call object; `nested` allows one level of OpenAI's `{"type": "function", "function": {...}}`.
 * `unmarked` (JSON with no call marker around it) also needs an arguments key: `{"name": "search"}`
 * alone is more often an answer (a list of tool names) than a call.
 */
function callFromObject(scan: Scan, value: unknown, repairs: readonly string[], nested: boolean, unmarked: boolean): ParsedToolCall | null {
  if (!isPlainObject(value)) return null
  if (nested && isPlainObject(value.function)) {
    const extra = Object.keys(value).some((key) => key !== 'function' && key !== 'type' && !ID_KEYS.has(key))
    if (extra || (value.type !== undefined && value.type !== 'function')) return null
    return callFromObject(scan, value.function, repairs, false, unmarked)
  }

  let name: unknown
  let args: unknown
  let nameKeys = 0
  let argumentKeys = 0
  for (const [key, item] of Object.entries(value)) {
    if (NAME_KEYS.has(key)) {
      name = item
      nameKeys++
    } else if (ARGUMENT_KEYS.has(key)) {
      args = item
      argumentKeys++
    } else if (!(ID_KEYS.has(key) || (COMMENTARY_KEYS.has(key) && typeof item === 'string') || (key === 'type' && item === 'function'))) {
      return null
    }
  }

  if (nameKeys !== 1 || argumentKeys > 1 || typeof name !== 'string' || (unmarked && argumentKeys === 0)) return null
  const read = readArguments(args)
  if (!read) return null
  return toolCall(scan, name, read.args, read.repair ? [...repairs, read.repair] : repairs)
}

/** Arguments must be an object; OpenAI-style models send it JSON-encoded as a string. */
function readArguments(args: unknown): {args: Record<string, unknown>; repair?: string} | null {
  if (args === undefined || args === null) return {args: {}}
  if (isPlainObject(args)) return isJsonSchema(args) ? null : {args}
  if (typeof args !== 'string') return null
  if (args.trim() === '') return {args: {}}
  const parsed = parseLooseJson(args)
  return parsed && isPlainObject(parsed.value) ? {args: parsed.value, repair: 'arguments were a JSON string'} : null
}

const TYPE_NAMES = new Set(['string', 'integer', 'number', 'boolean', 'object', 'array', 'null', 'str', 'int', 'float', 'bool', 'list', 'dict'])

/**
 * `{"type": "object", "properties": {…}}`, or every value a type name (`{"query": "string"}`): a
 * tool's parameters described back, not arguments.
 */
function isJsonSchema(args: Record<string, unknown>): boolean {
  if (args.type === 'object' && isPlainObject(args.properties)) return true
  const values = Object.values(args)
  return values.length > 0 && values.every((value) => typeof value === 'string' && TYPE_NAMES.has(value.toLowerCase()))
}
