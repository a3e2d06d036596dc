import {execa} from 'execa'
import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import {CLI_BIN, requireBuild, runCli} from '../support/cli.js'
import {startFakeOllama, type FakeOllama} from '../support/fake-ollama.js'
import {makeProject, type Fixture} from '../support/fixture.js'

const SOURCE = 'export function add(a: number, b: number): number {\n  return a + b\n}\n'

let ollama: FakeOllama
let project: Fixture

beforeAll(async () => {
  requireBuild()
  ollama = await startFakeOllama({
    models: [
      {name: 'qwen2.5-coder:7b', contextLength: 32_768},
      {name: 'tiny:1b', contextLength: 4096},
      {name: 'notools:7b', capabilities: ['completion'], contextLength: 8192},
    ],
  })
  project = await makeProject({'src/math.ts': SOURCE, 'README.md': '# demo\n', '.env': 'API_KEY=SECRET\n'})
})

afterAll(async () => {
  await ollama.close()
  await project.cleanup()
})

afterEach(() => {
  ollama.requests.length = 0
})

const ask = (args: string[], env: Record<string, string> = {}) => runCli(['ask', ...args], {cwd: project.root, host: ollama.url, env})

describe('faithh ask against the Ollama wire protocol', () => {
  it('runs a native tool call, feeds the result back as a tool message, and streams the answer', async () => {
    ollama.script([
      {tool_calls: [{name: 'read_file', arguments: {path: 'src/math.ts'}}]},
      {content: 'src/math.ts exports add(), which returns a + b.'},
    ])
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
    ollama.script([
      {content: '<tool_call>\n{"name": "search_code", "arguments": {"pattern": "a + b"}}\n</tool_call>'},
      {content: 'Found it in src/math.ts.'},
    ])
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

  it('refuses a read outside the project without a terminal, tells the model why, and exits 6', async () => {
    ollama.script([{tool_calls: [{name: 'read_file', arguments: {path: '/etc/hostname'}}]}, {content: 'I could not read it.'}])
    const result = await ask(['what is the hostname?'])

    expect(result.exitCode).toBe(6)
    expect(result.stdout).toContain('I could not read it.')
    const toolMessage = ollama.chats()[1]!.messages.find((m) => m.role === 'tool')!
    expect(toolMessage.content).toContain('outside the project')
    expect(toolMessage.content).toContain('--yes')
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

  it('prints every event as a JSON line with --json', async () => {
    ollama.script([{tool_calls: [{name: 'read_file', arguments: {path: 'README.md'}}]}, {content: 'A demo project.'}])
    const result = await ask(['what is this?', '--json'])

    expect(result.exitCode, result.stderr).toBe(0)
    const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line))
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['start', 'tool_call', 'tool_result', 'usage', 'final']))
    expect(events.at(-1)).toMatchObject({type: 'final', text: 'A demo project.', steps: 2})
    expect(events.find((e) => e.type === 'tool_result')).toMatchObject({name: 'read_file', ok: true})
  })

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
    const result = await runCli(['ask', 'hi'], {cwd: project.root, host: url})
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain(`cannot reach Ollama at ${url} — start it with \`ollama serve\``)
  })

  it('stops cleanly on Ctrl-C while the model is answering', async () => {
    ollama.script([{content: 'slow', delayMs: 10_000}])
    const child = execa('node', [CLI_BIN, 'ask', 'hi'], {cwd: project.root, env: {OLLAMA_HOST: ollama.url, NO_COLOR: '1'}, reject: false, stdin: 'ignore'})
    // Wait until the chat request has reached the server, then interrupt.
    for (let i = 0; i < 100 && ollama.chats().length === 0; i++) await new Promise((r) => setTimeout(r, 50))
    const sent = Date.now()
    child.kill('SIGINT')
    const result = await child
    expect(Date.now() - sent).toBeLessThan(3000)
    expect(result.exitCode).toBe(130)
    expect(result.stderr).toContain('cancelled')
  })
})

describe('configuration errors', () => {
  it('names the file, the key and what was expected', async () => {
    const bad = await makeProject({})
    try {
      await mkdir(path.join(bad.root, '.faithh'), {recursive: true})
      await writeFile(path.join(bad.root, '.faithh/config.json'), JSON.stringify({numCtx: 'big', modle: 'x'}))
      const result = await runCli(['ask', 'hi'], {cwd: bad.root, host: ollama.url})
      expect(result.exitCode).toBe(2)
      expect(result.stderr).toContain(path.join(bad.root, '.faithh/config.json'))
      expect(result.stderr).toContain('numCtx')
      expect(result.stderr).toMatch(/expected number/)
      expect(result.stderr).toContain('unknown key "modle"')
    } finally {
      await bad.cleanup()
    }
  })
})
