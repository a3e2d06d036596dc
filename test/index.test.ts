import {beforeAll, describe, expect, it} from 'vitest'

import {requireBuild} from './support/cli.js'

beforeAll(() => requireBuild())

describe('the package main entry (built dist, as users import it)', () => {
  it('exports parseToolCalls, as documented in README', async () => {
    const {parseToolCalls} = await import('faithh')
    const reply = 'Reading it now.\n<tool_call>{"name": "read_file", "arguments": {"path": "src/a.ts"}}</tool_call>'
    expect(parseToolCalls(reply, ['read_file', 'search_code'])).toEqual({
      calls: [{name: 'read_file', arguments: {path: 'src/a.ts'}}],
      text: 'Reading it now.',
    })
  })

  it('exports the agent loop and the tool pattern', async () => {
    const faithh = await import('faithh')
    expect(typeof faithh.runAgent).toBe('function')
    expect(typeof faithh.defineTool).toBe('function')
    expect(faithh.builtinTools.map((tool) => tool.name)).toEqual(['read_file', 'list_directory', 'search_code', 'edit_file', 'write_file', 'run_command'])
  })
})
