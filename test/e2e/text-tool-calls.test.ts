import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import {requireBuild, runCli} from '../support/cli.js'
import {type FakeModel, type FakeOllama, startFakeOllama} from '../support/fake-ollama.js'
import {makeProject, type Fixture} from '../support/fixture.js'

const SOURCE = 'export function add(a: number, b: number): number {\n  return a + b\n}\n'

// Models without native tool support, as /api/show describes them: family and template.
const MODELS: FakeModel[] = [
  {name: 'llama4:scout', capabilities: ['completion'], family: 'llama4', contextLength: 8192},
  {
    name: 'mistral-custom:7b',
    capabilities: ['completion'],
    family: 'llama',
    template: '[AVAILABLE_TOOLS] {{ .Tools }}[/AVAILABLE_TOOLS][TOOL_CALLS]{{ .Name }}[ARGS]{{ .Arguments }}',
    contextLength: 8192,
  },
  {name: 'command-r:35b', capabilities: ['completion'], family: 'command-r', contextLength: 8192},
  {name: 'gemma4:e4b', capabilities: ['completion'], family: 'gemma4', contextLength: 8192},
  {name: 'qwen2.5-coder:7b', contextLength: 32_768},
]

let ollama: FakeOllama
let project: Fixture

beforeAll(async () => {
  requireBuild()
  ollama = await startFakeOllama({models: MODELS})
  project = await makeProject({'src/math.ts': SOURCE})
})

afterAll(async () => {
  await ollama.close()
  await project.cleanup()
})

afterEach(() => {
  ollama.requests.length = 0
})

const ask = (args: string[]) => runCli(['ask', ...args], {cwd: project.root, host: ollama.url})
const events = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)

describe("text-mode tool calls in the model's own dialect, through the Ollama wire", () => {
  it.each([
    {model: 'llama4:scout', dialect: 'pythonic', asked: '[TOOL_NAME(arg="value", n=1)]', reply: '[read_file(path="src/math.ts")]'},
    {
      model: 'mistral-custom:7b',
      dialect: 'mistral-v11',
      asked: '[TOOL_CALLS]TOOL_NAME[ARGS]{...}',
      reply: '[TOOL_CALLS]read_file[ARGS]{"path": "src/math.ts"}',
    },
    {
      model: 'command-r:35b',
      dialect: 'command-r',
      asked: '<|START_ACTION|>[{"tool_call_id": "0", "tool_name": "TOOL_NAME", "parameters": {...}}]<|END_ACTION|>',
      reply: '<|START_ACTION|>[\n    {"tool_call_id": "0", "tool_name": "read_file", "parameters": {"path": "src/math.ts"}}\n]<|END_ACTION|>',
    },
    {
      model: 'gemma4:e4b',
      dialect: 'gemma4',
      asked: '<|tool_call>call:TOOL_NAME{arg:<|"|>value<|"|>,n:1}<tool_call|>',
      reply: 'Let me look.\n<|tool_call>call:read_file{path:<|"|>src/math.ts<|"|>}<tool_call|>',
    },
  ])('$model: asks for $dialect calls and runs the one it gets', async ({model, dialect, asked, reply}) => {
    ollama.script([{content: reply}, {content: 'add() returns a + b.'}])
    const result = await ask(['what does add do?', '--model', model, '--json'])

    expect(result.exitCode, result.stderr).toBe(0)
    const [first, second] = ollama.chats()
    expect(first!.tools).toBeUndefined()
    expect(first!.messages[0]!.content).toContain(`To call a tool, reply with only this, and nothing else:\n${asked}\n`)
    expect(first!.messages[0]!.content).toContain('- read_file(')
    // The call was run: its result went back to the model, and no call syntax reached the answer.
    expect(second!.messages.at(-1)).toMatchObject({role: 'user', content: expect.stringContaining('return a + b')})
    const lines = events(result.stdout)
    expect(lines[0]).toMatchObject({type: 'start', toolMode: 'text', dialect})
    expect(lines.find((e) => e.type === 'tool_call')).toMatchObject({name: 'read_file', arguments: {path: 'src/math.ts'}})
    expect(lines.at(-1)).toMatchObject({type: 'final', text: 'add() returns a + b.'})
    expect(
      lines
        .filter((e) => e.type === 'text')
        .map((e) => e.delta)
        .join(''),
    ).not.toMatch(/TOOL_CALLS|START_ACTION|tool_call|read_file\(/)
  })

  it('shows a repaired call in --json and, dimly, on the terminal', async () => {
    ollama.script([
      {tool_calls: [{name: 'Read_File', arguments: '{"path": "src/math.ts"}'}]},
      {content: 'It adds.'},
      {tool_calls: [{name: 'Read_File', arguments: '{"path": "src/math.ts"}'}]},
      {content: 'It adds.'},
    ])
    const json = await ask(['what does add do?', '--json'])
    expect(json.exitCode, json.stderr).toBe(0)
    expect(events(json.stdout).find((e) => e.type === 'tool_call')).toMatchObject({name: 'read_file', repairs: ['name "Read_File" → "read_file"']})

    const human = await ask(['what does add do?'])
    expect(human.exitCode, human.stderr).toBe(0)
    expect(human.stderr).toContain('repaired: name "Read_File" → "read_file"')
  })
})

describe('the loop guard, end to end', () => {
  it('ends a run that repeats one call with exit code 5 and says why', async () => {
    ollama.script(() => ({tool_calls: [{name: 'read_file', arguments: {path: 'src/math.ts'}}]}))
    const result = await ask(['what does add do?', '--max-steps', '20'])

    expect(result.exitCode).toBe(5)
    expect(result.stderr).toContain('error: stopped: the model called read_file with the same arguments 5 times without anything changing in between')
    expect(ollama.chats()).toHaveLength(5)
    expect(ollama.chats()[3]!.messages.at(-1)!.content).toContain('read_file: not run — you already called read_file')
  })
})
