import {describe, expect, it} from 'vitest'

import {chooseDialect, DIALECTS, type DialectId} from '../../../src/core/llm/dialects.js'
import {systemPrompt, textToolPrompt} from '../../../src/core/agent/prompt.js'
import {parseToolCalls} from '../../../src/core/llm/tool-call-parser.js'
import {builtinTools, readOnlyTools} from '../../../src/core/tools/index.js'

const model = (name: string, families: string[], template = '{{ .Prompt }}') => ({name, families, template})

describe('chooseDialect', () => {
  it.each<[string, ReturnType<typeof model>, DialectId]>([
    ['Qwen 2.5 (family)', model('qwen2.5-coder:7b', ['qwen2']), 'hermes'],
    ['an unknown family falls back to Hermes <tool_call>', model('mystery:3b', ['mystery']), 'hermes'],
    ['no family at all', model('custom', []), 'hermes'],
    ['Llama 3.x', model('llama3.2:3b', ['llama']), 'llama3-json'],
    ['Llama 4', model('llama4:scout', ['llama4']), 'pythonic'],
    ['Gemma 3', model('gemma3:4b', ['gemma3']), 'pythonic'],
    ['Gemma 4', model('gemma4:e4b', ['gemma4']), 'gemma4'],
    ['FunctionGemma by name', model('functiongemma:270m', ['gemma3']), 'functiongemma'],
    ['Mistral 7B, whose family says llama', model('mistral:7b', ['llama']), 'mistral'],
    ['Mistral by family', model('my-finetune:7b', ['mistral']), 'mistral'],
    ['Devstral by name (v11 tokenizer)', model('devstral:24b', ['mistral3']), 'mistral-v11'],
    ['Command R', model('command-r:35b', ['command-r']), 'command-r'],
    ['Command R7B (cohere2)', model('command-r7b:7b', ['cohere2']), 'command-r'],
    ['Granite', model('granite3.3:8b', ['granite']), 'granite'],
    ['Phi-4-mini by name', model('phi4-mini:3.8b', ['phi3']), 'phi4'],
    ['Qwen3-Coder by name', model('qwen3-coder:30b', ['qwen3moe']), 'qwen3-coder'],
    ['GPT-OSS', model('gpt-oss:20b', ['gptoss']), 'harmony'],
    ['LFM2', model('lfm2:1.2b', ['lfm2']), 'lfm2'],
    ['GLM 4.5', model('glm-4.5-air', ['glm4moe']), 'glm'],
    [
      'a template with [TOOL_CALLS] and [ARGS] wins over the family',
      model('my-mistral', ['llama'], '[AVAILABLE_TOOLS]…[TOOL_CALLS]{{ .Name }}[ARGS]{{ .Arguments }}'),
      'mistral-v11',
    ],
    ['a template with <tool_call> wins over the family', model('hermes-llama', ['llama'], '<tool_call>\n{"name": …}\n</tool_call>'), 'hermes'],
    ['a template with <|python_start|>', model('custom-l4', ['llama'], '<|python_start|>{{ .ToolCalls }}<|python_end|>'), 'pythonic'],
    ['a template with <|START_ACTION|>', model('custom-c', ['llama'], '<|START_ACTION|>…<|END_ACTION|>'), 'command-r'],
    ['a template with DeepSeek tool tokens', model('ds', ['deepseek2'], '<｜tool▁calls▁begin｜>'), 'deepseek'],
  ])('%s', (_title, info, id) => {
    expect(chooseDialect(info).id).toBe(id)
  })
})

describe('the text-mode tool prompt in each dialect', () => {
  const base = systemPrompt({task: 'Answer questions about the code.'})
  // ~3.5 characters per token (qwen2.5's tokenizer on English and JSON, erring high).
  const tokens = (text: string) => Math.ceil(text.length / 3.5)
  const hermes = tokens(textToolPrompt(readOnlyTools, DIALECTS.hermes))

  it("is today's prompt for Hermes, the fallback", () => {
    expect(textToolPrompt(readOnlyTools)).toBe(textToolPrompt(readOnlyTools, DIALECTS.hermes))
    expect(textToolPrompt(readOnlyTools)).toContain('<tool_call>{"name": "TOOL_NAME", "arguments": {...}}</tool_call>')
  })

  it.each(Object.values(DIALECTS).map((dialect) => ({id: dialect.id, dialect})))('stays lean: $id', ({dialect}) => {
    const prompt = textToolPrompt(readOnlyTools, dialect)
    // The example is the only thing that changes: at most ~30 tokens more than Hermes.
    expect(tokens(prompt)).toBeLessThanOrEqual(hermes + 30)
    // The whole opening system prompt with all six tools stays far under the 1,500-token target.
    expect(tokens(base + textToolPrompt(builtinTools, dialect))).toBeLessThanOrEqual(700)
  })

  it.each(Object.values(DIALECTS).map((dialect) => ({id: dialect.id, dialect})))('asks for a format the parser reads back: $id', ({dialect}) => {
    // The example itself, with a real tool and real arguments in place of the placeholders.
    const reply = dialect.example
      .replaceAll('TOOL_NAME', 'read_file')
      .replace('{...}', '{"path": "a.ts"}')
      .replace('arg="value", n=1', 'path="a.ts"')
      .replace('arg:<escape>value<escape>,n:1', 'path:<escape>a.ts<escape>')
      .replace('arg:<|"|>value<|"|>,n:1', 'path:<|"|>a.ts<|"|>')
      .replaceAll(/\bARG\b/g, 'path')
      .replace(/\bvalue\b/, 'a.ts')
    expect(parseToolCalls(reply, ['read_file']).calls).toEqual([{name: 'read_file', arguments: {path: 'a.ts'}}])
  })
})
