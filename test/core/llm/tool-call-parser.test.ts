import {describe, expect, it} from 'vitest'

import {type ParsedToolCall, parseToolCalls} from '../../../src/core/llm/tool-call-parser.js'

const TOOLS = ['read_file', 'write_file', 'list_dir', 'run_command']
const fence = '```'
const read = (path: string, ...repairs: string[]): ParsedToolCall => ({name: 'read_file', arguments: {path}, ...(repairs.length > 0 ? {repairs} : {})})
const STRING_ARGS = 'arguments were a JSON string'
const JSON_REPAIRED = 'JSON repaired (trailing comma, comment or raw newline)'
const READ_A = '{"name": "read_file", "arguments": {"path": "a.ts"}}'
const READ_B = '{"name": "read_file", "arguments": {"path": "b.ts"}}'

interface Row {
  title: string
  content: string
  calls: ParsedToolCall[]
  text: string
  names?: string[]
}

const positives: Row[] = [
  {title: 'bare JSON object as the whole content', content: READ_A, calls: [read('a.ts')], text: ''},
  {
    title: 'bare JSON embedded in prose keeps the prose on both sides',
    content: `I'll read it: ${READ_A} and then report.`,
    calls: [read('a.ts')],
    text: `I'll read it: and then report.`,
  },
  {
    title: 'pretty-printed JSON on its own lines between paragraphs',
    content: `Let me check.\n\n{\n  "name": "read_file",\n  "arguments": {\n    "path": "a.ts"\n  }\n}\n\nThen I fix it.`,
    calls: [read('a.ts')],
    text: 'Let me check.\n\nThen I fix it.',
  },
  {title: '```json fence', content: `Reading.\n${fence}json\n${READ_A}\n${fence}`, calls: [read('a.ts')], text: 'Reading.'},
  {title: '```tool_call fence', content: `${fence}tool_call\n${READ_A}\n${fence}\n`, calls: [read('a.ts')], text: ''},
  {title: 'fence with no language', content: `${fence}\n${READ_A}\n${fence}\nDone.`, calls: [read('a.ts')], text: 'Done.'},
  {
    title: 'fence holding a JSON list of calls',
    content: `${fence}json\n[${READ_A}, ${READ_B}]\n${fence}`,
    calls: [read('a.ts'), read('b.ts')],
    text: '',
  },
  {
    title: 'fence holding one call per line',
    content: `${fence}json\n${READ_A}\n${READ_B}\n${fence}`,
    calls: [read('a.ts'), read('b.ts')],
    text: '',
  },
  {
    title: 'unclosed ```json fence at the end of the content',
    content: `Reading.\n\n${fence}json\n${READ_A}\n`,
    calls: [read('a.ts')],
    text: 'Reading.',
  },
  {
    title: '<tool_call> tag (Qwen/Hermes)',
    content: `<tool_call>\n${READ_A}\n</tool_call>`,
    calls: [read('a.ts')],
    text: '',
  },
  {
    title: 'several <tool_call> tags with prose between, in source order',
    content: `First a.\n<tool_call>\n${READ_A}\n</tool_call>\nThen b.\n<tool_call>\n${READ_B}\n</tool_call>`,
    calls: [read('a.ts'), read('b.ts')],
    text: 'First a.\nThen b.',
  },
  {
    title: '<tool_call> with the closing tag missing at the end',
    content: `Reading.\n<tool_call>\n${READ_A}`,
    calls: [read('a.ts')],
    text: 'Reading.',
  },
  {
    title: 'two <tool_call> tags where the first one is never closed',
    content: `<tool_call>${READ_A}\n<tool_call>${READ_B}</tool_call>`,
    calls: [read('a.ts'), read('b.ts')],
    text: '',
  },
  {title: 'an upper-case <TOOL_CALL> tag', content: `<TOOL_CALL>${READ_A}</TOOL_CALL>`, calls: [read('a.ts')], text: ''},
  {title: '<function_call> variant', content: `<function_call>${READ_A}</function_call>`, calls: [read('a.ts')], text: ''},
  {
    title: '<tools> holding a JSON array',
    content: `<tools>\n[${READ_A}, ${READ_B}]\n</tools>`,
    calls: [read('a.ts'), read('b.ts')],
    text: '',
  },
  {
    title: '<tool_call> wrapping a ```json fence',
    content: `<tool_call>\n${fence}json\n${READ_A}\n${fence}\n</tool_call>`,
    calls: [read('a.ts')],
    text: '',
  },
  {title: 'Mistral [TOOL_CALLS] prefix', content: `[TOOL_CALLS] [${READ_A}]`, calls: [read('a.ts')], text: ''},
  {
    title: 'bare JSON array of several calls',
    content: `[${READ_A}, {"name": "list_dir", "arguments": {"path": "src"}}]`,
    calls: [read('a.ts'), {name: 'list_dir', arguments: {path: 'src'}}],
    text: '',
  },
  {title: '"parameters" instead of "arguments"', content: '{"name": "read_file", "parameters": {"path": "a.ts"}}', calls: [read('a.ts')], text: ''},
  {title: '"args" instead of "arguments"', content: '{"name": "read_file", "args": {"path": "a.ts"}}', calls: [read('a.ts')], text: ''},
  {title: '"input" instead of "arguments"', content: '{"name": "read_file", "input": {"path": "a.ts"}}', calls: [read('a.ts')], text: ''},
  {
    title: 'arguments given as a JSON-encoded string',
    content: '{"name": "read_file", "arguments": "{\\"path\\": \\"a.ts\\"}"}',
    calls: [read('a.ts', STRING_ARGS)],
    text: '',
  },
  {
    title: 'OpenAI style {"type":"function","function":{...}} with string arguments',
    content: '{"type": "function", "function": {"name": "read_file", "arguments": "{\\"path\\": \\"a.ts\\"}"}}',
    calls: [read('a.ts', STRING_ARGS)],
    text: '',
  },
  {
    title: 'OpenAI style {"function": {...}} without a type',
    content: '{"function": {"name": "read_file", "arguments": {"path": "a.ts"}}}',
    calls: [read('a.ts')],
    text: '',
  },
  {title: '{"tool": ..., "tool_input": ...}', content: '{"tool": "read_file", "tool_input": {"path": "a.ts"}}', calls: [read('a.ts')], text: ''},
  {title: '{"tool_calls": [...]} wrapper', content: `{"tool_calls": [${READ_A}]}`, calls: [read('a.ts')], text: ''},
  {title: 'empty arguments string means no arguments', content: '{"name": "list_dir", "arguments": ""}', calls: [{name: 'list_dir', arguments: {}}], text: ''},
  {
    title: '"function" as the name key, with "type": "function"',
    content: '{"type": "function", "function": "read_file", "arguments": {"path": "a.ts"}}',
    calls: [read('a.ts')],
    text: '',
  },
  {
    title: 'inside a call tag, a name alone means no arguments',
    content: '<tool_call>{"name": "list_dir"}</tool_call>',
    calls: [{name: 'list_dir', arguments: {}}],
    text: '',
  },
  {title: 'an "id" key is allowed', content: '{"id": "call_1", "name": "list_dir", "arguments": {}}', calls: [{name: 'list_dir', arguments: {}}], text: ''},
  {
    title: 'trailing commas are tolerated',
    content: '{"name": "read_file", "arguments": {"path": "a.ts",},}',
    calls: [read('a.ts', JSON_REPAIRED)],
    text: '',
  },
  {
    title: '// comments are tolerated',
    content: '{\n  "name": "read_file", // the tool\n  "arguments": {"path": "a.ts"}\n}',
    calls: [read('a.ts', JSON_REPAIRED)],
    text: '',
  },
  {
    title: 'raw newlines inside a string (file contents) are tolerated',
    content: '{"name": "write_file", "arguments": {"path": "a.ts", "content": "line 1\nline 2\n"}}',
    calls: [{name: 'write_file', arguments: {path: 'a.ts', content: 'line 1\nline 2\n'}, repairs: [JSON_REPAIRED]}],
    text: '',
  },
  {
    title: 'braces, quotes and fences inside argument strings do not end the call',
    content: `<tool_call>{"name": "write_file", "arguments": {"path": "a.md", "content": "x = {\\"}\\"}\\n${fence}\\n]"}}</tool_call>`,
    calls: [{name: 'write_file', arguments: {path: 'a.md', content: `x = {"}"}\n${fence}\n]`}}],
    text: '',
  },
  {
    title: 'mixed formats in one message keep source order',
    content: `<tool_call>${READ_A}</tool_call>\n${fence}json\n${READ_B}\n${fence}\n{"name": "list_dir", "arguments": {}}`,
    calls: [read('a.ts'), read('b.ts'), {name: 'list_dir', arguments: {}}],
    text: '',
  },
  {
    title: 'blank lines left by removed calls collapse to one',
    content: `A\n\n${READ_A}\n\n\n\n${READ_B}\n\n\nB`,
    calls: [read('a.ts'), read('b.ts')],
    text: 'A\n\nB',
  },
  {
    title: 'text before the first call is kept byte-for-byte (streaming invariant)',
    content: '  Intro:\n\n\n  - item {x}\n\n<tool_call>' + READ_A + '</tool_call>\nAfter.',
    calls: [read('a.ts')],
    text: 'Intro:\n\n\n  - item {x}\n\nAfter.',
  },
  {
    title: 'a call after prose that mentions an example file or a sample (not an example call)',
    content: `Let me read an example file, a sample of the data.\n<tool_call>${READ_A}</tool_call>`,
    calls: [read('a.ts')],
    text: 'Let me read an example file, a sample of the data.',
  },
  {
    title: 'a call nested in prose braces that are not JSON is still found',
    content: `{ note: ${READ_A} }`,
    calls: [read('a.ts')],
    text: '{ note: }',
  },
]

const negatives: Array<Omit<Row, 'calls' | 'text'>> = [
  {title: 'prose mentioning JSON whose name is not a tool', content: 'Use {"name": "value"} in your config.'},
  {
    title: 'a ```json fence with package.json data',
    content: `Your package.json:\n${fence}json\n{"name": "my-app", "version": "1.0.0"}\n${fence}`,
  },
  {title: 'a tool name plus unrelated keys', content: '{"name": "read_file", "version": "1.0"}'},
  {
    title: 'an echoed tool definition (has a description)',
    content: '{"type": "function", "function": {"name": "read_file", "description": "Read a file", "parameters": {"type": "object"}}}',
  },
  {title: 'arguments that are an array', content: '{"name": "read_file", "arguments": [1, 2]}'},
  {title: 'arguments that are a number', content: '{"name": "read_file", "arguments": 5}'},
  {title: 'arguments string that is not JSON', content: '{"name": "read_file", "arguments": "path=a.ts"}'},
  {title: 'arguments string that is JSON but not an object', content: '{"name": "read_file", "arguments": "[1]"}'},
  {title: 'two arguments keys are ambiguous', content: '{"name": "read_file", "arguments": {}, "parameters": {}}'},
  {title: 'a type other than "function"', content: '{"type": "object", "name": "read_file", "arguments": {}}'},
  {title: 'a name that is not a string', content: '{"name": 5, "arguments": {}}'},
  {title: 'a name that is not a trivial variant of an offered one', content: '{"name": "readFile", "arguments": {}}'},
  {
    title: 'a name variant that two offered tools share is ambiguous',
    content: '{"name": "Run-Command", "arguments": {}}',
    names: ['run_command', 'Run_Command'],
  },
  {title: 'truncated JSON', content: 'Reading: {"name": "read_file", "arguments": {"path": "a.ts"'},
  {title: 'unbalanced JSON inside a tag', content: '<tool_call>{"name": "read_file", "arguments": {</tool_call>'},
  {title: 'JavaScript object literal (no eval)', content: '{name: "read_file", arguments: {path: "a.ts"}}'},
  {title: 'an array with one non-call element', content: `[${READ_A}, 5]`},
  {title: 'a call nested inside a JSON data object', content: `{"result": ${READ_A}}`},
  {title: 'a call-shaped example in a ```ts fence', content: `Example:\n${fence}ts\nconst call = ${READ_A}\n${fence}`},
  {title: 'a ```json fence with a call followed by more text', content: `${fence}json\n${READ_A}\nplus notes\n${fence}`},
  {title: 'empty string', content: ''},
  {title: 'whitespace only', content: '  \n\t \n'},
  {title: 'no tool names means no calls', content: READ_A, names: []},
  {title: 'bare JSON with a tool name and no arguments key (a list of tools, an answer)', content: '[{"name": "read_file"}, {"name": "list_dir"}]'},
  {
    title: 'a tool definition echoed without its description',
    content: '{"name": "read_file", "parameters": {"type": "object", "properties": {"path": {"type": "string"}}}}',
  },
  {title: 'a call-shaped example introduced as one', content: `For example, {"name": "read_file", "arguments": {"path": "a.ts"}} reads a file.`},
  {title: 'a tagged call shown as the syntax to use', content: `To call a tool, write:\n<tool_call>${READ_A}</tool_call>\nand wait for the result.`},
]

const repairs: Row[] = [
  {
    title: 'another case maps to the offered tool',
    content: '{"name": "Read_File", "arguments": {"path": "a.ts"}}',
    calls: [read('a.ts', 'name "Read_File" → "read_file"')],
    text: '',
  },
  {
    title: '- for _ maps to the offered tool',
    content: '<tool_call>{"name": "read-file", "arguments": {"path": "a.ts"}}</tool_call>',
    calls: [read('a.ts', 'name "read-file" → "read_file"')],
    text: '',
  },
  {
    title: 'a functions. prefix is dropped',
    content: '{"name": "functions.read_file", "arguments": {"path": "a.ts"}}',
    calls: [read('a.ts', 'name "functions.read_file" → "read_file"')],
    text: '',
  },
  {
    title: 'a default_api. prefix is dropped',
    content: '[default_api.read_file(path="a.ts")]',
    calls: [read('a.ts', 'name "default_api.read_file" → "read_file"')],
    text: '',
  },
  {
    title: 'a name repair and string-encoded arguments are both reported',
    content: '{"name": "READ_FILE", "arguments": "{\\"path\\": \\"a.ts\\"}"}',
    calls: [read('a.ts', 'name "READ_FILE" → "read_file"', STRING_ARGS)],
    text: '',
  },
]

describe('parseToolCalls', () => {
  it.each(positives)('recognises: $title', ({content, calls, text, names}) => {
    expect(parseToolCalls(content, names ?? TOOLS)).toEqual({calls, text})
  })

  it.each(repairs)('repairs and reports: $title', ({content, calls, text}) => {
    expect(parseToolCalls(content, TOOLS)).toEqual({calls, text})
  })

  it.each(negatives)('leaves alone: $title', ({content, names}) => {
    expect(parseToolCalls(content, names ?? TOOLS)).toEqual({calls: [], text: content.trim()})
  })

  const big = (unit: string) => unit.repeat(Math.ceil(200_000 / unit.length))
  it.each([
    {title: 'code full of balanced braces and quotes', content: big('function f(a) { return {"k": "v{", read_file: [a]} }\n'), calls: []},
    {title: 'unbalanced `{"` openers that never close', content: big('{"read_file": "'), calls: []},
    {title: 'nested unclosed arrays and objects', content: big('[{"name": "read_file", "arguments": {'), calls: []},
    {title: 'a real call after 200 KB of prose with braces', content: big('see {x} and [y] ') + READ_A, calls: [read('a.ts')]},
  ])('stays fast on 200 KB: $title', ({content, calls}) => {
    const started = performance.now()
    const result = parseToolCalls(content, TOOLS)
    expect(performance.now() - started).toBeLessThan(1500)
    expect(result.calls).toEqual(calls)
  })

  it('never throws on odd inputs', () => {
    for (const content of ['{', '}', '[', '<tool_call>', `${fence}json`, '{"name": "read_file", "arguments": "', '\\"{', '{"a":"\\']) {
      expect(() => parseToolCalls(content, TOOLS)).not.toThrow()
    }

    expect(parseToolCalls(undefined as unknown as string, TOOLS)).toEqual({calls: [], text: ''})
  })
})
