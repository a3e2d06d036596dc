import {describe, expect, it} from 'vitest'

import {parseToolCalls} from '../../../src/core/llm/tool-call-parser.js'
import {CORPUS, CORPUS_TOOLS} from './tool-call-corpus.js'

// Deterministic: the same hostile inputs on every run.
let seed = 7
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff
  return seed / 0x7fffffff
}

const FRAGMENTS = [
  ...CORPUS.map((row) => row.content),
  '<tool_call>',
  '</tool_call>',
  '<function=',
  '<parameter=',
  '</parameter>',
  '[TOOL_CALLS]',
  '[ARGS]',
  '<|python_tag|>',
  '<think>',
  '</think>',
  '```json\n',
  '```',
  '{"',
  '"}',
  '[',
  ']',
  '(',
  ')',
  "'",
  '"',
  '\\',
  ':',
  ',',
  'call:',
  '<escape>',
  '<|"|>',
  '<｜tool▁call▁begin｜>',
  '<｜tool▁sep｜>',
  '<|tool_call_begin|>',
  '<|tool_call_argument_begin|>',
  '>>>',
  'to=functions.',
  '<|message|>',
  '<invoke name="',
  '">',
  'get_weather',
  'read_file',
  '\n',
  ' ',
  '\u0000',
  '😀',
  'functools',
]

function hostile(): string {
  let text = ''
  const pieces = 1 + Math.floor(random() * 12)
  for (let i = 0; i < pieces; i++) {
    const fragment = FRAGMENTS[Math.floor(random() * FRAGMENTS.length)]!
    // Cut some fragments short: truncated replies are the common case.
    text += random() < 0.3 ? fragment.slice(0, Math.floor(random() * fragment.length)) : fragment
  }

  return text
}

describe('parseToolCalls on hostile input', () => {
  it('never throws, and returns only offered tools with object arguments, on 5,000 generated replies', () => {
    const offered = new Set(CORPUS_TOOLS)
    for (let n = 0; n < 5000; n++) {
      const content = hostile()
      let result: ReturnType<typeof parseToolCalls> | undefined
      expect(() => (result = parseToolCalls(content, CORPUS_TOOLS)), JSON.stringify(content)).not.toThrow()
      for (const call of result!.calls) {
        expect(offered.has(call.name)).toBe(true)
        expect(typeof call.arguments === 'object' && call.arguments !== null && !Array.isArray(call.arguments)).toBe(true)
      }

      if (result!.calls.length === 0) expect(result!.text).toBe(content.trim())
    }
  })

  it('survives deep nesting without overflowing the stack', () => {
    for (const content of [
      '['.repeat(100_000),
      '{"a":'.repeat(50_000),
      '[get_weather(city=' + '['.repeat(100_000),
      `<tool_call>${'{"name": '.repeat(30_000)}`,
    ]) {
      expect(() => parseToolCalls(content, CORPUS_TOOLS)).not.toThrow()
    }
  })
})
