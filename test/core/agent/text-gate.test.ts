import {describe, expect, it} from 'vitest'

import {TextGate} from '../../../src/core/agent/text-gate.js'
import {parseToolCalls} from '../../../src/core/llm/tool-call-parser.js'
import {CORPUS, CORPUS_TOOLS} from '../llm/tool-call-corpus.js'

/** Streams `content` through a gate in pieces of `size`; returns what the user saw while it streamed. */
function stream(content: string, size: number): {shown: string; gate: TextGate} {
  const gate = new TextGate(CORPUS_TOOLS)
  let shown = ''
  for (let i = 0; i < content.length; i += size) shown += gate.push(content.slice(i, i + size))
  return {shown, gate}
}

const withCalls = CORPUS.filter((row) => row.calls.length > 0)

describe('TextGate', () => {
  describe.each([1, 3, 8])('in %i-character chunks', (size) => {
    it.each(withCalls.map((row) => ({...row, name: `${row.family}: ${row.title}`})))('never shows call syntax: $name', ({content}) => {
      const {shown, gate} = stream(content, size)
      const {calls, text} = parseToolCalls(gate.text, CORPUS_TOOLS)
      expect(calls.length).toBeGreaterThan(0)
      // What was shown is exactly the start of the final answer: nothing of a call, so nothing to take back.
      expect(text.startsWith(shown.trim()), `shown: ${JSON.stringify(shown)}`).toBe(true)
    })
  })

  it('streams prose without waiting for the end', () => {
    const prose = 'The add function returns the sum of its two arguments. '.repeat(4)
    const {shown} = stream(prose, 5)
    expect(shown.length).toBeGreaterThan(prose.length - 25)
    expect(prose.startsWith(shown)).toBe(true)
  })

  it('shows inline braces, brackets and >>> in prose', () => {
    const {shown} = stream('Use a map {a: 1} or a list [1, 2] (see >>> below) and carry on writing.', 4)
    expect(shown).toContain('(see >>> below)')
  })

  it('holds from a line that starts with a tool call written as Python', () => {
    const {shown} = stream('Checking now.\nget_weather(city="Paris")', 2)
    expect(shown).toBe('Checking now.\n')
  })

  it('holds a pythonic list that follows a sentence on the same line', () => {
    const {shown} = stream("Here you go: [get_weather(city='Paris')]", 2)
    expect(shown).toBe('Here you go: ')
  })

  it('holds from an opener split across chunks', () => {
    const gate = new TextGate()
    expect(gate.push('Reading it.\n<tool_')).toBe('')
    expect(gate.push('call>{"name": "read_file"')).toBe('Reading it.\n')
    expect(gate.push(', "arguments": {}}</tool_call>')).toBe('')
  })
})
