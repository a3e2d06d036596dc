import {describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'
import {startFakeOllama} from '../support/fake-ollama.js'

const SOURCE = 'export function add(a: number, b: number): number {\n  return a + b\n}\n'

const {ollama, run} = await cliFixture({
  ollama: {
    models: [
      {name: 'qwen2.5-coder:7b', contextLength: 32_768},
      {name: 'tiny:1b', contextLength: 4096},
      {name: 'notools:7b', capabilities: ['completion'], contextLength: 8192},
    ],
  },
  files: {'src/math.ts': SOURCE, 'README.md': '# demo\n', '.env': 'API_KEY=SECRET\n'},
})

const ask = (args: string[], env: Record<string, string> = {}) => run(['ask', ...args], {env})

describe('faithh ask against the Ollama wire protocol', () => {
  it('runs a native tool call, feeds the result back as a tool message, and streams the answer', async () => {
    ollama.script([{tool_calls: [{name: 'read_file', arguments: {path: 'src/math.ts'}}]}, {content: 'src/math.ts exports add(), which returns a + b.'}])
    const result = await ask(['what does src/math.ts do?'])

    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout.trim()).toBe('src/math.ts exports add(), which returns a + b.')
    expect(result.stderr).toContain('read_file')

    const [first, second] = ollama.chats()
    expect(first!.model).toBe('qwen2.5-coder:7b')
    expect(first!.stream).toBe(true)
    expect(first!.options?.num_ctx).toBe(16_384)
    expect(first!.tools!.map((t) => t.function.name).sort()).toEqual(['list_directory', 'read_file', 'search_code'])
    expect(first!.messages.at(-1)).toMatchObject({role: 'user', content: 'what does src/math.ts do?'})

    const toolMessage = second!.messages.find((m) => m.role === 'tool')
    expect(toolMessage).toMatchObject({tool_name: 'read_file'})
    expect(toolMessage!.content).toContain('return a + b')
  })

  it('keeps messages append-only so Ollama can reuse its prompt cache', async () => {
    ollama.script([
      {tool_calls: [{name: 'list_directory', arguments: {}}]},
      {tool_calls: [{name: 'read_file', arguments: {path: 'README.md'}}]},
      {content: 'done'},
    ])
    const result = await ask(['overview'])
    expect(result.exitCode, result.stderr).toBe(0)

    const chats = ollama.chats()
    expect(chats).toHaveLength(3)
    for (let i = 1; i < chats.length; i++) {
      expect(chats[i]!.messages.slice(0, chats[i - 1]!.messages.length)).toEqual(chats[i - 1]!.messages)
    }
  })

  it.each([
    ['a fenced json block', '```json\n{"name": "read_file", "arguments": {"path": "src/math.ts"}}\n```'],
    ['a <tool_call> tag with prose before it', 'Let me look at the file.\n<tool_call>{"name": "read_file", "arguments": {"path": "src/math.ts"}}</tool_call>'],
    ['bare JSON with "parameters" and string arguments', '{"name": "read_file", "parameters": "{\\"path\\": \\"src/math.ts\\"}"}'],
  ])('executes a tool call the model wrote as text: %s', async (_name, content) => {
    ollama.script([{content}, {content: 'It adds two numbers.'}])
    const result = await ask(['what does add do?'])

    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout).toContain('It adds two numbers.')
    expect(result.stdout).not.toContain('"arguments"')
    expect(result.stdout).not.toContain('"parameters"')
    const second = ollama.chats()[1]!
    const toolMessage = second.messages.find((m) => m.role === 'tool')
    expect(toolMessage?.content).toContain('return a + b')
  })

  it('describes tools in the prompt for a model without native tool support, and parses its text', async () => {
    ollama.script([{content: '<tool_call>\n{"name": "search_code", "arguments": {"pattern": "a + b"}}\n</tool_call>'}, {content: 'Found it in src/math.ts.'}])
    const result = await ask(['where is the addition?', '--model', 'notools:7b'])

    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout).toContain('Found it in src/math.ts.')
    const [first, second] = ollama.chats()
    expect(first!.tools).toBeUndefined()
    expect(first!.options?.num_ctx).toBe(8192)
    const system = first!.messages[0]!
    expect(system.role).toBe('system')
    expect(system.content).toContain('<tool_call>')
    expect(system.content).toContain('search_code(')
    const result1 = second!.messages.at(-1)!
    expect(result1.role).toBe('user')
    expect(result1.content).toContain('src/math.ts:2')
  })

  it('caps num_ctx at the context length the model reports', async () => {
    ollama.script([{content: 'ok'}])
    const result = await ask(['hi', '--model', 'tiny:1b'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(ollama.chats()[0]!.options?.num_ctx).toBe(4096)
  })

  it('honours --num-ctx and FAITHH_MODEL', async () => {
    ollama.script([{content: 'ok'}])
    const result = await ask(['hi', '--num-ctx', '8192'], {FAITHH_MODEL: 'qwen2.5-coder:7b'})
    expect(result.exitCode, result.stderr).toBe(0)
    expect(ollama.chats()[0]!.options?.num_ctx).toBe(8192)
  })

  it('returns bad tool arguments to the model as a validation message and carries on', async () => {
    ollama.script([
      {tool_calls: [{name: 'read_file', arguments: {file: 'src/math.ts'}}]},
      {tool_calls: [{name: 'delete_everything', arguments: {}}]},
      {content: 'Recovered.'},
    ])
    const result = await ask(['read it'])

    expect(result.exitCode, result.stderr).toBe(0)
    const messages = ollama.chats()[2]!.messages.filter((m) => m.role === 'tool')
    expect(messages[0]!.content).toMatch(/read_file: invalid arguments.*path/)
    expect(messages[1]!.content).toContain('unknown tool "delete_everything"')
  })

  it.each([
    ['.env', 'forbidden'],
    ['../outside.txt', 'outside the project'],
  ])('never shows the model %s', async (file, reason) => {
    ollama.script([{tool_calls: [{name: 'read_file', arguments: {path: file}}]}, {content: 'ok'}])
    await ask(['read it'])
    const toolMessage = ollama.chats()[1]!.messages.find((m) => m.role === 'tool')!
    expect(toolMessage.content).toContain(reason)
    expect(toolMessage.content).not.toContain('SECRET')
  })
})

describe('tool results carry a kind and a summary', () => {
  it('--json events say why each call failed, and the exit code follows from them', async () => {
    ollama.script([
      {
        tool_calls: [
          {name: 'read_file', arguments: {path: 'src/math.ts'}},
          {name: 'read_file', arguments: {path: 'missing.ts'}},
          {name: 'read_file', arguments: {path: '/etc/hostname'}},
          {name: 'read_file', arguments: {path: 'src/math.ts', start_line: 'soon'}},
        ],
      },
      {content: 'Done.'},
    ])
    const result = await ask(['look around', '--json'])

    const results = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((event) => event.type === 'tool_result')
    expect(results.map(({ok, kind, summary}) => ({ok, kind, summary}))).toEqual([
      {ok: true, kind: undefined, summary: 'read src/math.ts (3 lines)'},
      {ok: false, kind: 'not_found', summary: undefined},
      {ok: false, kind: 'needs_approval', summary: undefined},
      {ok: false, kind: 'invalid_arguments', summary: undefined},
    ])
    // The answer came, but a read it wanted could not be approved: exit 6.
    expect(result.exitCode).toBe(6)
  })

  it('the terminal shows the summary and labels the failure; a denial is no reason for exit 6', async () => {
    ollama.script([
      {
        tool_calls: [
          {name: 'read_file', arguments: {path: 'src/math.ts'}},
          {name: 'read_file', arguments: {path: '.env'}},
        ],
      },
      {content: 'Done.'},
    ])
    const result = await ask(['look'])

    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stderr).toContain('  ✓ read src/math.ts (3 lines)')
    expect(result.stderr).toMatch(/ {2}✗ \[denied\] read_file: .*\.env/)
  })
})

describe('faithh ask when the model cannot answer', () => {
  it('stops at --max-steps with a clear message and exit code 5', async () => {
    ollama.script(() => ({tool_calls: [{name: 'list_directory', arguments: {}}]}))
    const result = await ask(['loop forever', '--max-steps', '3'])

    expect(result.exitCode).toBe(5)
    expect(result.stderr).toContain('stopped after 3 model requests without a final answer')
    expect(ollama.chats()).toHaveLength(3)
  })

  it('says how to pull a missing model, exit code 4', async () => {
    const result = await ask(['hi', '--model', 'nope:1b'])
    expect(result.exitCode).toBe(4)
    expect(result.stderr).toContain('model nope:1b is not pulled — run `ollama pull nope:1b`')
  })

  it('says how to start Ollama when it is unreachable, exit code 3', async () => {
    const closed = await startFakeOllama()
    const url = closed.url
    await closed.close()
    const result = await run(['ask', 'hi'], {host: url})
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain(`cannot reach Ollama at ${url} — start it with \`ollama serve\``)
  })
})
