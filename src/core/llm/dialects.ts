import type {ModelInfo} from './client.js'

/**
 * When a model has no native tool support, faithh describes the tools in the prompt and asks for
 * calls in text. Asking in the format the model was trained on (its "dialect") gets far more calls
 * right than asking every model for Hermes JSON: Llama 4 was trained on Python-style lists, Mistral
 * on [TOOL_CALLS], Command R on <|START_ACTION|>. The parser reads all of them whatever we ask for.
 */
export interface Dialect {
  id: DialectId
  /** The one call format we ask for, as an example with TOOL_NAME; a line or a few, paid for in every request. */
  example: string
}

export type DialectId =
  | 'hermes'
  | 'llama3-json'
  | 'pythonic'
  | 'mistral'
  | 'mistral-v11'
  | 'command-r'
  | 'qwen3-coder'
  | 'glm'
  | 'functiongemma'
  | 'gemma4'
  | 'granite'
  | 'phi4'
  | 'lfm2'
  | 'harmony'
  | 'minimax'
  | 'kimi'
  | 'deepseek'
  | 'functionary'

export const DIALECTS: Readonly<Record<DialectId, Dialect>> = {
  hermes: {id: 'hermes', example: '<tool_call>{"name": "TOOL_NAME", "arguments": {...}}</tool_call>'},
  'llama3-json': {id: 'llama3-json', example: '{"name": "TOOL_NAME", "parameters": {...}}'},
  pythonic: {id: 'pythonic', example: '[TOOL_NAME(arg="value", n=1)]'},
  mistral: {id: 'mistral', example: '[TOOL_CALLS][{"name": "TOOL_NAME", "arguments": {...}}]'},
  'mistral-v11': {id: 'mistral-v11', example: '[TOOL_CALLS]TOOL_NAME[ARGS]{...}'},
  'command-r': {id: 'command-r', example: '<|START_ACTION|>[{"tool_call_id": "0", "tool_name": "TOOL_NAME", "parameters": {...}}]<|END_ACTION|>'},
  'qwen3-coder': {id: 'qwen3-coder', example: '<tool_call>\n<function=TOOL_NAME>\n<parameter=ARG>\nvalue\n</parameter>\n</function>\n</tool_call>'},
  glm: {id: 'glm', example: '<tool_call>TOOL_NAME\n<arg_key>ARG</arg_key>\n<arg_value>value</arg_value>\n</tool_call>'},
  functiongemma: {id: 'functiongemma', example: '<start_function_call>call:TOOL_NAME{arg:<escape>value<escape>,n:1}<end_function_call>'},
  gemma4: {id: 'gemma4', example: '<|tool_call>call:TOOL_NAME{arg:<|"|>value<|"|>,n:1}<tool_call|>'},
  granite: {id: 'granite', example: '<|tool_call|>[{"name": "TOOL_NAME", "arguments": {...}}]'},
  phi4: {id: 'phi4', example: 'functools[{"name": "TOOL_NAME", "arguments": {...}}]'},
  lfm2: {id: 'lfm2', example: '<|tool_call_start|>[TOOL_NAME(arg="value", n=1)]<|tool_call_end|>'},
  harmony: {id: 'harmony', example: '<|channel|>commentary to=functions.TOOL_NAME <|constrain|>json<|message|>{...}<|call|>'},
  minimax: {id: 'minimax', example: '<minimax:tool_call>\n<invoke name="TOOL_NAME">\n<parameter name="ARG">value</parameter>\n</invoke>\n</minimax:tool_call>'},
  kimi: {
    id: 'kimi',
    example: '<|tool_calls_section_begin|><|tool_call_begin|>functions.TOOL_NAME:0<|tool_call_argument_begin|>{...}<|tool_call_end|><|tool_calls_section_end|>',
  },
  deepseek: {id: 'deepseek', example: '<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>TOOL_NAME<｜tool▁sep｜>{...}<｜tool▁call▁end｜><｜tool▁calls▁end｜>'},
  functionary: {id: 'functionary', example: '>>>TOOL_NAME\n{...}'},
}

// A template that spells a format's markers was written for a model trained on that format: the
// strongest signal, checked first (most specific marker first).
const TEMPLATE_MARKERS: ReadonlyArray<readonly [marker: RegExp, dialect: DialectId]> = [
  [/<start_function_call>/, 'functiongemma'],
  [/<\|tool_call>/, 'gemma4'],
  [/\[ARGS\]/, 'mistral-v11'],
  [/\[TOOL_CALLS\]/, 'mistral'],
  [/<\|START_ACTION\|>/, 'command-r'],
  [/<function=[\s\S]*<parameter=/, 'qwen3-coder'],
  [/<arg_key>/, 'glm'],
  [/<minimax:tool_call>|<invoke name=/, 'minimax'],
  [/<\|tool_calls_section_begin\|>/, 'kimi'],
  [/tool▁calls▁begin/, 'deepseek'],
  [/to=functions\./, 'harmony'],
  [/<\|python_start\|>/, 'pythonic'],
  [/<\|tool_call_start\|>/, 'lfm2'],
  [/<\|tool_call\|>/, 'granite'],
  [/functools\[/, 'phi4'],
  [/>>>/, 'functionary'],
  [/<tool_call>/, 'hermes'],
  [/<\|python_tag\|>/, 'llama3-json'],
]

// Families as /api/show reports them (details.family, details.families, general.architecture).
const FAMILIES: Readonly<Record<string, DialectId>> = {
  llama4: 'pythonic',
  llama: 'llama3-json',
  mistral: 'mistral',
  mistral3: 'mistral-v11',
  mixtral: 'mistral',
  command_r: 'command-r',
  'command-r': 'command-r',
  cohere: 'command-r',
  cohere2: 'command-r',
  gemma3: 'pythonic',
  gemma3n: 'pythonic',
  gemma4: 'gemma4',
  granite: 'granite',
  granitemoe: 'granite',
  granitehybrid: 'granite',
  lfm2: 'lfm2',
  gptoss: 'harmony',
  'gpt-oss': 'harmony',
  glm4moe: 'glm',
  minimax: 'minimax',
  minimaxm2: 'minimax',
  qwen2: 'hermes',
  qwen3: 'hermes',
  qwen2moe: 'hermes',
  qwen3moe: 'hermes',
}

// Names say what the family does not: fine-tunes of one architecture trained on another format.
const NAMES: ReadonlyArray<readonly [pattern: RegExp, dialect: DialectId]> = [
  [/functiongemma/i, 'functiongemma'],
  [/qwen3-?coder/i, 'qwen3-coder'],
  [/magistral|devstral|ministral|mistral-small3\.[12]/i, 'mistral-v11'],
  [/mistral|mixtral/i, 'mistral'], // Mistral 7B reports family "llama"
  [/phi-?4-mini/i, 'phi4'],
  [/kimi/i, 'kimi'],
  [/hermes/i, 'hermes'],
  [/functionary/i, 'functionary'],
]

/**
 * The dialect for a model without native tool support: its template's markers first, then its
 * name (fine-tunes), then its family; Hermes-style `<tool_call>` JSON when nothing is known — the
 * format most open models have seen.
 */
export function chooseDialect(info: Pick<ModelInfo, 'name' | 'families' | 'template'>): Dialect {
  for (const [marker, id] of TEMPLATE_MARKERS) if (marker.test(info.template)) return DIALECTS[id]
  for (const [pattern, id] of NAMES) if (pattern.test(info.name)) return DIALECTS[id]
  for (const family of info.families) {
    const id = FAMILIES[family]
    if (id) return DIALECTS[id]
  }

  return DIALECTS.hermes
}
