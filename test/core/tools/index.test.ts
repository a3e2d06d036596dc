import {describe, expect, it} from 'vitest'
import {builtinTools, readOnlyTools, toOllamaTool} from '../../../src/core/tools/index.js'

describe('builtin tools', () => {
  it('lists the six tools, read-only ones first', () => {
    expect(builtinTools.map((t) => t.name)).toEqual(['read_file', 'list_directory', 'search_code', 'edit_file', 'write_file', 'run_command'])
    expect(readOnlyTools.map((t) => t.name)).toEqual(['read_file', 'list_directory', 'search_code'])
  })

  it('keeps the tool specs small: one short sentence each, about 400 tokens in all', () => {
    for (const tool of builtinTools) expect(tool.description.length).toBeLessThanOrEqual(100)
    const specs = JSON.stringify(builtinTools.map(toOllamaTool))
    // ~4 characters per token for JSON.
    expect(specs.length).toBeLessThanOrEqual(1950)
  })
})
